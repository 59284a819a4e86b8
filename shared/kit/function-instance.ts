import type { HttpFunction } from '@google-cloud/functions-framework';
import type { UserGrpcEnv } from '../auth/user-grpc-env';
import type { AccessTokenVerifierEnv } from '../auth/verifier-config';
import { ConfigError, loadConfig } from '../config/load-config';
import type { Logger } from '../domain/logger';
import type { GrpcService } from '../grpc/grpc-service';
import type { LoadedProto } from '../grpc/load-proto';
import type { Subscription } from '../runtime/cloud-event-function';
import type { DeadLetterHandle } from '../runtime/dead-letter-function';
import type { RouteHandler } from '../runtime/http-function';
import type { AuthorizationVerifier } from '../runtime/principal';
import { ShutdownHooks } from '../runtime/shutdown';
import type { FunctionDefinition } from './function-definition';
import { serviceStores, type ServiceStores, type StoreEnv } from './service-stores';

/** What a function's wiring (its index.ts) gets from the kit: its settings, its stores, and the runtime's tools. */
export interface FunctionKit<Config> {
  readonly definition: FunctionDefinition<Config>;
  /** The function's own settings, parsed from the environment at start. */
  readonly config: Config;
  readonly logger: Logger;
  readonly stores: ServiceStores;
  /** Checks a caller's access token (the HTTP runtime and gRPC methods call it per their auth level). */
  readonly verify: AuthorizationVerifier;
  /** Where anything else the function opens registers its close (a mail transport): run when it stops. */
  readonly hooks: ShutdownHooks;
}

/** A function as its index.ts registered it: its declaration and how to build its handler from the kit. */
export type RegisteredFunction =
  | {
      readonly kind: 'http';
      readonly definition: FunctionDefinition;
      readonly routes: (kit: FunctionKit<unknown>) => readonly RouteHandler[];
    }
  | {
      readonly kind: 'events';
      readonly definition: FunctionDefinition;
      readonly subscriptions: (kit: FunctionKit<unknown>) => readonly Subscription[];
    }
  | {
      readonly kind: 'grpc';
      readonly definition: FunctionDefinition;
      readonly services: (kit: FunctionKit<unknown>, proto: LoadedProto) => readonly GrpcService[];
    }
  | {
      readonly kind: 'scheduled';
      readonly definition: FunctionDefinition;
      readonly job: (kit: FunctionKit<unknown>) => () => Promise<void>;
    }
  | {
      readonly kind: 'dead-letters';
      readonly definition: FunctionDefinition;
      readonly handle: (kit: FunctionKit<unknown>) => DeadLetterHandle;
    }
  | { readonly kind: 'relay'; readonly definition: FunctionDefinition };

/** A function ready to serve: an HTTP handler, or gRPC services; `close` releases what it opened. */
export interface FunctionInstance {
  readonly definition: FunctionDefinition;
  /** Its stores, as its handler reaches them (a test seeds or inspects them through these). */
  readonly stores: ServiceStores;
  readonly serves:
    | { readonly kind: 'http'; readonly handler: HttpFunction }
    | { readonly kind: 'grpc'; readonly services: readonly GrpcService[] };
  close(): Promise<void>;
}

/**
 * Builds a function from its registration: parses every group of variables it declared (a bad or missing value
 * throws one ConfigError naming each), then its stores (nothing opens yet) and its handler. The process entry
 * (start-function.ts) serves what this returns; tests serve it on a free port.
 */
export async function createFunctionInstance(
  registered: RegisteredFunction,
  options: {
    readonly env?: NodeJS.ProcessEnv;
    readonly logger: Logger;
    /** Checks HTTP answers against the routes' contracts (RuntimeEnv's CONTRACT_CHECKS; shared/runtime/contract-check.ts). */
    readonly checkContract?: boolean;
  },
): Promise<FunctionInstance> {
  const { definition } = registered;
  const { logger } = options;
  const parsed = parseEnvParts(definition, options.env ?? process.env);
  const hooks = new ShutdownHooks();
  const stores = serviceStores({ definition, env: parsed, logger, hooks });
  const kit: FunctionKit<unknown> = {
    definition,
    config: parsed.own,
    logger,
    stores,
    verify: await verifierOf(definition, parsed, { stores, logger, hooks }),
    hooks,
  };
  const close = () =>
    hooks.run((name, error) => {
      logger.error(`closing ${name} failed`, { error });
    });
  // Each kind loads its own runtime: an HTTP function never evaluates the CloudEvents or gRPC libraries, a gRPC
  // sidecar never evaluates functions-framework and Express.
  switch (registered.kind) {
    case 'http': {
      const { httpHandler } = await import('../runtime/http-function');
      const handler = httpHandler({
        routes: registered.routes(kit),
        verify: kit.verify,
        logger,
        checkContract: options.checkContract === true,
      });
      return { definition, stores: kit.stores, serves: { kind: 'http', handler }, close };
    }
    case 'events': {
      const { cloudEventHandler } = await import('../runtime/cloud-event-function');
      const handler = cloudEventHandler({ subscriptions: registered.subscriptions(kit), logger });
      return { definition, stores: kit.stores, serves: { kind: 'http', handler }, close };
    }
    case 'dead-letters': {
      const { deadLetterHandler } = await import('../runtime/dead-letter-function');
      const handler = deadLetterHandler({ handle: registered.handle(kit), logger });
      return { definition, stores: kit.stores, serves: { kind: 'http', handler }, close };
    }
    case 'scheduled': {
      const { scheduledHandler } = await import('../runtime/scheduled-handler');
      const handler = scheduledHandler(registered.job(kit), logger);
      return { definition, stores: kit.stores, serves: { kind: 'http', handler }, close };
    }
    case 'relay': {
      const { relayHandler } = await import('../outbox/relay-handler');
      const handler = relayHandler(
        () => kit.stores.relay(),
        () => kit.stores.deleteExpired(new Date()),
        logger,
      );
      return { definition, stores: kit.stores, serves: { kind: 'http', handler }, close };
    }
    case 'grpc': {
      if (definition.trigger.kind !== 'grpc') throw new Error(`${definition.name} is not a gRPC function`);
      const { loadProto } = await import('../grpc/load-proto');
      const proto = await loadProto(definition.trigger.proto);
      return {
        definition,
        stores: kit.stores,
        serves: { kind: 'grpc', services: registered.services(kit, proto) },
        close,
      };
    }
  }
}

/** The parsed groups of variables, by group name. */
type ParsedEnv = StoreEnv & {
  readonly tokens?: AccessTokenVerifierEnv;
  readonly sessions?: UserGrpcEnv;
  readonly own: unknown;
};

/**
 * How the function checks callers: the token alone, plus the session on every route of the service that keeps
 * sessions, or on admin routes elsewhere (asking user-grpc, a few seconds cached). Loaded only by functions whose
 * callers present tokens: the others never load jsonwebtoken.
 */
async function verifierOf(
  definition: FunctionDefinition,
  parsed: ParsedEnv,
  context: { readonly stores: ServiceStores; readonly logger: Logger; readonly hooks: ShutdownHooks },
): Promise<AuthorizationVerifier> {
  const { tokens, sessions } = parsed;
  if (!tokens) {
    return () => {
      throw new Error(`${definition.name} declares no route or method that checks tokens`);
    };
  }
  const { authorizationVerifier } = await import('../auth/authorization-verifier');
  const verifyToken = authorizationVerifier(tokens);
  const own = definition.service.sessions;
  if (own !== undefined) {
    const { sessionCheckedVerifier } = await import('../auth/session-check');
    return sessionCheckedVerifier(
      verifyToken,
      own(() => context.stores.database()),
      ['authenticated', 'admin'],
    );
  }
  if (sessions !== undefined) {
    const { sessionCheckedVerifier } = await import('../auth/session-check');
    const { userGrpcSessionLookup } = await import('../auth/user-grpc-session-lookup');
    const { cachedSessionLookup } = await import('../auth/cached-session-lookup');
    const remote = userGrpcSessionLookup(sessions.USER_GRPC_ADDRESS, context);
    return sessionCheckedVerifier(verifyToken, cachedSessionLookup(remote), ['admin']);
  }
  return verifyToken;
}

/**
 * Each declared group of variables, by group name, parsed from `env` (the function's own settings by its
 * definition); one ConfigError names every problem of every group.
 */
function parseEnvParts(definition: FunctionDefinition, env: NodeJS.ProcessEnv): ParsedEnv {
  const parsed: Record<string, unknown> = {};
  const problems: string[] = [];
  const parse = (name: string, read: () => unknown) => {
    try {
      parsed[name] = read();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.message.split('\n').slice(1));
    }
  };
  for (const part of definition.envParts) {
    if (part.name !== 'own') parse(part.name, () => loadConfig(part.schema, env));
  }
  parse('own', () => definition.parseConfig(env));
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  // Each group was parsed by the schema of its name (function-env.ts).
  return parsed as unknown as ParsedEnv;
}
