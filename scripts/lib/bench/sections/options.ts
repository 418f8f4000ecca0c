/** What every section is given. */
export interface Options {
  /** Small sizes and few repetitions: a smoke run (the tooling test), not figures to quote. */
  quick: boolean;
  /** Progress lines (setup steps), to stderr. */
  log: (line: string) => void;
}
