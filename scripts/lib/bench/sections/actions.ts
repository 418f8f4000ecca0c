/**
 * actions: every action of every function (each function's `main.actions`), called once along a walk
 * through the demo county (actions-story.ts), with its sequential round trips split into the reads
 * before its first write, the write (from the first write-side operation to the last: a transaction's
 * reads and writes are each a request to CloudBase, so all are counted) and any reads after it. The
 * counts are deterministic: a `--quick` run gives the same ones.
 */
import { allActions } from '../../../../tests/helpers/actions';
import { BenchCloud } from '../cloud';
import { rowOf, type Row, type Section } from '../report';
import { STORY, type State } from './actions-story';
import type { Options } from './options';

const MIN = 60_000;

export async function actionsSection(opts: Options): Promise<Section> {
  opts.log('actions: starting a local cloud with the demo county');
  // Each request held 40 ms: on a loaded machine the parallel requests of a call are still seen together.
  const bench = await BenchCloud.start({ demo: true, holdMs: 40 });
  try {
    const start = Math.ceil(bench.cloud.clock.now() / MIN) * MIN;
    const st: State = { start, now: () => bench.cloud.clock.now() };
    await bench.setClock(new Date(start).toISOString());
    // A first call to each function, unmeasured: its instance loaded.
    for (const fn of ['user', 'org', 'order', 'activity', 'integral', 'stats'])
      await bench.answer(fn, { action: fn === 'stats' ? 'public' : 'settings' }, 'demo-villager');
    const rows: Row[] = [];
    const notes: string[] = [];
    const seen = new Set<string>();
    for (const step of STORY) {
      if (step.clockAt !== undefined) await bench.setClock(new Date(start + step.clockAt * MIN).toISOString());
      const [fn, action] = step.action.split('.');
      let answer: Record<string, unknown> = {};
      if (process.env.BENCH_TRACE) process.stderr.write(`${step.action}${step.what ? ` (${step.what})` : ''}\n`);
      const cost = await bench.measure(async () => {
        answer = await bench.answer(fn, { action, ...step.event(st) }, step.who);
      });
      seen.add(step.action);
      const error = answer.ok === true ? undefined : (answer.error as { code?: string } | undefined);
      if (answer.ok === true) step.keep?.(answer.data as Record<string, unknown>, st);
      const what = `${step.action}${step.what ? ` (${step.what})` : ''}`;
      rows.push(rowOf(what, [cost], error ? `answered ${error.code ?? JSON.stringify(answer)}` : undefined, true));
      if (error) notes.push(`${what} answered an error: ${JSON.stringify(answer.error)}`);
    }
    const missing = allActions().filter((a) => !seen.has(a) && !a.startsWith('bigscreen.'));
    if (missing.length) notes.push(`not measured: ${missing.join(', ')}`);
    return {
      name: 'actions',
      title: 'every action of every function, its round trips in sequence',
      setup: [
        `${STORY.length} calls along one walk through the demo county (actions-story.ts), one at a time, each function loaded first`,
        'each tcb request held 40 ms before it is served, so requests sent together are counted as one round trip even on a loaded machine (the times include the holds)',
        'reads + write + after: round trips before the first write-side operation, from it to the last (a transaction’s every operation is a request to CloudBase), and after',
      ],
      rows,
      notes,
    };
  } finally {
    await bench.close();
  }
}
