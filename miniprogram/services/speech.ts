/**
 * Voice input through WeChat's own speech-to-text, the 微信同声传译 plugin (WechatSI, provider
 * wx069ba97219f66d99). The plugin is declared in app.json only when the deployer has added it to the
 * AppID and builds with VOICE_INPUT=1 (docs/DEPLOY.md); everywhere else requirePlugin throws, this
 * module answers "not available" and no 按住说话 button shows.
 *
 * The plugin has one recognition manager for the whole mini-program (recordRecoManager: start({ lang,
 * duration }), stop(), and the handlers onStart, onRecognize, onStop({ result }), onError({ retcode,
 * msg })); the handlers are set again each time a recording starts, so the result goes to whoever
 * started it.
 */
interface RecognitionResult {
  result?: string;
}
interface RecognitionError {
  retcode?: number;
  msg?: string;
}
interface RecognitionManager {
  start(options: { lang?: string; duration?: number }): void;
  stop(): void;
  onStart?: (res: unknown) => void;
  onRecognize?: (res: RecognitionResult) => void;
  onStop?: (res: RecognitionResult) => void;
  onError?: (res: RecognitionError) => void;
}
interface SpeechPlugin {
  getRecordRecognitionManager(): RecognitionManager;
}

export const SPEECH_PLUGIN = 'WechatSI';

/** How long one hold may last: the plugin's own limit is 60 s; a wish is said in far less. */
const MAX_DURATION_MS = 60000;

function manager(): RecognitionManager | null {
  try {
    const plugin = requirePlugin(SPEECH_PLUGIN) as Partial<SpeechPlugin> | undefined;
    return typeof plugin?.getRecordRecognitionManager === 'function' ? plugin.getRecordRecognitionManager() : null;
  } catch {
    // Not declared in app.json (the default), or not in this base library: no voice input.
    return null;
  }
}

/** Whether voice input works here: the plugin is declared and loads. */
export function speechAvailable(): boolean {
  return manager() !== null;
}

export interface Listener {
  /** The recognised text, once, when the recording has been turned into words ('' when nothing was heard). */
  onText(text: string): void;
  /** A plain Chinese message for the villager. */
  onError(message: string): void;
}

/** Plain words for the plugin's error codes a villager can do something about. */
const ERRORS: Record<number, string> = {
  [-30003]: '说话时间太短，请按住按钮再说一遍。',
  [-30004]: '没有听清，请再说一遍。',
  [-30011]: '上一段还在识别，请稍等再说。',
};
const MICROPHONE = '没有打开麦克风，请在设置里允许使用麦克风后再试。';

/** Starts recording for `listener`; false when voice input is not available. */
export function startListening(listener: Listener): boolean {
  const m = manager();
  if (!m) return false;
  m.onStop = (res) => listener.onText(typeof res?.result === 'string' ? res.result.trim() : '');
  m.onError = (res) => {
    const msg = String(res?.msg ?? '');
    listener.onError(
      ERRORS[Number(res?.retcode)] ?? (/auth|deny|permission/i.test(msg) ? MICROPHONE : '没有听清，请再说一遍。'),
    );
  };
  m.start({ lang: 'zh_CN', duration: MAX_DURATION_MS });
  return true;
}

/** Ends the recording; the text arrives through the listener's onText. */
export function stopListening(): void {
  manager()?.stop();
}
