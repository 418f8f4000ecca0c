/**
 * The function gateway: identity from the header reaches getWXContext() and never another call,
 * failures are answered rather than crashing the server, and the local clock reaches the functions.
 */
import { buildFixtureFunctions } from '../helpers/fixtures';
import { startTestCloud, type TestCloud } from '../helpers/localcloud';

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud({ functionsDir: await buildFixtureFunctions() });
  cloud.engine.applyDefinitions([{ name: 'probes', indexes: [{ name: 'openid', keys: { openid: 1 } }] }]);
});

afterAll(async () => {
  await cloud.close();
});

type WhoAmI = { before: string | null; after: string | null };

describe('identity', () => {
  it('gives each of many concurrent callers their own identity, before and after awaiting', async () => {
    const callers = Array.from({ length: 120 }, (_v, i) => `caller-${i}`);
    const results = await Promise.all(
      callers.map((openid, i) => cloud.call<WhoAmI>('probe', { action: 'whoami', delayMs: (i * 7) % 25 }, openid)),
    );
    results.forEach((r, i) => expect(r).toEqual({ before: callers[i], after: callers[i] }));
    // And what they wrote carries the right owner.
    for (const openid of callers.slice(0, 10)) {
      expect(cloud.engine.count('probes', { openid })).toBe(1);
    }
  });

  it('treats a call without the header as the platform calling (no OPENID)', async () => {
    expect(await cloud.call<WhoAmI>('probe', { action: 'whoami' })).toEqual({ before: null, after: null });
  });

  it('keeps the caller when a function calls another', async () => {
    const r = await cloud.call<{ outer: string; inner: WhoAmI }>('probe', { action: 'callSelf' }, 'nested-caller');
    expect(r).toEqual({ outer: 'nested-caller', inner: { before: 'nested-caller', after: 'nested-caller' } });
  });

  it('refuses a malformed identity header', async () => {
    const r = await cloud.post('/fn/probe', JSON.stringify({ action: 'whoami' }), {
      'x-wx-openid': 'bad id with spaces',
    });
    expect(r.status).toBe(400);
  });
});

describe('failures', () => {
  it('answers an unknown function with 404', async () => {
    const r = await cloud.post('/fn/nope', '{}');
    expect(r.status).toBe(404);
  });

  it('answers a body that is not JSON with 400', async () => {
    const r = await cloud.post('/fn/probe', '{not json', { 'x-wx-openid': 'someone' });
    expect(r.status).toBe(400);
  });

  it('answers a thrown error as a failed execution and keeps serving', async () => {
    const r = await cloud.post('/fn/probe', JSON.stringify({ action: 'throw' }), { 'x-wx-openid': 'someone' });
    expect(r.status).toBe(500);
    expect(r.json).toMatchObject({ errCode: -504002, errMsg: expect.stringContaining('probe was told to throw') });
    expect(await cloud.call<WhoAmI>('probe', { action: 'whoami' }, 'after-throw')).toEqual({
      before: 'after-throw',
      after: 'after-throw',
    });
  });

  it('stops a call that runs past the timeout in config.json', async () => {
    // -504003 is the platform's "timed out": the instance was stopped, not left to finish on its own.
    const r = await cloud.post('/fn/probe', JSON.stringify({ action: 'hang' }), { 'x-wx-openid': 'someone' });
    expect(r.status).toBe(500);
    expect(r.json).toMatchObject({ errCode: -504003 });
    expect(await cloud.call<WhoAmI>('probe', { action: 'whoami' }, 'after-hang')).toEqual({
      before: 'after-hang',
      after: 'after-hang',
    });
  });
});

describe('the envelope of a failure', () => {
  it('answers a platform quota error as UNAVAILABLE and a crash as INTERNAL, each in plain Chinese', async () => {
    expect(await cloud.call('busy', { action: 'quota' }, 'someone')).toEqual({
      ok: false,
      error: { code: 'UNAVAILABLE', message: '服务暂时忙，请稍后再试。' },
    });
    expect(await cloud.call('busy', { action: 'crash' }, 'someone')).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: '系统出了点问题，请稍后再试。' },
    });
  });
});

describe('clock and open APIs', () => {
  it('passes the local clock to the functions', async () => {
    // What the function reads lies between the moment set and that moment plus the real time taken.
    const set = Date.parse('2031-05-06T07:08:09.000Z');
    let started = Date.now();
    await cloud.setClock(new Date(set).toISOString());
    try {
      const { now } = await cloud.call<{ now: string }>('probe', { action: 'clock' }, 'clock-reader');
      expect(Date.parse(now)).toBeGreaterThanOrEqual(set);
      expect(Date.parse(now)).toBeLessThanOrEqual(set + (Date.now() - started));
    } finally {
      await cloud.setClock(null);
    }
    started = Date.now();
    const { now } = await cloud.call<{ now: string }>('probe', { action: 'clock' }, 'clock-reader');
    expect(Date.parse(now)).toBeGreaterThanOrEqual(started);
    expect(Date.parse(now)).toBeLessThanOrEqual(Date.now());
  });

  it('answers and records the content check, with the caller', async () => {
    const ok = await cloud.call<{ result: { suggest: string } }>(
      'probe',
      { action: 'secCheck', content: '帮我修一下路灯' },
      'checker',
    );
    expect(ok.result.suggest).toBe('pass');
    const bad = await cloud.call<{ result: { suggest: string } }>(
      'probe',
      { action: 'secCheck', content: '来赌博吧' },
      'checker',
    );
    expect(bad.result.suggest).toBe('risky');
    const r = await fetch(`${cloud.url}/_admin/openapi?api=security.msgSecCheck`);
    const { calls } = (await r.json()) as { calls: { caller: string; params: { content: string } }[] };
    expect(calls.map((c) => [c.caller, c.params.content])).toEqual([
      ['checker', '帮我修一下路灯'],
      ['checker', '来赌博吧'],
    ]);
  });
});
