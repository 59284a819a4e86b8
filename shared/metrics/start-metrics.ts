import { loadConfig } from '../config/load-config';
import { onShutdown } from '../runtime/shutdown';
import { withinBound } from '../runtime/within-bound';
import { MetricsEnv, metricsPlan } from './metrics-env';

/** How long stopping waits for the last export to reach the collector: a pod has SHUTDOWN_GRACE_MS in all. */
const FLUSH_BOUND_MS = 2_000;

/**
 * Starts metrics per the OTEL_* settings (metrics-env.ts), once, at a function's start. Off (the default), it loads
 * and registers nothing, so the API's no-op meter stays and every instrument (meter.ts) is a no-op: the cold start is
 * the same as without metrics. On, it loads the SDK (metrics-sdk.ts), registers its MeterProvider, and exports what
 * was recorded since the last export when the process stops.
 *
 * @returns whether metrics are on. Throws a ConfigError for a bad OTEL_* value.
 */
export async function startMetrics(
  names: { readonly functionName: string; readonly serviceName: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean> {
  const plan = metricsPlan(loadConfig(MetricsEnv, env), names.functionName);
  if (!plan) return false;
  const { startMetricsSdk } = await import('./metrics-sdk');
  const provider = startMetricsSdk(plan, names);
  // Registered at start, so it runs after the hooks that close stores (newest first): what they did is counted too.
  // Shutting the provider down collects and exports once more, then stops the periodic export.
  onShutdown('metrics', () => withinBound(provider.shutdown(), FLUSH_BOUND_MS));
  return true;
}
