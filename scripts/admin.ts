/**
 * `npm run admin -- grant-center <openid>` appoints a center admin: how a new deployment gets its first
 * one (after that, center admins appoint each other and institute admins in the mini-program).
 * `npm run admin -- list` lists the center admins. Talks to the local cloud or, with TCB_ENV_ID,
 * TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY set, to a real environment, through the admin SDK.
 *
 * The person must have opened the mini-program once (so their record exists); their openid is shown on
 * the 我的 page.
 */
import { roleFields, type UserDoc } from '../cloudfunctions/shared/user/domain/model';
import type { OrgDoc } from '../cloudfunctions/shared/org/domain/model';
import { ID_PATTERN } from '../typings/time';
import { connectDatabase, describeTarget, sdkErrorText, targetFromEnv } from './lib/org-target';

interface Result {
  code?: string;
  message?: string;
  data?: unknown;
  updated?: number;
}
interface Query {
  where(q: Record<string, unknown>): Query;
  limit(n: number): Query;
  get(): Promise<Result>;
  update(data: Record<string, unknown>): Promise<Result>;
}
interface Db {
  command: { elemMatch(q: Record<string, unknown>): unknown };
  collection(name: string): { where(q: Record<string, unknown>): Query };
}

const USAGE = 'usage: npm run admin -- grant-center <openid> | list';

async function main(argv: string[]): Promise<number> {
  const [command, openid] = argv;
  if (command !== 'list' && !(command === 'grant-center' && openid && ID_PATTERN.test(openid))) {
    console.error(USAGE);
    return 2;
  }
  const target = targetFromEnv();
  if (!target) return 2;
  const db = connectDatabase<Db>(target);
  const rows = async (coll: string, q: Record<string, unknown>): Promise<unknown[]> => {
    const r = await db.collection(coll).where(q).limit(100).get();
    if (r.code) throw new Error(`${r.code} ${r.message ?? ''}`);
    return (r.data ?? []) as unknown[];
  };
  console.log(`target: ${describeTarget(target)}`);

  const [center] = (await rows('orgs', { level: 'center' })) as OrgDoc[];
  if (!center) {
    console.error('The network is not there yet: import it first (npm run org -- import <file.csv>).');
    return 1;
  }
  if (command === 'list') {
    const admins = (await rows('users', { roles: db.command.elemMatch({ role: 'centerAdmin' }) })) as UserDoc[];
    for (const a of admins) console.log(`${a.openid}\t${a.name ?? ''}`);
    console.log(`${admins.length} center admin(s) of ${center.name}`);
    return 0;
  }

  for (let attempt = 0; attempt < 5; attempt += 1) {
    const [user] = (await rows('users', { _id: openid })) as UserDoc[];
    if (!user) {
      console.error(`No user ${openid}: they must open the mini-program once first.`);
      return 1;
    }
    if ((user.roles ?? []).some((r) => r.role === 'centerAdmin' && r.orgId === center._id)) {
      console.log(`${openid} is already a center admin of ${center.name}.`);
      return 0;
    }
    const roles = [...(user.roles ?? []), { role: 'centerAdmin' as const, orgId: center._id, path: [center._id] }];
    // The same conditional update on the revision the functions use: a concurrent change is not lost.
    const r = await db
      .collection('users')
      .where({ _id: openid, rev: user.rev ?? 0 })
      .update({ ...roleFields(roles), rev: (user.rev ?? 0) + 1 });
    if (r.code) throw new Error(`${r.code} ${r.message ?? ''}`);
    if (r.updated === 1) {
      console.log(`${openid}${user.name ? ` (${user.name})` : ''} is now a center admin of ${center.name}.`);
      return 0;
    }
  }
  console.error('The record kept changing; try again.');
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(sdkErrorText(e));
    process.exit(1);
  },
);
