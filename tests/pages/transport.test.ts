/**
 * The transport never throws: whatever goes wrong between the mini-program and a function, the page
 * gets a Result it can show. Served by a stand-in HTTP server for the broken answers, by the real local
 * cloud for the real ones, and by a stubbed wx.cloud for the trial/release route.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { miniprogram, uniqueOpenid } from './harness';
import { installWx, requests, resetWx } from './wx-fake';

const CLOUD_URL = process.env.LOCALCLOUD_URL ?? '';
const { getLocalCloudUrl, setLocalCloudUrl, useLocalCloud } = miniprogram.config;
const { DEFAULT_LOCAL_OPENID, getLocalIdentity, setLocalIdentity } = miniprogram.identity;
const { call } = miniprogram.transport;
const { login } = miniprogram.user;

/** A server that answers every request with `status` and `body`. */
let reply: { status: number; body: string } = { status: 200, body: '' };
let stub: http.Server;
let stubUrl: string;

beforeAll(async () => {
  stub = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
  stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => stub.close(resolve));
});

beforeEach(() => {
  resetWx();
  installWx();
  setLocalCloudUrl(CLOUD_URL);
});

describe('against the local cloud', () => {
  test('login answers the profile of the identity chosen in storage', async () => {
    const openid = uniqueOpenid('tr');
    setLocalIdentity(openid);

    const result = await login();

    expect(result).toMatchObject({ ok: true, data: { openid, roles: [], isNew: true } });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      url: `${CLOUD_URL}/fn/user`,
      method: 'POST',
      header: { 'x-wx-openid': openid },
      data: { action: 'login' },
    });
  });

  test('without a stored identity the developer is the demo villager', () => {
    expect(getLocalIdentity()).toBe(DEFAULT_LOCAL_OPENID);
    expect(() => setLocalIdentity('not an openid!')).toThrow('local openid');
    expect(getLocalIdentity()).toBe(DEFAULT_LOCAL_OPENID);
  });

  test("a function's own error comes through as it is", async () => {
    setLocalIdentity(uniqueOpenid('tr'));
    // A request the contract does not allow, to make the function refuse it.
    const result = await call('user', 'login', { unexpected: true });

    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('INVALID_ARGUMENT');
  });

  test('a function the gateway does not know is UNAVAILABLE, not a crash', async () => {
    const result = await call('nope', 'login', {});

    expect(result).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: '服务暂时忙，请稍后再试。' } });
    expect(!result.ok && result.error.details?.[0]).toContain('HTTP 404');
  });
});

describe('broken answers become UNAVAILABLE', () => {
  beforeEach(() => setLocalCloudUrl(stubUrl));

  test.each([
    ['a server error', 500, '{"errCode":-504002,"errMsg":"functions execute fail"}', 'HTTP 500'],
    ['a body that is not JSON', 200, '<html>bad gateway</html>', 'no Result'],
    ['JSON that is not a Result', 200, '{"hello":"world"}', 'no Result'],
    ['an error with an unknown code', 200, '{"ok":false,"error":{"code":"WHATEVER","message":"x"}}', 'no Result'],
  ])('%s', async (_what, status, body, detail) => {
    reply = { status, body };

    const result = await login();

    expect(result).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: '服务暂时忙，请稍后再试。' } });
    expect(!result.ok && result.error.details?.[0]).toContain(detail);
  });

  test('a closed port is a network failure with its own message', async () => {
    const port = (stub.address() as AddressInfo).port;
    await new Promise((resolve) => stub.close(resolve));
    try {
      const result = await login();
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'UNAVAILABLE', message: '网络连接不上，请检查网络后再试。' },
      });
    } finally {
      await new Promise<void>((resolve) => stub.listen(port, '127.0.0.1', resolve));
    }
  });
});

describe('outside the develop version', () => {
  const wxGlobal = () => (globalThis as unknown as { wx: Record<string, unknown> }).wx;

  test.each(['trial', 'release'])('%s calls CloudBase through wx.cloud, never the local cloud', async (envVersion) => {
    const callFunction = jest.fn().mockResolvedValue({ result: { ok: true, data: { openid: 'o-cloud' } } });
    Object.assign(wxGlobal(), {
      getAccountInfoSync: () => ({ miniProgram: { appId: 'wx0', envVersion, version: '1.0.0' }, plugin: {} }),
      cloud: { init: jest.fn(), callFunction },
    });

    expect(useLocalCloud()).toBe(false);
    const result = await login();

    expect(result).toEqual({ ok: true, data: { openid: 'o-cloud' } });
    expect(callFunction).toHaveBeenCalledWith({ name: 'user', data: { action: 'login' } });
    expect(requests).toHaveLength(0);
  });

  test('a wx.cloud failure is UNAVAILABLE', async () => {
    Object.assign(wxGlobal(), {
      getAccountInfoSync: () => ({
        miniProgram: { appId: 'wx0', envVersion: 'release', version: '1.0.0' },
        plugin: {},
      }),
      cloud: {
        init: jest.fn(),
        callFunction: jest.fn().mockRejectedValue({ errMsg: 'cloud.callFunction:fail -504002' }),
      },
    });

    const result = await login();

    expect(result).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(!result.ok && result.error.details?.[0]).toContain('-504002');
  });

  test('an empty LOCAL_CLOUD_URL turns the local cloud off even in DevTools', () => {
    expect(useLocalCloud()).toBe(true);
    setLocalCloudUrl('');
    expect(getLocalCloudUrl()).toBe('');
    expect(useLocalCloud()).toBe(false);
  });
});
