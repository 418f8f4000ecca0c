/**
 * stats: the command center (指挥中心) — figures, the assessment, exports and the public figures.
 * This entry registers `export` only; overview, assessment, setAssessment and public come from the
 * stats-core branch and are added here at the merge (then defineFunction<StatsApi>).
 */
import type { StatsApi } from '../../typings/stats';
import { defineFunction } from '../shared/runtime/handler';
import { exportBook } from './actions/export';

/** The actions registered so far (the whole StatsApi after the merge). */
type StatsExportApi = Pick<StatsApi, 'export'>;

export const main = defineFunction<StatsExportApi>('stats', {
  export: exportBook,
});
