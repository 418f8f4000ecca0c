/**
 * The local cloud's clock. Tests and demos move it (`POST /_admin/clock`) to exercise SLAs and timers
 * without waiting; it then keeps running from the time it was set to. The database (serverDate,
 * transaction expiry) and every function call (through LOCALCLOUD_CLOCK_OFFSET_MS) read it.
 */
export class Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Sets the current time, or returns to real time with null. */
  set(iso: string | null): void {
    if (iso === null) {
      this.offsetMs = 0;
      return;
    }
    const t = Date.parse(iso);
    if (Number.isNaN(t)) throw new Error(`not an ISO time: ${iso}`);
    this.offsetMs = t - Date.now();
  }

  offset(): number {
    return this.offsetMs;
  }
}
