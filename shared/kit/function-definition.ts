import type { z } from 'zod';
import {
  DEFAULT_RESOURCES,
  scalingOf,
  UNMEASURED,
  type Capacity,
  type DeclaredScaling,
  type Resources,
  type Scaling,
  type Trigger,
} from '../runtime/function-definition';
import { configOf, envParts, parseEach, type EnvPart, type EnvSchema, type StoreUse } from './function-env';
import type { ServiceDeclaration } from './service-declaration';

/**
 * What a function is, declared once in its folder (`functions/<service>/<function>/function.ts`): its service,
 * trigger, the stores it uses, its own settings, scaling and resources. The deployment generator renders knative/,
 * kong/kong.yml and skaffold.yaml from these declarations, and the runtime reads the same routes and schemas, so
 * what runs is what is deployed. Declaring opens nothing.
 */
export interface FunctionDefinition<Config = unknown> {
  /** kebab-case, equal to the folder name; also the Knative Service name. */
  readonly name: string;
  readonly service: ServiceDeclaration;
  readonly description: string;
  readonly trigger: Trigger;
  readonly uses: StoreUse;
  /** The function's own settings, beside those of its stores and of token checks. */
  readonly env: readonly EnvSchema[];
  /** Parses its own settings from an environment (each of `env`, merged); throws a ConfigError naming each problem. */
  readonly parseConfig: (env: NodeJS.ProcessEnv) => Config;
  /** Every group of variables the function parses at start (function-env.ts). */
  readonly envParts: readonly EnvPart[];
  /**
   * Every variable it reads, by where it comes from on the cluster: its service's ConfigMap or Secret. Of the
   * secrets, `optionalSecrets` are those whose absence turns a feature off (SMTP_URL: no e-mail); every other one
   * must be set in production, where the development defaults are refused.
   */
  readonly config: {
    readonly env: readonly string[];
    readonly secrets: readonly string[];
    readonly optionalSecrets: readonly string[];
  };
  /** What one instance serves (measured by bench/capacity.ts); containerConcurrency and target follow from it. */
  readonly capacity: Capacity;
  readonly scaling: Scaling;
  readonly resources: Resources;
}

/** The settings the schemas parse to, merged into one object. */
export type ConfigOf<Env extends readonly EnvSchema[]> = Env extends readonly []
  ? unknown
  : UnionToIntersection<z.output<Env[number]>>;
type UnionToIntersection<U> = (U extends unknown ? (arg: U) => void : never) extends (arg: infer I) => void
  ? I
  : never;

export interface FunctionSpec<Env extends readonly EnvSchema[]> {
  readonly name: string;
  readonly service: ServiceDeclaration;
  readonly description: string;
  readonly trigger: Trigger;
  readonly uses?: StoreUse;
  /** Its own settings: one schema, or several parsed apart (each keeps its own refinements). */
  readonly env?: Env;
  /**
   * Its per-instance capacity: the summary line of `npx tsx bench/capacity.ts --only <name>`, or UNMEASURED (the
   * default) until it is measured. Every function folder must carry a measured one (or one by construction):
   * test/unit/capacity.test.ts fails otherwise.
   */
  readonly capacity?: Capacity;
  /** Only max-scale and the timeout: containerConcurrency and target derive from the capacity. */
  readonly scaling?: Partial<DeclaredScaling>;
  readonly resources?: Partial<Resources>;
}

/** Declares a function; its config (what the generator mounts) follows from its trigger, stores and settings. */
export function defineFunction<const Env extends readonly EnvSchema[] = []>(
  spec: FunctionSpec<Env>,
): FunctionDefinition<ConfigOf<Env>> {
  if (!/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/.test(spec.name)) throw new Error(`${spec.name} is not kebab-case`);
  const uses = spec.uses ?? {};
  if (uses.events !== undefined && typeof uses.events !== 'string') {
    const types = uses.events.map((event) => event.type);
    // An empty list would still open a sink; a repeated type is a slip in the declaration.
    if (types.length === 0) throw new Error(`${spec.name}: uses.events lists no event; leave it out instead`);
    const repeated = types.find((type, index) => types.indexOf(type) !== index);
    if (repeated !== undefined) throw new Error(`${spec.name}: uses.events lists ${repeated} twice`);
  }
  for (const history of uses.histories ?? []) {
    if (!spec.service.histories.includes(history)) {
      throw new Error(`${spec.name}: the ${spec.service.name} service declares no history ${history}`);
    }
  }
  const env = spec.env ?? [];
  const parts = envParts({ service: spec.service, trigger: spec.trigger, uses, env });
  return {
    name: spec.name,
    service: spec.service,
    description: spec.description,
    trigger: spec.trigger,
    uses,
    env,
    parseConfig: (values) => parseEach(env, values) as ConfigOf<Env>,
    envParts: parts,
    config: configOf(parts),
    capacity: spec.capacity ?? UNMEASURED,
    scaling: scalingOf(spec.capacity ?? UNMEASURED, spec.scaling),
    resources: { ...DEFAULT_RESOURCES, ...spec.resources },
  };
}

/**
 * The outbox relay of a service, `<service>-outbox-relay`: a PingSource runs it every 5 minutes to publish what a
 * crash or a Kafka outage left in the outbox (writers publish right after their commit; this is the safety net).
 * Not every minute: Knative keeps a revision up for about a minute after its last request, so a one-minute
 * schedule would never let the relay scale to zero.
 */
export function defineOutboxRelay(service: ServiceDeclaration): FunctionDefinition {
  return defineFunction({
    name: `${service.name}-outbox-relay`,
    service,
    description: `Publishes the ${service.name} service's outbox every 5 minutes, what a crash or an outage left behind, and deletes the rows kept for a time only.`,
    trigger: { kind: 'schedule', schedule: '*/5 * * * *' },
    uses: { database: true, events: 'relay' },
    capacity: {
      concurrency: 1,
      byConstruction: 'One relay at a time: the outbox lock makes a second one wait anyway.',
    },
    scaling: { maxScale: 1 },
  });
}
