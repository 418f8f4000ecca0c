/**
 * Timer triggers: `npm start` fires each function's config.json timers on schedule, as the platform
 * (no caller identity), with CloudBase's timer event.
 */
import { parseTrigger } from '../../localcloud/timers';
import { buildFixtureFunctions } from '../helpers/fixtures';
import { startTestCloud, type TestCloud } from '../helpers/localcloud';

describe('timer triggers', () => {
  it('reads CloudBase’s 7-field cron, and refuses anything else', () => {
    expect(parseTrigger('0 */5 * * * * *')).toEqual({ pattern: '0 */5 * * * *', year: '*' });
    expect(parseTrigger('0 0 2 * * MON 2027')).toEqual({ pattern: '0 0 2 * * MON', year: '2027' });
    expect(() => parseTrigger('*/5 * * * *')).toThrow(/7 fields/);
  });

  let cloud: TestCloud | undefined;
  afterAll(async () => {
    await cloud?.close();
  });

  it('fires a function’s timer on schedule, as the platform', async () => {
    cloud = await startTestCloud({ functionsDir: await buildFixtureFunctions(), timers: true });
    cloud.engine.applyDefinitions([{ name: 'ticks', indexes: [] }]);
    expect(cloud.timers).toEqual([{ fn: 'ticker', name: 'everySecond', config: '* * * * * * *' }]);
    const deadline = Date.now() + 10_000;
    while (cloud.engine.count('ticks', {}) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const ticks = cloud.engine.find('ticks', { query: {} });
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks.every((t) => t.trigger === 'everySecond' && t.openid === null && typeof t.time === 'string')).toBe(
      true,
    );
  }, 30_000);
});
