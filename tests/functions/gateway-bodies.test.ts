/**
 * Every bad body reaching the function gateway gets the typed envelope (INVALID_ARGUMENT and a plain
 * message), not HTTP 500 with a stack overflow or a bare platform error code; and nothing is run.
 */
import { startTestCloud, type TestCloud } from '../helpers/localcloud';

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
});

afterAll(async () => {
  await cloud.close();
});

const post = async (body: string) => {
  const r = await fetch(`${cloud.url}/fn/user`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-wx-openid': 'body-tester' },
    body,
  });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
};

const typed = { ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/[\u4e00-\u9fa5]/) } };

it('answers a body nested 5,000 levels deep with the typed envelope', async () => {
  const deep = `{"action":"me","x":${'['.repeat(5000)}${']'.repeat(5000)}}`;
  const r = await post(deep);
  expect(r.status).toBe(400);
  expect(r.json).toMatchObject(typed);
});

it.each([
  ['not json', '{"action": "me"'],
  ['a bare word', 'hello'],
  ['a JSON string', '"me"'],
])('answers %s with the typed envelope', async (_what, body) => {
  const r = await post(body);
  expect(r.status).toBeLessThan(500);
  expect(r.json).toMatchObject(typed);
});

it('still answers a good body', async () => {
  expect(await post('{"action":"me"}')).toMatchObject({ status: 200, json: { ok: true } });
});
