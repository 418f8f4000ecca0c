/**
 * Database operations counted as this instance makes them: every request to the database through
 * `database()` (a get, count, add, update, set, remove, an aggregate's end) and every operation of a
 * transaction (its start and commit, each document read or written) — the unit CloudBase's base tier
 * meters per second for the whole environment (PLATFORM.md). A function instance serves one call at a
 * time, so the difference of two readings is what the code between them cost.
 */
let operations = 0;

/** Operations this instance has made since it loaded. */
export const operationsMade = (): number => operations;

/** Counts `n` operations (the database wrapper and the transaction helper call this). */
export function spend(n = 1): void {
  operations += n;
}

/** Methods that send a request: each is one database operation. */
const SENDS = new Set(['get', 'count', 'add', 'update', 'set', 'remove', 'end']);

/**
 * The database object with its requests counted: collection(), doc(), where() and the other builders
 * answer counted builders; a sending method counts one operation. Anything else (db.command, Geo,
 * serverDate) is answered as the SDK made it.
 */
export function metered<T extends object>(target: T, builders = true): T {
  return new Proxy(target, {
    get(t, prop, _receiver) {
      const v = Reflect.get(t, prop, t) as unknown;
      if (typeof v !== 'function' || typeof prop !== 'string') return v;
      const fn = v as (...a: unknown[]) => unknown;
      return (...args: unknown[]) => {
        const out = fn.apply(t, args);
        if (SENDS.has(prop)) {
          spend();
          return out;
        }
        const wrap = builders || prop === 'collection';
        return wrap && out !== null && typeof out === 'object' && typeof (out as { then?: unknown }).then !== 'function'
          ? metered(out, true)
          : out;
      };
    },
  });
}

/**
 * A run's budget of database operations and time (the timer's): work is taken on in units — a query,
 * an order's change with its follow-ups, a group's — and a unit is started only while what it may cost
 * still fits. What a unit of a kind may cost is the most one of that kind has cost in this run (counted),
 * or, before the first, a generous bound given by the caller.
 */
export class RunBudget {
  private readonly start = operationsMade();
  private readonly started: number;
  private readonly most = new Map<string, number>();

  constructor(
    readonly maxOps: number,
    readonly maxMs: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.started = clock();
  }

  /** Operations spent since the run began. */
  spent(): number {
    return operationsMade() - this.start;
  }

  elapsed(): number {
    return this.clock() - this.started;
  }

  /** Whether time is left at all. */
  timeLeft(): boolean {
    return this.elapsed() < this.maxMs;
  }

  /** What a unit of `kind` may cost: the most one cost in this run, at least `bound` until one ran. */
  reserve(kind: string, bound: number): number {
    return this.most.get(kind) ?? bound;
  }

  /** Whether a unit of `kind` (`bound`: what one may cost before any ran) fits in what is left. */
  fits(kind: string, bound: number): boolean {
    return this.timeLeft() && this.spent() + this.reserve(kind, bound) <= this.maxOps;
  }

  /**
   * A share of what is left for one job of the run: at most `fraction` of the operations and of the time
   * still left (so a backlog in one job never starves the ones after it); what a job leaves unspent
   * stays for the next. Its spending is the run's too (both read the same counter).
   */
  share(fraction: number): RunBudget {
    const ops = Math.floor(Math.max(0, this.maxOps - this.spent()) * fraction);
    const ms = Math.max(0, this.maxMs - this.elapsed()) * fraction;
    return new RunBudget(ops, ms, this.clock);
  }

  /** Counts `cost` into the most a unit of `kind` may cost. */
  record(kind: string, cost: number): void {
    this.most.set(kind, Math.max(this.most.get(kind) ?? 0, cost));
  }

  /** Runs a unit, counting what it cost into the most a unit of its kind may cost. */
  async unit<T>(kind: string, fn: () => Promise<T>): Promise<T> {
    const before = operationsMade();
    try {
      return await fn();
    } finally {
      this.record(kind, operationsMade() - before);
    }
  }
}
