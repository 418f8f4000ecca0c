/**
 * 首页 against the real local cloud: a villager opens the mini-program, is logged in, greeted, and told
 * they have not bound to a village yet; 刷新 logs in again; when the cloud cannot be reached they see a
 * plain message and 重试, which works once the cloud is back.
 */
import net from 'node:net';
import {
  closeAllPages,
  exists,
  launchApp,
  miniprogram,
  openPage,
  postJson,
  tap,
  textOf,
  uniqueOpenid,
  waitFor,
  type SimPage,
} from './harness';
import { requests, resetWx } from './wx-fake';

const CLOUD_URL = process.env.LOCALCLOUD_URL ?? '';
const { setLocalCloudUrl } = miniprogram.config;
const { setLocalIdentity } = miniprogram.identity;

/** Logins that reached the gateway as `openid`. */
const loginsBy = (openid: string) =>
  requests.filter((r) => r.url === `${CLOUD_URL}/fn/user` && r.header['x-wx-openid'] === openid);

const profileShown = (page: SimPage) => exists(page, '#greeting') && !exists(page, '#loading');

/** A port nothing listens on: bind it, then let it go. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Gives `openid` a role through the local cloud's tcb API, as a station head's binding will. */
async function grantRole(openid: string, role: string, orgId: string): Promise<void> {
  const { json } = await postJson(`${CLOUD_URL}/admin`, {
    action: 'database.modifyDocument',
    collectionName: 'users',
    query: JSON.stringify({ _id: openid }),
    data: JSON.stringify({ $set: { roles: [{ role, orgId }], stationId: orgId } }),
    multi: false,
  });
  const answer = json as { data?: { updated?: number } };
  if (answer.data?.updated !== 1) throw new Error(`could not grant ${role} to ${openid}: ${JSON.stringify(answer)}`);
}

let openid: string;

beforeAll(() => {
  if (!CLOUD_URL) throw new Error('LOCALCLOUD_URL is not set: the pages project must run tests/pages/global-setup.ts');
});

beforeEach(() => {
  resetWx();
  setLocalCloudUrl(CLOUD_URL);
  openid = uniqueOpenid();
  setLocalIdentity(openid);
});

afterEach(() => {
  closeAllPages();
});

test('a new villager is greeted and told they have not bound to a village yet', async () => {
  launchApp();
  const page = openPage('pages/home/index');

  await waitFor('the profile', page, () => profileShown(page));

  expect(textOf(page, '#greeting')).toBe('您好！');
  expect(textOf(page, '#welcome')).toBe('欢迎加入文明实践云。');
  expect(textOf(page, '#no-role')).toContain('您还没有绑定村（社区）');
  expect(exists(page, '#roles')).toBe(false);
  expect(exists(page, '#error')).toBe(false);
  expect(textOf(page, '#refresh')).toBe('刷新');
  // The login went to the local cloud as the identity this test chose.
  expect(loginsBy(openid)).toHaveLength(1);
  expect(loginsBy(openid)[0].data).toEqual({ action: 'login' });
});

test('刷新 logs in again and the villager is welcomed back', async () => {
  launchApp();
  const page = openPage('pages/home/index');
  await waitFor('the first profile', page, () => textOf(page, '#welcome') === '欢迎加入文明实践云。');

  tap(page, '#refresh');

  await waitFor('the returning welcome', page, () => textOf(page, '#welcome') === '欢迎回来。');
  expect(loginsBy(openid)).toHaveLength(2);
  expect(textOf(page, '#no-role')).toContain('您还没有绑定村（社区）');
});

test('a villager who has become a volunteer sees the role by its Chinese name after 刷新', async () => {
  launchApp();
  const page = openPage('pages/home/index');
  await waitFor('the profile', page, () => profileShown(page));
  await grantRole(openid, 'volunteer', 'station-demo');

  tap(page, '#refresh');

  await waitFor('the roles', page, () => exists(page, '#roles'));
  expect(textOf(page, '#roles')).toBe('志愿者');
  expect(exists(page, '#no-role')).toBe(false);
});

test('when the cloud cannot be reached the villager sees a plain message and 重试, which works once it is back', async () => {
  setLocalCloudUrl(`http://127.0.0.1:${await closedPort()}`);
  launchApp();
  const page = openPage('pages/home/index');

  await waitFor('the error', page, () => exists(page, '#error'));
  expect(textOf(page, '#error-message')).toBe('网络连接不上，请检查网络后再试。');
  expect(textOf(page, '#retry')).toBe('重试');
  expect(exists(page, '#greeting')).toBe(false);
  expect(loginsBy(openid)).toHaveLength(0);

  setLocalCloudUrl(CLOUD_URL);
  tap(page, '#retry');

  await waitFor('the profile after 重试', page, () => profileShown(page));
  expect(textOf(page, '#welcome')).toBe('欢迎加入文明实践云。');
  expect(exists(page, '#error')).toBe(false);
  expect(loginsBy(openid)).toHaveLength(1);
});

test('when 刷新 fails, 重试 fetches a new profile rather than showing the old one', async () => {
  launchApp();
  const page = openPage('pages/home/index');
  await waitFor('the first profile', page, () => textOf(page, '#welcome') === '欢迎加入文明实践云。');

  setLocalCloudUrl(`http://127.0.0.1:${await closedPort()}`);
  tap(page, '#refresh');
  await waitFor('the error after 刷新', page, () => exists(page, '#retry'));

  setLocalCloudUrl(CLOUD_URL);
  tap(page, '#retry');

  await waitFor('the returning welcome', page, () => textOf(page, '#welcome') === '欢迎回来。');
  expect(loginsBy(openid)).toHaveLength(2);
});
