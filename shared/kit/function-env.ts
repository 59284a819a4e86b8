import type { z } from 'zod';
import type { EventDefinition } from '../../events/event-definition';
import { UserGrpcEnv } from '../auth/user-grpc-env';
import { AccessTokenVerifierEnv } from '../auth/verifier-config';
import { ConfigError, loadConfig } from '../config/load-config';
import { isSecret } from '../config/secret';
import { HistoryEnv } from '../history/history-env';
import { EventSinkEnv } from '../messaging/event-sink-env';
import { MetricsEnv } from '../metrics/metrics-env';
import type { Trigger } from '../runtime/function-definition';
import { ServiceDatabaseEnv } from '../sql/service-database';
import type { IsolationLevel } from '../sql/session-isolation';
import { TracingEnv } from '../tracing/tracing-env';
import type { ServiceDeclaration } from './service-declaration';

/** An environment schema: a zod object of variables (refinements allowed). */
export type EnvSchema = z.ZodObject;

/** The stores a function opens; each brings the variables that reach it. */
export interface StoreUse {
  /**
   * The service database (with its outbox and processed events); `pool` sets the pool size (default 5), `isolation`
   * the level its connections start at: the one its transactions take (REPEATABLE READ unless said).
   */
  readonly database?: boolean | { readonly pool: number; readonly isolation?: IsolationLevel };
  /**
   * The events it publishes through the outbox to the event sink (Kafka, or K_SINK): the definitions of the types it
   * appends, which the outbox holds it to (and docs/asyncapi.yaml names it their publisher); `'relay'` for a
   * service's outbox relay, which appends nothing and publishes what the service's other functions appended; or
   * `'replay'` for a function that appends events other functions published, as they were (their id, type and
   * source: replay-dead-letters), and so publishes no type of its own.
   */
  readonly events?: readonly EventDefinition[] | 'relay' | 'replay';
  /** The histories of its service it reads or writes. */
  readonly histories?: readonly string[];
}

/** One group of variables a function reads, parsed on its own at start. */
export interface EnvPart {
  readonly name: 'database' | 'events' | 'histories' | 'tokens' | 'sessions' | 'tracing' | 'metrics' | 'own';
  readonly schema: EnvSchema;
}

/** Whether callers present access tokens: an HTTP route that is not public, or any gRPC method. */
export function checksTokens(trigger: Trigger): boolean {
  if (trigger.kind === 'grpc') return true;
  return (
    trigger.kind === 'http' && trigger.routes.some((route) => route.auth !== 'public' || route.readsCaller)
  );
}

/**
 * Whether the function confirms sessions with the user service over gRPC: it is outside the service that keeps them
 * and has admin-only routes, or is a gRPC sidecar (whose methods' levels its code decides).
 */
export function confirmsSessionsRemotely(trigger: Trigger, service: ServiceDeclaration): boolean {
  if (service.sessions !== undefined) return false;
  if (trigger.kind === 'grpc') return true;
  return (
    trigger.kind === 'http' &&
    trigger.routes.some((route) => route.auth === 'admin' || route.readsCaller === true)
  );
}

/**
 * Every group of variables a function reads: those of the stores it uses, the token verifier's when callers
 * present tokens, and its own. The runtime parses exactly these (shared/kit/function-instance.ts), and the
 * generator mounts exactly their variables, so neither can drift from the other.
 */
export function envParts(spec: {
  readonly service: ServiceDeclaration;
  readonly trigger: Trigger;
  readonly uses: StoreUse;
  readonly env: readonly EnvSchema[];
}): EnvPart[] {
  const { uses } = spec;
  // A history on the SQL backend (the embedded stack) lives in the service database.
  const database = uses.database !== undefined || (uses.histories?.length ?? 0) > 0;
  return [
    ...(database ? [{ name: 'database', schema: ServiceDatabaseEnv } as const] : []),
    ...(uses.events ? [{ name: 'events', schema: EventSinkEnv } as const] : []),
    ...((uses.histories?.length ?? 0) > 0 ? [{ name: 'histories', schema: HistoryEnv } as const] : []),
    ...(checksTokens(spec.trigger) ? [{ name: 'tokens', schema: AccessTokenVerifierEnv } as const] : []),
    ...(confirmsSessionsRemotely(spec.trigger, spec.service)
      ? [{ name: 'sessions', schema: UserGrpcEnv } as const]
      : []),
    // Every function traces per the standard OTEL_* settings (shared/tracing), off unless they name an exporter.
    { name: 'tracing', schema: TracingEnv } as const,
    // And records metrics the same way (shared/metrics), off unless OTEL_METRICS_EXPORTER names one.
    { name: 'metrics', schema: MetricsEnv } as const,
    ...spec.env.map((schema) => ({ name: 'own', schema }) as const),
  ];
}

/** Variables every function reads whatever it declares: the logger's level, and NODE_ENV (set by the manifest). */
const ALWAYS = ['LOG_LEVEL'];

/** The variables of the parts by where they come from on the cluster: the ConfigMap, or the Secret. */
export function configOf(parts: readonly EnvPart[]): {
  env: string[];
  secrets: string[];
  optionalSecrets: string[];
} {
  const fields = new Map<string, z.ZodType>();
  for (const { schema } of parts) {
    for (const [name, field] of Object.entries(schema.shape)) fields.set(name, field as z.ZodType);
  }
  const secrets = [...fields].filter(([, field]) => isSecret(field)).map(([name]) => name);
  const env = [...new Set([...ALWAYS, ...fields.keys()])].filter((name) => !secrets.includes(name));
  // Optional: left unset, the field parses to nothing (a feature off). A default is a development value instead,
  // which production refuses, so such a secret is required there.
  const optionalSecrets = secrets.filter((name) => {
    const parsed = fields.get(name)?.safeParse(undefined);
    return parsed?.success === true && parsed.data === undefined;
  });
  return { env: env.sort(), secrets: secrets.sort(), optionalSecrets: optionalSecrets.sort() };
}

/**
 * Parses each schema from `env` on its own (so each keeps its refinements) and merges the results. Throws one
 * ConfigError naming every bad variable of every schema.
 */
export function parseEach(schemas: readonly EnvSchema[], env: NodeJS.ProcessEnv): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const schema of schemas) {
    try {
      Object.assign(merged, loadConfig(schema, env));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.message.split('\n').slice(1));
    }
  }
  if (problems.length > 0)
    throw new ConfigError(`Invalid configuration:\n${[...new Set(problems)].join('\n')}`);
  return merged;
}
