/**
 * `npm run phones:encrypt`: seals every phone number still stored in clear (volunteers' phones, orders'
 * contact phones) with PHONE_KEY, and gives each volunteer its keyed hash (PHONE_HASH_KEY) — what the
 * functions write since phones are sealed. Safe to run again and while the functions run: a value is
 * replaced only while it is still the clear one read (a conditional update), sealed values are left.
 *
 * Keys: PHONE_KEY and PHONE_HASH_KEY, the same as the functions' (64 hex digits or base64 of 32
 * bytes). Against the local cloud they default to its development keys.
 * Target: the local cloud at LOCALCLOUD_URL (default http://127.0.0.1:3900), or a CloudBase
 * environment with TCB_ENV_ID, TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY set.
 */
import { isSealed, openPhone, parseKey, phoneHash, sealPhone } from '../cloudfunctions/shared/user/domain/phone';
import { phoneKeyEnv } from '../localcloud/phonekeys';
import { connectDatabase, describeTarget, targetFromEnv, sdkErrorText } from './lib/org-target';
import { eachDoc as each, type AdminDb as Db } from './lib/admin-db';

async function main(): Promise<number> {
  const target = targetFromEnv();
  if (!target) return 2;
  const local = target.kind === 'local';
  const keys = local ? phoneKeyEnv() : { PHONE_KEY: process.env.PHONE_KEY, PHONE_HASH_KEY: process.env.PHONE_HASH_KEY };
  if (!keys.PHONE_KEY || !keys.PHONE_HASH_KEY) {
    console.error('Set PHONE_KEY and PHONE_HASH_KEY: the keys the functions use (docs/DEPLOY.md).');
    return 2;
  }
  const key = parseKey(keys.PHONE_KEY, 'PHONE_KEY');
  const hashKey = parseKey(keys.PHONE_HASH_KEY, 'PHONE_HASH_KEY');
  const db = connectDatabase<Db>(target);
  console.log(`target: ${describeTarget(target)}`);

  let sealedVolunteers = 0;
  let hashed = 0;
  const volunteers = await each(db, 'volunteers', async (v) => {
    const phone = typeof v.phone === 'string' ? v.phone : '';
    if (!phone) return;
    const clear = openPhone(phone, key); // throws on a value sealed under another key: wrong PHONE_KEY
    const hash = phoneHash(clear, hashKey);
    if (isSealed(phone) && v.phoneHash === hash) return;
    const r = await db
      .collection('volunteers')
      .where({ _id: v._id, phone })
      .update({ phone: isSealed(phone) ? phone : sealPhone(clear, key), phoneHash: hash });
    if (r.code) throw new Error(`volunteer ${String(v._id)}: ${r.code}`);
    if (!isSealed(phone)) sealedVolunteers += r.updated ?? 0;
    hashed += r.updated ?? 0;
  });

  let sealedOrders = 0;
  const orders = await each(db, 'orders', async (o) => {
    const contact = o.contact as { phone?: string | null } | null | undefined;
    const phone = contact?.phone;
    if (!phone || isSealed(phone)) return;
    const r = await db
      .collection('orders')
      .where({ _id: o._id, 'contact.phone': phone })
      .update({ 'contact.phone': sealPhone(phone, key) });
    if (r.code) throw new Error(`order ${String(o._id)}: ${r.code}`);
    sealedOrders += r.updated ?? 0;
  });

  console.log(
    `volunteers: ${volunteers} read, ${sealedVolunteers} phone(s) sealed, ${hashed} hash(es) written; ` +
      `orders: ${orders} read, ${sealedOrders} contact phone(s) sealed`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(sdkErrorText(e));
    process.exit(1);
  },
);
