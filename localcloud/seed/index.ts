/**
 * Demo data for a fresh local cloud, so that whoever opens the demo sees a living county. Each
 * capability adds its part; a part writes through the engine directly (the functions' own rules are
 * exercised by the tests, not by seeding 5,000 practice points one call at a time).
 */
import type { Engine } from '../db/engine';

export interface DemoIdentity {
  openid: string;
  who: string;
}

export interface SeedReport {
  identities: DemoIdentity[];
  counts: Record<string, number>;
}

/** True when the database holds no user yet: the demo data is loaded once, into an empty folder. */
export function isEmpty(engine: Engine): boolean {
  return !engine.hasCollection('users') || engine.count('users', {}) === 0;
}

export function seedDemo(engine: Engine, now: Date): SeedReport {
  const identities: DemoIdentity[] = [{ openid: 'demo-villager', who: '群众（还未绑定村居）' }];
  const at = now;
  engine.insert(
    'users',
    identities.map((i) => ({
      _id: i.openid,
      openid: i.openid,
      roles: [],
      nickname: null,
      stationId: null,
      householdId: null,
      createdAt: at,
      lastLoginAt: at,
    })),
  );
  return { identities, counts: { users: identities.length } };
}
