/**
 * Voice input (按住说话) uses WeChat's speech-to-text, the 微信同声传译 plugin. A plugin must be added to
 * the AppID in the mini-program console (设置 → 第三方设置 → 插件管理) before app.json may declare it:
 * declared without that, DevTools fails to compile. So app.json as committed declares no plugin, and
 * the build declares it only when the deployer turns voice input on with VOICE_INPUT (docs/DEPLOY.md):
 *   VOICE_INPUT=1 (or on, true)   declare WechatSI at SPEECH_PLUGIN_VERSION
 *   VOICE_INPUT=0.3.6             declare it at that version
 *   unset, 0, off, false          declare nothing (the button never shows)
 * The mini-program finds out at run time (miniprogram/services/speech.ts) and shows the button only
 * where the plugin loads.
 */
import fs from 'node:fs';
import path from 'node:path';

export const SPEECH_PLUGIN = 'WechatSI';
export const SPEECH_PLUGIN_PROVIDER = 'wx069ba97219f66d99';
/** The version declared by VOICE_INPUT=1: the newest the plugin's page listed when this was written. */
export const SPEECH_PLUGIN_VERSION = '0.3.6';

/** The version to declare, or null for none, from the VOICE_INPUT setting; throws on anything else. */
export function speechPluginVersion(setting: string | undefined): string | null {
  const v = (setting ?? '').trim().toLowerCase();
  if (v === '' || v === '0' || v === 'off' || v === 'false') return null;
  if (v === '1' || v === 'on' || v === 'true') return SPEECH_PLUGIN_VERSION;
  if (/^\d+\.\d+\.\d+$/.test(v)) return v;
  throw new Error(`VOICE_INPUT must be 1, 0 or a plugin version such as ${SPEECH_PLUGIN_VERSION}, not "${setting}"`);
}

type AppJson = Record<string, unknown> & { plugins?: Record<string, unknown> };

/** app.json with WechatSI declared at `version`, or without it (null); other plugins are left alone. */
export function withSpeechPlugin(app: AppJson, version: string | null): AppJson {
  const { [SPEECH_PLUGIN]: _old, ...others } = app.plugins ?? {};
  const plugins = version ? { ...others, [SPEECH_PLUGIN]: { version, provider: SPEECH_PLUGIN_PROVIDER } } : others;
  const { plugins: _plugins, ...rest } = app;
  return Object.keys(plugins).length > 0 ? { ...rest, plugins } : rest;
}

/**
 * Makes miniprogram/app.json declare the plugin as `version` says; writes only when that changes it
 * (laid out as Prettier lays it out), and answers whether it wrote.
 */
export async function syncSpeechPlugin(miniprogramRoot: string, version: string | null): Promise<boolean> {
  const file = path.join(miniprogramRoot, 'app.json');
  const text = fs.readFileSync(file, 'utf8');
  const app = JSON.parse(text) as AppJson;
  const next = withSpeechPlugin(app, version);
  if (JSON.stringify(next) === JSON.stringify(app)) return false;
  fs.writeFileSync(file, formatJson(next));
  return true;
}

const PRINT_WIDTH = 120;

/**
 * JSON laid out as the repository's Prettier lays out app.json (printWidth 120): objects one key a
 * line, an array of plain values on one line when it fits, else one value a line.
 */
export function formatJson(value: unknown): string {
  const print = (v: unknown, indent: string, lead: number, tail: number): string => {
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      const plain = v.every((x) => x === null || typeof x !== 'object');
      const flat = `[${v.map((x) => JSON.stringify(x)).join(', ')}]`;
      if (plain && lead + flat.length + tail <= PRINT_WIDTH) return flat;
      const inner = `${indent}  `;
      const items = v.map((x, i) => `${inner}${print(x, inner, inner.length, i < v.length - 1 ? 1 : 0)}`);
      return `[\n${items.join(',\n')}\n${indent}]`;
    }
    if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      if (entries.length === 0) return '{}';
      const inner = `${indent}  `;
      const lines = entries.map(([k, x], i) => {
        const key = `${inner}${JSON.stringify(k)}: `;
        return `${key}${print(x, inner, key.length, i < entries.length - 1 ? 1 : 0)}`;
      });
      return `{\n${lines.join(',\n')}\n${indent}}`;
    }
    return JSON.stringify(v);
  };
  return `${print(value, '', 0, 0)}\n`;
}
