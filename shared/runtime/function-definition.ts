/**
 * The parts of a function's declaration that the runtimes read: its trigger (HTTP routes with their auth level,
 * CloudEvent types, a gRPC service, a schedule), scaling and resources. The whole declaration is
 * shared/kit/function-definition.ts. Pure data.
 */

/** Who may call a route: anyone, any signed-in user, or admins only. */
export type AuthLevel = 'public' | 'authenticated' | 'admin';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRoute {
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
   * a caller are `Cache-Control: no-store`.
   */
  readonly readsCaller?: true;
}

export type Trigger =
  | { readonly kind: 'http'; readonly routes: readonly HttpRoute[] }
  /** CloudEvent types this function subscribes to: one Knative Trigger each. */
  | { readonly kind: 'cloudevent'; readonly eventTypes: readonly string[] }
  /** A gRPC sidecar: the services of its proto file, served on an h2c port. */
  | { readonly kind: 'grpc'; readonly proto: string; readonly services: readonly string[] }
  /** Run on a schedule by a PingSource (cron syntax, UTC), e.g. an outbox relay; not exposed by the gateway. */
  | { readonly kind: 'schedule'; readonly schedule: string };

export interface Scaling {
  /** Always 0: every function scales to zero. */
  readonly minScale: 0;
  readonly maxScale: number;
  /** Knative autoscaling target (concurrent requests per instance the autoscaler aims for). */
  readonly target: number;
  /** Hard limit of concurrent requests per instance. */
  readonly containerConcurrency: number;
  readonly timeoutSeconds: number;
}

export interface Resources {
  readonly cpu: string;
  readonly memory: string;
}

/**
 * Defaults for a small HTTP function; a definition overrides what it needs. A new function may run two instances
 * until its own max-scale is declared: every instance holds database connections from its service's budget
 * (dev/deploy/deploy-settings.ts), and a CloudEvent function gets no more events than the topic has partitions.
 */
export const DEFAULT_SCALING: Scaling = {
  minScale: 0,
  maxScale: 2,
  target: 50,
  containerConcurrency: 100,
  timeoutSeconds: 30,
};

export const DEFAULT_RESOURCES: Resources = { cpu: '250m', memory: '256Mi' };
