/**
 * 按住说话 on 我要点单: where WeChat's speech-to-text plugin is there, holding the button records and
 * releasing it adds what was said to the field; where it is not (app.json declares it only when the
 * deployer turns voice input on), there is no button. The plugin is the phone's, not ours: a fake
 * stands in for its recognition manager (requirePlugin('WechatSI').getRecordRecognitionManager()),
 * answering as the plugin's documentation says, onStop({ result }).
 */
import {
  closeAllPages,
  component,
  exists,
  fire,
  launchAs,
  openPage,
  textOf,
  typeInto,
  waitFor,
  type SimPage,
} from './harness';
import { installOrderPhone } from './order-helpers';

interface FakeManager {
  started: { lang?: string; duration?: number }[];
  stops: number;
  onStop?: (res: { result: string; tempFilePath: string; duration: number; fileSize: number }) => void;
  onError?: (res: { retcode: number; msg: string }) => void;
  start(options: { lang?: string; duration?: number }): void;
  stop(): void;
}

function fakeManager(): FakeManager {
  return {
    started: [],
    stops: 0,
    start(options) {
      this.started.push(options);
    },
    stop() {
      this.stops += 1;
    },
  };
}

const g = globalThis as { requirePlugin?: (name: string) => unknown };

/** The phone with the plugin declared: requirePlugin('WechatSI') answers with the fake manager. */
function installPlugin(manager: FakeManager): void {
  g.requirePlugin = (name: string) => {
    if (name !== 'WechatSI') throw new Error(`plugin ${name} is not defined`);
    return { getRecordRecognitionManager: () => manager };
  };
}

/** As WeChat answers for a plugin app.json does not declare. */
function removePlugin(): void {
  g.requirePlugin = (name: string) => {
    throw new Error(`plugin ${name} is not defined`);
  };
}

async function openCreate(): Promise<SimPage> {
  launchAs('demo-villager');
  installOrderPhone();
  const page = openPage('packages/order/create/index');
  await waitFor('the form', page, () => exists(page, '#submit'));
  return page;
}

const button = (page: SimPage, field: 'title' | 'content') => component(page, `#voice-${field}`);
const hasButton = (page: SimPage, field: 'title' | 'content') => exists(button(page, field), '.wm-voice__button');

/** Holds the field's button down until the plugin records (the event reaches the page a tick later). */
async function hold(page: SimPage, field: 'title' | 'content', manager: FakeManager): Promise<void> {
  const before = manager.started.length;
  fire(button(page, field), '.wm-voice__button', 'touchstart');
  await waitFor('the recording', page, () => manager.started.length > before);
}

/** Lets go of the button: the plugin is told to stop and turn the recording into words. */
async function release(page: SimPage, field: 'title' | 'content', manager: FakeManager): Promise<void> {
  const before = manager.stops;
  fire(button(page, field), '.wm-voice__button', 'touchend');
  await waitFor('the stop', page, () => manager.stops > before);
}

/** The plugin answers as its documentation says: the recognised text in onStop's result. */
function said(manager: FakeManager, result: string): void {
  if (!manager.onStop) throw new Error('nothing listens for the plugin’s onStop');
  manager.onStop({ result, tempFilePath: 'wxfile://tmp/voice.mp3', duration: 3000, fileSize: 12000 });
}

afterEach(() => {
  closeAllPages();
  delete g.requirePlugin;
});

test('holding 按住说话 records in Mandarin; releasing adds what was said to 具体内容', async () => {
  const manager = fakeManager();
  installPlugin(manager);
  const page = await openCreate();
  typeInto(page, '#content', '家里老人腿脚不便，');
  await waitFor('the typed words', page, () => page.data.content === '家里老人腿脚不便，');

  await hold(page, 'content', manager);
  expect(manager.started).toEqual([{ lang: 'zh_CN', duration: 60000 }]);
  await waitFor('松开 结束', page, () => button(page, 'content').dom?.textContent?.includes('松开 结束'));

  await release(page, 'content', manager);
  said(manager, '想请人周六上午来量血压。');

  await waitFor(
    'the words in the field',
    page,
    () => page.data.content === '家里老人腿脚不便，想请人周六上午来量血压。',
  );
  expect(page.data.title).toBe('');
  expect(textOf(button(page, 'content'), '.wm-voice__button')).toBe('按住 说具体内容');
});

test('said into 标题: added without the closing full stop, and no longer than a title may be', async () => {
  const manager = fakeManager();
  installPlugin(manager);
  const page = await openCreate();

  await hold(page, 'title', manager);
  await release(page, 'title', manager);
  said(manager, '想请人上门量血压。');
  await waitFor('the title', page, () => page.data.title === '想请人上门量血压');

  await hold(page, 'title', manager);
  await release(page, 'title', manager);
  said(manager, '再'.repeat(100));
  await waitFor('a full title', page, () => String(page.data.title).startsWith('想请人上门量血压再'));
  expect(String(page.data.title)).toHaveLength(Number(page.data.titleMax));
  expect(page.data.content).toBe('');
});

test('nothing heard, or an error: a plain message, and the field stays as it was', async () => {
  const manager = fakeManager();
  installPlugin(manager);
  const page = await openCreate();
  typeInto(page, '#content', '量血压');
  await waitFor('the typed words', page, () => page.data.content === '量血压');

  await hold(page, 'content', manager);
  await release(page, 'content', manager);
  said(manager, '');
  await waitFor('没有听清', page, () => button(page, 'content').dom?.textContent?.includes('没有听清，请再说一遍。'));

  await hold(page, 'content', manager);
  manager.onError?.({ retcode: -30003, msg: 'record too short' });
  await waitFor('说话时间太短', page, () => button(page, 'content').dom?.textContent?.includes('说话时间太短'));
  expect(page.data.content).toBe('量血压');
});

test('without the plugin there is no 按住说话, and the form is as before', async () => {
  removePlugin();
  const page = await openCreate();

  expect(exists(page, '#voice-title')).toBe(true);
  expect(hasButton(page, 'title')).toBe(false);
  expect(hasButton(page, 'content')).toBe(false);
  expect(exists(page, '#content')).toBe(true);
});

test('with the plugin both fields have the button', async () => {
  installPlugin(fakeManager());
  const page = await openCreate();

  expect(hasButton(page, 'title')).toBe(true);
  expect(hasButton(page, 'content')).toBe(true);
});
