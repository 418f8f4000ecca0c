/** What global-setup leaves for global-teardown (both run in jest's main process). */
import type { LocalCloud } from '../../localcloud/server';

export const CLOUD_KEY = '__wmPagesCloud';

export interface PagesCloud {
  cloud: LocalCloud;
  dataDir: string;
}
