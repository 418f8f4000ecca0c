/** The station a station head runs, from the caller's `Me` (loaded when this page is the first to need it). */
import { currentMe, loadMe } from '../../../services/session';

export async function stationOfHead(): Promise<string | undefined> {
  const me = currentMe() ?? (await loadMe().catch(() => undefined));
  return me?.roles.find((r) => r.role === 'stationHead')?.orgId ?? undefined;
}
