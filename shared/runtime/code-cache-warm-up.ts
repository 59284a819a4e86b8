/**
 * The build writes each bundle's V8 code cache from one run of the function (dev/function-loader.ts), and the
 * cache holds only the functions that ran by then. So in that run (ECOM_WRITE_CODE_CACHE=1, every service address
 * pointing at a closed port) the function rehearses what its first request runs: requests to its own routes, and
 * the steps adapters register here (a driver's connect path, say). Then it tells the loader to write the cache.
 * A deployed function never does any of this.
 */

/** What the loader listens for (see dev/function-loader.ts). */
export const WARMING_UP = 'ecom:code-cache-warming-up';
export const WARMED_UP = 'ecom:code-cache-warmed-up';

const steps: (() => Promise<unknown>)[] = [];

export function writingCodeCache(): boolean {
  return process.env['ECOM_WRITE_CODE_CACHE'] === '1';
}

/** Registers a step of the rehearsal; it should fail fast (every address is a closed port) and leave nothing open. */
export function onCodeCacheWarmUp(step: () => Promise<unknown>): void {
  steps.push(step);
}

/** Runs the registered steps and `rehearsal`, whatever they answer, then lets the loader write the cache. */
export function warmUpForCodeCache(rehearsal: () => Promise<unknown>): void {
  const loader: NodeJS.EventEmitter = process;
  loader.emit(WARMING_UP);
  const all = [rehearsal, ...steps].map((step) => step());
  void Promise.allSettled(all).then(() => loader.emit(WARMED_UP));
}
