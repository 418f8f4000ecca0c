/**
 * The integral function's permission matrix, read from its declarations: every action × every role
 * inside and outside its scope, and for the actions on a household, a record, a ledger entry or a
 * pickup code, also a member of the household and a villager of the village. The expected answer is
 * derived from what each action declares (roles and node, or the relations it accepts) and from this
 * test's own statement of how each caller stands to the demo village; the call goes through the gateway.
 */
import type { Result } from '../../typings/errors';
import { INTEGRAL_DEFAULTS } from '../../typings/integral';
import { DISPATCHER_ROLES, ROLES, type Role } from '../../typings/domain';
import { startTestCloud, type TestCloud } from '../helpers/localcloud';
import { person } from '../helpers/people';
import { actionsOf } from '../helpers/actions';
import { HOUSEHOLD, integralClient, NEIGHBOUR_HOUSEHOLD, STATION, VILLAGER } from '../helpers/integral';
import {
  actsOnOwnScope,
  isDocumentAccess,
  isOpenAccess,
  rolesFor,
  type ActionDef,
} from '../../cloudfunctions/shared/runtime/action';
import { main as integral } from '../../cloudfunctions/integral/index';

// The timer runs below also work through the demo county's orders: slow on a busy machine.
jest.setTimeout(120_000);

let cloud: TestCloud;
let c: ReturnType<typeof integralClient>;
/** A one-point item, so the demo household can redeem once for every caller of the matrix. */
let itemId: string;

beforeAll(async () => {
  cloud = await startTestCloud({ demo: true });
  c = integralClient(cloud);
  itemId = await c.item(1, 100, '矩阵商品');
});

afterAll(async () => {
  await cloud.close();
});

const ACTIONS = (integral as unknown as { actions: Record<string, ActionDef<unknown, unknown>> }).actions;
const HOME: Record<'in' | 'out', Record<Role, string>> = {
  in: { villager: STATION, volunteer: STATION, stationHead: STATION, instituteAdmin: 'haian-01', centerAdmin: 'haian' },
  out: {
    villager: 'haian-02-001',
    volunteer: 'haian-02-001',
    stationHead: 'haian-02-001',
    instituteAdmin: 'haian-02',
    centerAdmin: 'haian',
  },
};

/** Requests to the actions that act on no document; `precondition`: an allowed caller may be asked to bind first. */
const ROWS: Record<string, { event: Record<string, unknown>; precondition?: boolean }> = {
  rules: { event: { action: 'rules', stationId: STATION } },
  setRule: { event: { action: 'setRule', stationId: STATION, ruleId: 'env-yard', points: 4 } },
  claim: {
    event: { action: 'claim', ruleId: 'customs-reading', note: '参加道德讲堂', requestId: 'perm-1234567' },
    precondition: true,
  },
  claims: { event: { action: 'claims', scope: 'queue', stationId: STATION } },
  notices: { event: { action: 'notices', stationId: STATION } },
  items: { event: { action: 'items', stationId: STATION } },
  saveItem: {
    event: { action: 'saveItem', stationId: STATION, name: '矩阵商品', points: 1, addStock: 1, pickupPlace: '村委会' },
  },
  redeem: { event: { action: 'redeem', itemId: 'demo-item-4', requestId: 'perm-1234567' }, precondition: true },
  redemptions: { event: { action: 'redemptions', scope: 'station', stationId: STATION } },
  rank: { event: { action: 'rank', orgId: STATION } },
  settings: { event: { action: 'settings' } },
  setSettings: { event: { action: 'setSettings', settings: INTEGRAL_DEFAULTS } },
};

type Relation = 'member' | 'villager' | 'manager';
type Caller = { role: Role; scope: 'in' | 'out' } | { member: true };

/** How each caller stands to a household, record, entry or reservation of the demo village. */
function relationsOf(caller: Caller): Relation[] {
  if ('member' in caller) return ['member', 'villager'];
  const inside = caller.scope === 'in' || caller.role === 'centerAdmin';
  if (caller.role === 'villager' && caller.scope === 'in') return ['villager'];
  return DISPATCHER_ROLES.includes(caller.role) && inside ? ['manager'] : [];
}

/** Makes the document a document action is called on, fresh for each call, and answers the request. */
const DOCUMENT_ROWS: Record<string, () => Promise<Record<string, unknown>>> = {
  award: async () => ({
    action: 'award',
    householdId: HOUSEHOLD,
    ruleId: 'ban-burning',
    note: '焚烧秸秆，被村干部当场劝阻制止',
    requestId: c.requestId(),
  }),
  ledger: async () => ({ action: 'ledger', householdId: HOUSEHOLD }),
  balance: async () => ({ action: 'balance', householdId: HOUSEHOLD }),
  review: async () => {
    const { id } = await c.ok(
      c.call('demo-vil-1-1', {
        action: 'claim',
        ruleId: 'customs-reading',
        note: '参加道德讲堂',
        requestId: c.requestId(),
      }),
    );
    return { action: 'review', id, approve: false, reason: '矩阵测试' };
  },
  object: async () => {
    const { id } = await c.ok(c.award(NEIGHBOUR_HOUSEHOLD, 'ban-burning'));
    return { action: 'object', id, reason: '我看到的不是这样' };
  },
  settleObjection: async () => {
    const { id } = await c.ok(c.award(NEIGHBOUR_HOUSEHOLD, 'ban-burning'));
    await c.ok(c.call(VILLAGER, { action: 'object', id, reason: '我看到的不是这样' }));
    return { action: 'settleObjection', id, uphold: false, reason: '经核实属实' };
  },
  reverse: async () => ({ action: 'reverse', entryId: 'claim:demo-claim-1', reason: '矩阵测试' }),
  verifyPickup: async () => {
    const r = await c.ok(c.call(VILLAGER, { action: 'redeem', itemId, requestId: c.requestId() }));
    return { action: 'verifyPickup', code: r.pickupCode };
  },
};

it('has a row for every action of the integral function', () => {
  const rows = [...Object.keys(ROWS), ...Object.keys(DOCUMENT_ROWS)].sort();
  expect(actionsOf('integral').sort()).toEqual(rows);
  expect(Object.keys(DOCUMENT_ROWS).every((a) => isDocumentAccess(ACTIONS[a].access))).toBe(true);
  expect(Object.keys(ROWS).some((a) => isDocumentAccess(ACTIONS[a].access))).toBe(false);
});

const expectAnswer = (r: Result<unknown>, allowed: boolean, precondition = true) => {
  if (!allowed) expect(r.ok ? 'ok' : r.error.code).toBe('FORBIDDEN');
  else if (precondition && !r.ok) expect(r.error.code).toBe('FAILED_PRECONDITION');
  else expect(r).toMatchObject({ ok: true });
};

const roleCases = Object.entries(ROWS).flatMap(([key, row]) =>
  ROLES.flatMap((role) =>
    (['in', 'out'] as const).map((scope) => {
      const access = ACTIONS[key].access;
      let allowed = true;
      if (!isOpenAccess(access) && !isDocumentAccess(access)) {
        const roles = rolesFor(access, row.event);
        allowed =
          roles.length === 0 ||
          (roles.includes(role) && (scope === 'in' || role === 'centerAdmin' || actsOnOwnScope(access, row.event)));
      }
      return { key, row, role, scope, allowed };
    }),
  ),
);

it.each(roleCases)('integral.$key as $role ($scope) → $allowed', async ({ key, row, role, scope, allowed }) => {
  const openid = person(cloud, `ip-${key}-${role}-${scope}`, [[role, HOME[scope][role]]]);
  expectAnswer(await c.call(openid, row.event as never), allowed, row.precondition ?? false);
});

const CALLERS: Caller[] = [
  ...ROLES.flatMap((role) => (['in', 'out'] as const).map((scope) => ({ role, scope }))),
  { member: true },
];

const documentCases = Object.keys(DOCUMENT_ROWS).flatMap((key) =>
  CALLERS.map((caller) => {
    const access = ACTIONS[key].access;
    const declared = isDocumentAccess(access) ? access.as : [];
    const name = 'member' in caller ? 'a member of the household' : `${caller.role} (${caller.scope})`;
    return { key, caller, name, allowed: relationsOf(caller).some((r) => declared.includes(r)) };
  }),
);

it.each(documentCases)('integral.$key as $name → $allowed', async ({ key, caller, allowed }) => {
  const event = await DOCUMENT_ROWS[key]();
  const openid =
    'member' in caller
      ? VILLAGER
      : person(cloud, `ipd-${key}-${caller.role}-${caller.scope}`, [[caller.role, HOME[caller.scope][caller.role]]]);
  // Allowed callers may still meet the record's state (a cap, an objection already settled): never FORBIDDEN.
  expectAnswer(await c.call(openid, event as never), allowed);
});
