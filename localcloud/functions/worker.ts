/**
 * One function instance. Like a CloudBase instance it serves one call at a time, so the caller's
 * identity can live in process.env (which is where wx-server-sdk's getWXContext() reads it) without
 * leaking into another call. The module is loaded once and stays warm between calls.
 */
import { parentPort, workerData } from 'node:worker_threads';

interface Init {
  entry: string;
}
interface CallMessage {
  callId: number;
  event: unknown;
  env: Record<string, string>;
  perCallKeys: string[];
}

const { entry } = workerData as Init;
let main: ((event: unknown, context: unknown) => unknown) | undefined;

try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  main = (require(entry) as { main?: typeof main }).main;
  if (typeof main !== 'function') throw new Error(`${entry} exports no main()`);
  parentPort?.postMessage({ type: 'ready' });
} catch (e) {
  parentPort?.postMessage({ type: 'failed', error: (e as Error).stack ?? String(e) });
}

parentPort?.on('message', (msg: CallMessage) => {
  void (async () => {
    for (const k of msg.perCallKeys) delete process.env[k];
    Object.assign(process.env, msg.env);
    const context = { request_id: `local-${msg.callId}`, function_name: process.env.SCF_FUNCTIONNAME };
    try {
      const result = await main!(msg.event, context);
      parentPort?.postMessage({
        type: 'result',
        callId: msg.callId,
        ok: true,
        result: result === undefined ? null : result,
      });
    } catch (e) {
      parentPort?.postMessage({
        type: 'result',
        callId: msg.callId,
        ok: false,
        error: (e as Error)?.stack ?? String(e),
      });
    }
  })();
});
