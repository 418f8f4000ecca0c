/**
 * The time, as every function reads it. In production this is the platform clock; the local cloud can
 * move its clock for tests and demos and passes the offset in LOCALCLOUD_CLOCK_OFFSET_MS (a variable
 * CloudBase never sets).
 */
export function nowMs(): number {
  const offset = Number(process.env.LOCALCLOUD_CLOCK_OFFSET_MS ?? 0);
  return Date.now() + (Number.isFinite(offset) ? offset : 0);
}

export function now(): Date {
  return new Date(nowMs());
}
