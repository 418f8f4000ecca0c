/**
 * Timer triggers, as CloudBase fires them: each function's config.json may declare `triggers` of type
 * timer with a 7-field cron (second minute hour day month weekday year). `npm start` runs them so the
 * demo county's deadlines move on their own; tests call the timer functions directly instead. They
 * fire on the real time: moving the local clock changes what a run sees, not when it runs.
 */
import { Cron } from 'croner';
import type { FunctionPool } from './functions/pool';

export interface TimerTrigger {
  fn: string;
  name: string;
  config: string;
}

/** CloudBase's 7 fields → croner's 6 (the year field is checked at each firing). */
export function parseTrigger(config: string): { pattern: string; year: string } {
  const parts = config.trim().split(/\s+/);
  if (parts.length !== 7)
    throw new Error(`a timer needs 7 fields (second minute hour day month weekday year): "${config}"`);
  return { pattern: parts.slice(0, 6).join(' '), year: parts[6] };
}

const yearMatches = (field: string, year: number) =>
  field === '*' ||
  field
    .split(',')
    .some((f) =>
      f.includes('-') ? year >= Number(f.split('-')[0]) && year <= Number(f.split('-')[1]) : Number(f) === year,
    );

export function timerTriggers(pool: FunctionPool): TimerTrigger[] {
  return pool
    .list()
    .flatMap((fn) =>
      (pool.config(fn).triggers ?? [])
        .filter((t) => t.type === 'timer')
        .map((t) => ({ fn, name: t.name, config: t.config })),
    );
}

export function startTimers(
  triggers: TimerTrigger[],
  invoke: (fn: string, event: unknown) => Promise<unknown>,
  log: (line: string) => void = console.log,
): () => void {
  const jobs = triggers.map((t) => {
    const { pattern, year } = parseTrigger(t.config);
    let running = false;
    return new Cron(pattern, { protect: true }, async () => {
      const now = new Date();
      if (!yearMatches(year, now.getFullYear()) || running) return;
      running = true;
      try {
        const r = await invoke(t.fn, { Type: 'Timer', TriggerName: t.name, Time: now.toISOString(), Message: '' });
        log(`[timer] ${t.fn}/${t.name} ${JSON.stringify(r).slice(0, 200)}`);
      } catch (e) {
        log(`[timer] ${t.fn}/${t.name} failed: ${(e as Error).message}`);
      } finally {
        running = false;
      }
    });
  });
  return () => jobs.forEach((j) => j.stop());
}
