import { loadConfig } from '../config/load-config';
import { onShutdown } from '../runtime/shutdown';
import { withinBound } from '../runtime/within-bound';
import { TracingEnv, tracingPlan } from './tracing-env';

/** How long stopping waits for the last spans to reach the collector: a pod has SHUTDOWN_GRACE_MS in all. */
const FLUSH_BOUND_MS = 2_000;

/**
 * Starts tracing per the OTEL_* settings (tracing-env.ts), once, at a function's start. Off (the default), it loads and
 * registers nothing, so the API's no-op tracer stays and the cold start is the same as without tracing. On, it loads
 * the SDK (tracing-sdk.ts), registers it, and flushes the spans still batched when the process stops.
 *
 * @returns whether tracing is on. Throws a ConfigError for a bad OTEL_* value.
 */
export async function startTracing(
  names: { readonly functionName: string; readonly serviceName: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean> {
  const plan = tracingPlan(loadConfig(TracingEnv, env), names.functionName);
  if (!plan) return false;
  const { startTracingSdk } = await import('./tracing-sdk');
  const provider = startTracingSdk(plan, names);
  // Registered at start, so it runs after the hooks that close stores (newest first): their spans are flushed too.
  onShutdown('tracing', () => withinBound(provider.shutdown(), FLUSH_BOUND_MS));
  return true;
}
