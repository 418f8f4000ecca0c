/**
 * Who may call each stats action: every action × every role × inside and outside its scope, the
 * expectations written here by hand. Inside: haian-01 / haian-01-001 (the node asked about); outside:
 * haian-02 / haian-02-001. The center covers both; the public figures need no role, nor a login.
 */
import type { Result } from '../../typings/errors';
import { ROLES, type Role } from '../../typings/domain';
import { startTestCloud, type TestCloud } from '../helpers/localcloud';
import { person } from '../helpers/people';
import { actionsOf } from '../helpers/actions';

jest.setTimeout(60_000);

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
});

afterAll(async () => {
  await cloud.close();
});

const HOME = (scope: 'in' | 'out', role: Role): string => {
  const institute = scope === 'in' ? 'haian-01' : 'haian-02';
  if (role === 'centerAdmin') return 'haian';
  return role === 'instituteAdmin' ? institute : `${institute}-001`;
};

type Cell = { event: Record<string, unknown>; allowed: readonly Role[] | 'all'; insideOnly?: boolean };
const MANAGERS: Role[] = ['stationHead', 'instituteAdmin', 'centerAdmin'];

const MATRIX: Record<string, Cell> = {
  overview: { event: { action: 'overview', orgId: 'haian-01-001' }, allowed: MANAGERS },
  assessment: { event: { action: 'assessment', orgId: 'haian-01-001' }, allowed: MANAGERS },
  setAssessment: {
    event: { action: 'setAssessment', indicators: [{ key: 'fulfilmentRate', weight: 100, target: 0.9 }] },
    allowed: ['centerAdmin'],
  },
  export: { event: { action: 'export', kind: 'figures', orgId: 'haian-01-001' }, allowed: MANAGERS },
  public: { event: { action: 'public' }, allowed: 'all' },
};

it('covers every action of the stats function', () => {
  expect(actionsOf('stats').sort()).toEqual(Object.keys(MATRIX).sort());
});

const cases = Object.entries(MATRIX).flatMap(([name, cell]) =>
  ROLES.flatMap((role) =>
    (['in', 'out'] as const).map((scope) => ({
      name,
      cell,
      role,
      scope,
      allowed: cell.allowed === 'all' || (cell.allowed.includes(role) && (scope === 'in' || role === 'centerAdmin')),
    })),
  ),
);

it.each(cases)('stats.$name as $role ($scope) → $allowed', async ({ name, cell, role, scope, allowed }) => {
  const openid = person(cloud, `s-${name}-${role}-${scope}`, [[role, HOME(scope, role)]]);
  const r = await cloud.call<Result<unknown>>('stats', cell.event, openid);
  if (allowed) expect(r).toMatchObject({ ok: true });
  else expect(r).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.any(String) } });
});

it('answers the public figures without a login, and nothing else', async () => {
  expect(await cloud.call('stats', { action: 'public' })).toMatchObject({ ok: true });
  for (const action of ['overview', 'assessment', 'setAssessment', 'export']) {
    expect(await cloud.call('stats', { action })).toEqual({
      ok: false,
      error: { code: 'UNAUTHENTICATED', message: expect.any(String) },
    });
  }
  expect(await cloud.call('stats', { action: 'nothing' })).toMatchObject({
    ok: false,
    error: { code: 'UNAUTHENTICATED' },
  });
});
