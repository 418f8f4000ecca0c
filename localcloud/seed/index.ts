/**
 * Demo data for a fresh local cloud, so that whoever opens the demo sees a living county. Each
 * capability adds its part; a part writes through the engine directly (the functions' own rules are
 * exercised by the tests, not by seeding 5,000 practice points one call at a time).
 */
import type { Engine } from '../db/engine';
import { generateNetwork, summarizeNetwork } from './network';
import { seedPeople, type DemoIdentity } from './people';
import { seedOrders } from './orders';
import { seedActivities } from './activities';
import { seedIntegral } from './integral';
import { seedFigures } from './figures';

export type { DemoIdentity };

export interface SeedReport {
  identities: DemoIdentity[];
  counts: Record<string, number>;
  /** The moment the demo was generated for: the same moment gives the same demo. */
  at: Date;
  ms: number;
}

/** True when the database holds nothing yet: the demo data is loaded once, into an empty folder. */
export function isEmpty(engine: Engine): boolean {
  return ['users', 'orgs'].every((c) => !engine.hasCollection(c) || engine.count(c, {}) === 0);
}

export function seedDemo(engine: Engine, now: Date): SeedReport {
  const t0 = Date.now();
  const network = generateNetwork(now);
  engine.insert('orgs', network as unknown as Record<string, unknown>[]);
  const levels = summarizeNetwork(network);
  const people = seedPeople(engine, network, now);
  Object.assign(people.counts, seedOrders(engine, network, now).counts);
  Object.assign(people.counts, seedActivities(engine, network, now).counts);
  Object.assign(people.counts, seedIntegral(engine, network, now).counts);
  // Last: the figures count what the parts above seeded.
  Object.assign(people.counts, seedFigures(engine, network).counts);
  return {
    identities: people.identities,
    counts: { institutes: levels.institute, stations: levels.station, points: levels.point, ...people.counts },
    at: now,
    ms: Date.now() - t0,
  };
}
