/** The users collection. */
import { database, isDuplicateKey, listOf } from '../runtime/sdk';
import { AppError } from '../runtime/errors';
import { newUser, type UserDoc } from './model';

const users = () => database().collection('users');

/** Creates the record on first sight of an openid; safe to call twice, and twice at once. */
export async function ensureUser(openid: string, at: Date): Promise<{ user: UserDoc; created: boolean }> {
  let created = false;
  try {
    await users().add({ data: newUser(openid, at) });
    created = true;
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    await users().doc(openid).update({ data: { lastLoginAt: at } });
  }
  const user = await findUser(openid);
  if (!user) throw new AppError('INTERNAL');
  return { user, created };
}

export async function findUser(openid: string): Promise<UserDoc | undefined> {
  const [user] = await listOf<UserDoc>(users().where({ _id: openid }).limit(1));
  return user;
}
