/**
 * The parts of a function's declaration that the runtimes read: its trigger (HTTP routes with their auth level,
 * CloudEvent types, a gRPC service, a schedule), scaling and resources. The whole declaration is
 * shared/kit/function-definition.ts. Pure data.
 */
import type { z } from 'zod';

/** Who may call a route: anyone, any signed-in user, or admins only. */
export type AuthLevel = 'public' | 'authenticated' | 'admin';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A success answer of a route, as the API documents describe it. */
export interface RouteResponse {
  readonly description: string;
  /** The JSON body's schema; absent for an answer without a body (204, 304). */
  readonly body?: z.ZodType;
  /** Headers the answer carries, by lower-case name, with what they mean. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A request header a route reads (beside `Authorization`), with its rule. */
export interface RouteHeader {
  readonly description: string;
  readonly schema: z.ZodType;
}

/** The 4xx statuses a route may answer with its own problem codes. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429;

/**
 * One HTTP route: where it is, who may call it, and its contract. The runtime validates the path parameters, the
 * query and the body with these schemas, and the API documents (docs/openapi.yaml) are rendered from them, so the
 * two cannot drift; with CONTRACT_CHECKS on (the local stack, the tests) every answer is also checked against
 * `responses` and `problems`.
 */
export interface HttpRoute<Body = unknown, Query = unknown, Params = unknown> {
  readonly method: HttpMethod;
  /** Path with `{name}` parameters, e.g. `/v1/users/{id}/role`. */
  readonly path: string;
  readonly auth: AuthLevel;
  /** Requests per minute per client at the gateway (Kong rate-limiting); absent = no specific limit. */
  readonly rateLimitPerMinute?: number;
  /**
   * Answers carry `Cache-Control: no-store` although the route is public: for routes that hand out tokens (login,
   * refresh). Routes that are not public always carry it.
   */
  readonly noStore?: true;
  /**
   * A route that shows admins more (a catalogue's drafts, every customer's orders): a token that claims the admin
   * role is confirmed as on an `admin` route (session and current role, shared/auth/session-check.ts), so a demoted
   * or logged-out admin sees no more than a customer. On a public route the token is read when there is one: it is
   * verified as on an `authenticated` route, a bad one is 401, and no token is an anonymous caller; such answers to
   * a caller are `Cache-Control: no-store`. Every answer says `Vary: Authorization`.
   */
  readonly readsCaller?: true;
  /**
   * A public read whose anonymous answers the gateway keeps and serves again for as long as their `Cache-Control`
   * allows (Kong's proxy-cache, 200s only): a burst of the same search reaches the function once. A caller who sends
   * a token has entries of their own, and their answers (`no-store`) are never kept.
   */
  readonly sharedCache?: true;
  /** One line for the API documents. */
  readonly summary: string;
  /** The path parameters (every `{name}` of `path`), strings coerced by the schema. */
  readonly params?: z.ZodType<Params>;
  /** The query parameters, strings coerced by the schema (a name given twice is a 400). */
  readonly query?: z.ZodType<Query>;
  /** The JSON body. */
  readonly body?: z.ZodType<Body>;
  readonly headers?: Readonly<Record<string, RouteHeader>>;
  /** The success answers, by status. */
  readonly responses: Readonly<Partial<Record<200 | 201 | 202 | 204 | 304, RouteResponse>>>;
  /**
   * The problem codes this route answers beside those every route of its kind can (the invalid request, the
   * caller's token, an unavailable store: shared/runtime/common-problems.ts), by status.
   */
  readonly problems?: Readonly<Partial<Record<ProblemStatus, readonly string[]>>>;
}

/** Declares a route, keeping the types of its schemas for the handler (shared/runtime/http-function.ts). */
export function httpRoute<Body = undefined, Query = undefined, Params = undefined>(
  route: HttpRoute<Body, Query, Params>,
): HttpRoute<Body, Query, Params> {
  return route;
}

export type Trigger =
  | { readonly kind: 'http'; readonly routes: readonly HttpRoute[] }
  /** CloudEvent types this function subscribes to: one Knative Trigger each. */
  | { readonly kind: 'cloudevent'; readonly eventTypes: readonly string[] }
  /** A gRPC sidecar: the services of its proto file, served on an h2c port. */
  | { readonly kind: 'grpc'; readonly proto: string; readonly services: readonly string[] }
  /** Run on a schedule by a PingSource (cron syntax, UTC), e.g. an outbox relay; not exposed by the gateway. */
  | { readonly kind: 'schedule'; readonly schedule: string }
  /**
   * Every dead letter of the shop: a KafkaSource on the dead-letter topic (what the Triggers' dead-letter sink
   * writes) delivers each one; not exposed by the gateway.
   */
  | { readonly kind: 'dead-letters' };

/** How a function scales on the cluster: what its declaration states, and what follows from its capacity. */
export interface Scaling {
  /** Always 0: every function scales to zero. */
  readonly minScale: 0;
  readonly maxScale: number;
  /**
   * Knative autoscaling target (concurrent requests per instance the autoscaler aims for): TARGET_UTILIZATION of
   * the capacity, at least 1. The Knative Service sets target-utilization-percentage to 100, so Knative does not
   * take its own 70% off a second time.
   */
  readonly target: number;
  /** Hard limit of concurrent requests per instance: the measured capacity. */
  readonly containerConcurrency: number;
  readonly timeoutSeconds: number;
}

/** What a declaration states of its scaling; concurrency and target follow from its {@link Capacity}. */
export type DeclaredScaling = Pick<Scaling, 'maxScale' | 'timeoutSeconds'>;

/**
 * What one instance serves, as `bench/capacity.ts` measured it from the function's bundle on real MariaDB, Kafka
 * and Cassandra: the knee of a concurrency sweep (the fewest concurrent requests whose throughput is within 10% of
 * the best step's, with p99 under the bench's latency bound), and what it gave there.
 */
export interface MeasuredCapacity {
  /** Concurrent requests (or events in flight) at the knee. */
  readonly concurrency: number;
  /** Requests (or events) a second one instance served at that concurrency. */
  readonly throughput: number;
  readonly p99Ms: number;
  /** The command that measured it, e.g. `npx tsx bench/capacity.ts --only login`. */
  readonly measuredBy: string;
  /** YYYY-MM-DD. */
  readonly measuredOn: string;
}

/** A function that runs one at a time by design (a schedule under a lock): nothing to measure. */
export interface CapacityByConstruction {
  readonly concurrency: 1;
  /** Why one at a time. */
  readonly byConstruction: string;
}

/**
 * A new function before its first measurement: it deploys with {@link UNMEASURED_CONCURRENCY}, and
 * test/unit/capacity.test.ts fails, naming the command to run, until the declaration carries a measured capacity.
 */
export interface UnmeasuredCapacity {
  readonly unmeasured: true;
}

export type Capacity = MeasuredCapacity | CapacityByConstruction | UnmeasuredCapacity;

export const UNMEASURED: UnmeasuredCapacity = { unmeasured: true };

/**
 * The concurrency an unmeasured function deploys with: what most measured functions reach or exceed on one core,
 * and small enough that a slow new handler queues in Knative's activator rather than in its own event loop.
 */
export const UNMEASURED_CONCURRENCY = 10;

/**
 * Defaults for a small HTTP function; a definition overrides what it needs. A new function may run two instances
 * until its own max-scale is declared: every instance holds database connections from its service's budget
 * (dev/deploy/deploy-settings.ts), and a CloudEvent function gets no more events than the topic has partitions.
 */
export const DEFAULT_SCALING: DeclaredScaling = {
  maxScale: 2,
  timeoutSeconds: 30,
};

/** The share of its capacity the autoscaler aims to keep an instance at: Knative's default, 70%. */
export const TARGET_UTILIZATION = 0.7;

/** The concurrent requests one instance takes: its measured knee, 1 by construction, or the unmeasured default. */
export function concurrencyOf(capacity: Capacity): number {
  return 'unmeasured' in capacity ? UNMEASURED_CONCURRENCY : capacity.concurrency;
}

/**
 * Scaling from a capacity and what the declaration states: containerConcurrency is the capacity (more requests
 * than the knee only queue in the event loop and raise the p99), and target 70% of it, at least 1, so a new
 * instance starts before the others reach their knee.
 */
export function scalingOf(capacity: Capacity, declared: Partial<DeclaredScaling> = {}): Scaling {
  const containerConcurrency = concurrencyOf(capacity);
  return {
    minScale: 0,
    ...DEFAULT_SCALING,
    ...declared,
    containerConcurrency,
    target: Math.max(1, Math.floor(containerConcurrency * TARGET_UTILIZATION)),
  };
}

export interface Resources {
  readonly cpu: string;
  readonly memory: string;
}

export const DEFAULT_RESOURCES: Resources = { cpu: '250m', memory: '256Mi' };
