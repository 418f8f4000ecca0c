/** Who is calling, as the database knows them: their stored roles, read once per call. */
import { findUser } from '../user/store';
import type { HeldRole } from './domain/guard';

export interface CallerRecord {
  openid: string;
  roles: HeldRole[];
  name: string | null;
  stationId: string | null;
  householdId: string | null;
  /** False for an openid that has never logged in. */
  known: boolean;
}

export async function loadCaller(openid: string): Promise<CallerRecord> {
  const user = await findUser(openid);
  if (!user) return { openid, roles: [], name: null, stationId: null, householdId: null, known: false };
  return {
    openid,
    roles: user.roles ?? [],
    name: user.name ?? null,
    stationId: user.stationId ?? null,
    householdId: user.householdId ?? null,
    known: true,
  };
}
