/**
 * The speech-to-text plugin is declared in app.json only when the deployer turns voice input on
 * (VOICE_INPUT, scripts/lib/speech-plugin.ts): declared for an AppID that has not added it, DevTools
 * cannot compile the mini-program. The build leaves app.json byte for byte as it was when the setting
 * already matches, and turning it off again gives back the committed file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MINIPROGRAM_ROOT } from '../../scripts/lib/miniprogram';
import {
  formatJson,
  SPEECH_PLUGIN_PROVIDER,
  SPEECH_PLUGIN_VERSION,
  speechPluginVersion,
  syncSpeechPlugin,
} from '../../scripts/lib/speech-plugin';

const readApp = (root: string) =>
  JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8')) as { plugins?: Record<string, unknown> };

test('app.json as committed declares no speech plugin', () => {
  expect(readApp(MINIPROGRAM_ROOT).plugins?.WechatSI).toBeUndefined();
});

test.each([
  [undefined, null],
  ['', null],
  ['0', null],
  ['off', null],
  ['1', SPEECH_PLUGIN_VERSION],
  ['on', SPEECH_PLUGIN_VERSION],
  ['TRUE', SPEECH_PLUGIN_VERSION],
  ['0.3.5', '0.3.5'],
])('VOICE_INPUT=%p declares %p', (setting, version) => {
  expect(speechPluginVersion(setting)).toBe(version);
});

test('a VOICE_INPUT that means nothing stops the build with what it may be', () => {
  expect(() => speechPluginVersion('yes please')).toThrow(/VOICE_INPUT must be 1, 0 or a plugin version/);
});

describe('the build declares and removes the plugin', () => {
  let root: string;
  let committed: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-speech-'));
    committed = fs.readFileSync(path.join(MINIPROGRAM_ROOT, 'app.json'), 'utf8');
    fs.writeFileSync(path.join(root, 'app.json'), committed);
  });

  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  test('on: WechatSI from its provider; on again: nothing written; off: the committed file again', async () => {
    expect(await syncSpeechPlugin(root, SPEECH_PLUGIN_VERSION)).toBe(true);
    expect(readApp(root).plugins).toEqual({
      WechatSI: { version: SPEECH_PLUGIN_VERSION, provider: SPEECH_PLUGIN_PROVIDER },
    });
    const { plugins: _plugins, ...rest } = readApp(root);
    expect(rest).toEqual(JSON.parse(committed));

    expect(await syncSpeechPlugin(root, SPEECH_PLUGIN_VERSION)).toBe(false);

    expect(await syncSpeechPlugin(root, null)).toBe(true);
    expect(fs.readFileSync(path.join(root, 'app.json'), 'utf8')).toBe(committed);
    expect(await syncSpeechPlugin(root, null)).toBe(false);
  });

  test('another plugin the deployer declared stays', async () => {
    const other = { version: '1.0.0', provider: 'wx0000000000000000' };
    fs.writeFileSync(path.join(root, 'app.json'), JSON.stringify({ ...JSON.parse(committed), plugins: { other } }));

    await syncSpeechPlugin(root, '0.3.5');
    expect(Object.keys(readApp(root).plugins ?? {}).sort()).toEqual(['WechatSI', 'other']);

    await syncSpeechPlugin(root, null);
    expect(readApp(root).plugins).toEqual({ other });
  });
});

test('the layout the build writes is the committed app.json’s own', () => {
  const committed = fs.readFileSync(path.join(MINIPROGRAM_ROOT, 'app.json'), 'utf8');
  expect(formatJson(JSON.parse(committed))).toBe(committed);
});
