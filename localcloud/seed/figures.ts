/**
 * The command center's figures for the demo: recomputed from what the other parts seeded, through the
 * same pure functions the live writes and the recompute check use, so the check agrees on a fresh demo.
 */
import type { Engine } from '../db/engine';
import { markDocs, recompute, recordsOf } from '../../cloudfunctions/shared/stats/domain/records';

const ALL = 10_000_000;

export function seedFigures(
  engine: Engine,
  network: readonly { _id: string; ancestors: string[] }[],
): {
  counts: Record<string, number>;
} {
  const all = (c: string) => (engine.hasCollection(c) ? engine.find(c, { query: {}, limit: ALL }) : []);
  const book = recompute(
    recordsOf({
      orders: all('orders'),
      checkins: all('checkins'),
      hours: all('hours'),
      activities: all('activities'),
      entries: all('integralLedger'),
      volunteers: all('volunteers'),
      // The network is in memory already: its paths are not read back.
      orgs: network as unknown as Record<string, unknown>[],
    }),
  );
  const docs = [...book.docs.values()] as unknown as Record<string, unknown>[];
  if (docs.length) engine.insert('figures', docs);
  const marks = markDocs(book);
  if (marks.length) engine.insert('figureMarks', marks);
  return { counts: { figureDocuments: docs.length } };
}
