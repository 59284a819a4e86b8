/**
 * What a function is, declared once in its folder (`functions/<service>/<function>/function.ts`): its triggers,
 * scaling, resources and config. The deployment generator renders knative/, kong/kong.yml and skaffold.yaml from
 * these declarations, and the runtime reads the same routes, so what runs is what is deployed.
 * Pure data: importing a definition loads no driver.
 */

export type Service = 'user' | 'product' | 'order';

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

export interface FunctionDefinition {
  /** kebab-case, equal to the folder name; also the FUNCTION_TARGET and the Knative Service name. */
  readonly name: string;
  readonly service: Service;
  readonly description: string;
  readonly trigger: Trigger;
  readonly scaling: Scaling;
  readonly resources: Resources;
  /** Environment variables the function reads, by where they come from on the cluster. */
  readonly config: {
    /** Plain settings, from the service's ConfigMap. */
    readonly env: readonly string[];
    /** Secrets (keys, passwords), from the service's Secret. */
    readonly secrets: readonly string[];
  };
}

/** Defaults for a small HTTP function; a definition spreads and overrides them. */
export const DEFAULT_SCALING: Scaling = {
  minScale: 0,
  maxScale: 10,
  target: 50,
  containerConcurrency: 100,
  timeoutSeconds: 30,
};

export const DEFAULT_RESOURCES: Resources = { cpu: '250m', memory: '256Mi' };
