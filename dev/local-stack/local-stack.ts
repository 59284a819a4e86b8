import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Semaphore } from 'async-mutex';
import { KafkaEnv } from '../../shared/config/env-schemas';
import { loadConfig } from '../../shared/config/load-config';
import { kafkaSecurityOf, type KafkaSecurity } from '../../shared/kafka/kafka-security';
import type { Logger } from '../../shared/log/logger';
import type { FunctionDefinition } from '../../shared/kit/function-definition';
import type { Service } from '../../shared/kit/service-declaration';
import type { Sleep } from '../broker/delivery';
import { startDevBroker, type DevBroker } from '../broker/dev-broker';
import { functionDefinition, functionFolders } from '../build';
import { startDevGateway, type DevGateway } from '../gateway/dev-gateway';
import { gatewayTracing, tracingEnv, type StackTracing } from './stack-tracing';
import { loadKongConfig, type KongConfig } from '../gateway/kong-config';
import type { GatewayTls } from '../gateway/gateway-certificate';
import { DEFAULT_JWT_ISSUER } from '../../shared/auth/verifier-config';
import { freePort } from './free-port';
import { startFunctionProcess, type FunctionProcess } from './function-process';
import type { JwtKeyPair } from './jwt-key-pair';
import { prepareDatabases, serviceDeclarationsOf } from './prepare-databases';
import { runSchedules } from './schedules';
import { BASE_DIR } from '../deploy/render-knative';
import { serveDocs } from '../docs/docs-site';

const root = path.resolve(__dirname, '../..');

export interface LocalStackOptions {
  /**
   * `embedded` (default): SQLite files and the broker's log under `dataDir`, nothing else needed.
   * `infra`: MariaDB, Kafka and Cassandra (as `npm run infra:up` starts them), the broker on the Kafka topic.
   */
  readonly mode: 'embedded' | 'infra';
  /** Where embedded mode keeps its SQLite files; kept across starts. */
  readonly dataDir: string;
  /** 8000 and 8081 by default; 0 picks free ports (tests). */
  readonly gatewayPort?: number;
  readonly brokerPort?: number;
  /** The gateway's HTTPS port: 8443 by default; 0 picks a free one. */
  readonly gatewayHttpsPort?: number;
  /**
   * The key and certificate the gateway serves HTTPS with: `npm start` passes those of its data folder, so a
   * client trusts them once; by default one made for this stack alone (tests and benchmarks).
   */
  readonly gatewayTls?: GatewayTls;
  /** The gateway's config; default kong/kong.yml (a benchmark passes one without rate limits). */
  readonly kongConfig?: KongConfig;
  /**
   * The key pair access tokens are signed and checked with: given to the functions (the private key only to
   * those that sign) and to the gateway's consumer whose key is the tokens' issuer, in place of kong.yml's.
   * `npm start` passes the pair of its data folder; without one, the functions and kong.yml keep the committed
   * dev keys (tests and benchmarks).
   */
  readonly jwtKeys?: JwtKeyPair;
  /**
   * Traces to this Zipkin (`npm start -- --infra` starts one): the gateway's spans and every function's. Without it
   * tracing is off, and the gateway only passes a `traceparent` on.
   */
  readonly tracing?: StackTracing;
  /** Extra environment per service, e.g. the databases of a test. */
  readonly envFor?: (service: Service) => NodeJS.ProcessEnv;
  readonly logger: Logger;
  /**
   * The gateway's clock (ms since the epoch) for token expiry and rate-limit windows; Date.now by default. A test
   * passes one it moves itself, so no minute boundary falls where it does not expect one.
   */
  readonly gatewayNow?: () => number;
  /**
   * How the broker waits between a Trigger's attempts (default: the real timers): a test that waits for the
   * retries to run out passes shorter waits.
   */
  readonly brokerSleep?: Sleep;
  /** The broker delivers each event this many times at once (default 1): a test of idempotent consumers. */
  readonly brokerCopies?: number;
  /**
   * In infra mode, the Kafka topics and consumer groups to use instead of the broker's (`ecom-events`, `ecom-dlq`,
   * `ecom.<trigger>`): a test's own, so neither another run nor a developer's `npm start -- --infra` replays its
   * events. The topics must exist.
   */
  readonly kafka?: {
    readonly eventsTopic: string;
    readonly deadLetterTopic: string;
    readonly consumerGroupPrefix: string;
  };
}

export interface LocalStack {
  readonly gateway: DevGateway;
  readonly broker: DevBroker;
  readonly functions: readonly FunctionProcess[];
  readonly env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/**
 * The whole product on one machine, as on the cluster: every function from its bundle in its own process
 * (`npm run build` first), the dev broker delivering CloudEvents per the Triggers in knative/, the dev gateway
 * routing by kong/kong.yml, and the PingSource schedules.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const definitions = functionFolders().map((folder) => functionDefinition(folder));
  const ports = new Map<string, number>();
  for (const definition of definitions) ports.set(definition.name, await freePort());
  const urlOf = (name: string) => {
    const port = ports.get(name);
    return port === undefined ? undefined : new URL(`http://127.0.0.1:${port}`);
  };

  const broker = await startDevBroker({
    knativeDir: path.join(root, BASE_DIR),
    log:
      options.mode === 'embedded'
        ? { kind: 'embedded', dir: options.dataDir }
        : {
            kind: 'kafka',
            ...brokerKafka(),
            ...(options.kafka
              ? { topic: options.kafka.eventsTopic, dlqTopic: options.kafka.deadLetterTopic }
              : {}),
          },
    ...(options.kafka ? { consumerGroupPrefix: options.kafka.consumerGroupPrefix } : {}),
    subscribers: urlOf,
    ...(options.brokerCopies !== undefined ? { copies: options.brokerCopies } : {}),
    ...(options.brokerSleep ? { sleep: options.brokerSleep } : {}),
    port: options.brokerPort ?? 8081,
    logger: options.logger,
  });
  const stopping: (() => Promise<void>)[] = [() => broker.close()];
  const stopAll = async () => {
    for (const stop of stopping.splice(0).reverse()) await stop().catch(() => undefined);
  };
  try {
    const userGrpcPort = ports.get('user-grpc');
    const productGrpcPort = ports.get('product-grpc');
    const env: NodeJS.ProcessEnv = {
      ...stackEnv(options, broker),
      // Where functions outside the user service confirm sessions (admin routes) and look users up.
      ...(userGrpcPort === undefined ? {} : { USER_GRPC_ADDRESS: `127.0.0.1:${String(userGrpcPort)}` }),
      // Where the order service prices its orders.
      ...(productGrpcPort === undefined
        ? {}
        : { PRODUCT_GRPC_ADDRESS: `127.0.0.1:${String(productGrpcPort)}` }),
    };
    const envFor = (service: Service) => ({ ...env, ...options.envFor?.(service) });
    await prepareDatabases(serviceDeclarationsOf(definitions), envFor);
    // A few at a time: 32 processes compiling at once on a small machine each take the time of all of them, and
    // would outlast their readiness wait; started in turns, each is ready in its own start time.
    const starting = new Semaphore(2 * availableParallelism());
    const starts = await Promise.allSettled(
      definitions.map((definition: FunctionDefinition) =>
        starting.runExclusive(() =>
          startFunctionProcess(definition, {
            dist: path.join(root, 'dist'),
            port: ports.get(definition.name) ?? 0,
            env: {
              ...env,
              ...signingKeyFor(definition, options.jwtKeys),
              ...options.envFor?.(definition.service.name),
            },
          }),
        ),
      ),
    );
    const functions = starts.flatMap((start) => (start.status === 'fulfilled' ? [start.value] : []));
    // Registered before a failed start throws, so the functions that did start are stopped too.
    // The gRPC sidecars last: the other functions may still call them while they finish what they were doing.
    const isSidecar = (fn: FunctionProcess) => fn.definition.trigger.kind === 'grpc';
    stopping.push(async () => {
      await Promise.all(functions.filter((fn) => !isSidecar(fn)).map((fn) => fn.stop()));
      await Promise.all(functions.filter(isSidecar).map((fn) => fn.stop()));
    });
    const failed = starts.find((start) => start.status === 'rejected');
    if (failed) throw failed.reason;
    const stopSchedules = runSchedules(functions, options.logger);
    stopping.push(() => {
      stopSchedules();
      return Promise.resolve();
    });
    const kongConfig = options.kongConfig ?? (await loadKongConfig(path.join(root, 'kong', 'kong.yml')));
    const tracing = options.tracing ? gatewayTracing(options.tracing) : undefined;
    if (tracing) stopping.push(() => tracing.shutdown());
    const gateway = await startDevGateway({
      kongConfig: options.jwtKeys
        ? withIssuerKey(kongConfig, env['JWT_ISSUER'] ?? DEFAULT_JWT_ISSUER, options.jwtKeys.publicKeyPem)
        : kongConfig,
      upstreams: urlOf,
      port: options.gatewayPort ?? 8000,
      httpsPort: options.gatewayHttpsPort ?? 8443,
      ...(options.gatewayTls ? { tls: options.gatewayTls } : {}),
      logger: options.logger,
      now: options.gatewayNow,
      localPages: serveDocs,
      ...(tracing ? { tracing } : {}),
    });
    stopping.push(() => gateway.close());
    return { gateway, broker, functions, env, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The dev broker's Kafka, reached as the functions reach it (they inherit this environment): brokers, TLS, SASL. */
function brokerKafka(): { brokers: readonly string[]; security: KafkaSecurity } {
  const env = loadConfig(KafkaEnv);
  return { brokers: env.KAFKA_BROKERS, security: kafkaSecurityOf(env) };
}

/** The environment every function gets: the stores of the mode, and the broker ingress in embedded mode. */
function stackEnv(options: LocalStackOptions, broker: DevBroker): NodeJS.ProcessEnv {
  // The private key reaches only the functions that sign (signingKeyFor), as on the cluster.
  const inherited = { ...process.env };
  delete inherited['JWT_PRIVATE_KEY'];
  const common = {
    ...inherited,
    NODE_ENV: 'development',
    ...tracingEnv(options.tracing),
    // Every answer is checked against the API documents (shared/runtime/contract-check.ts): a drift fails here.
    CONTRACT_CHECKS: 'on',
    // Not the committed dev token: anyone could call user-grpc's GetContact with that one.
    INTERNAL_TOKEN: randomBytes(32).toString('base64url'),
    ...(options.jwtKeys ? { JWT_PUBLIC_KEY: options.jwtKeys.publicKeyPem } : {}),
  };
  if (options.mode === 'infra') {
    return {
      ...common,
      DB_DIALECT: 'mysql',
      HISTORY_BACKEND: 'cassandra',
      ...(options.kafka ? { EVENTS_TOPIC: options.kafka.eventsTopic } : {}),
    };
  }
  // Embedded: no Kafka, so producers POST their events to the broker ingress, as with a Knative SinkBinding.
  return {
    ...common,
    DB_DIALECT: 'sqlite',
    SQLITE_DIR: options.dataDir,
    HISTORY_BACKEND: 'sql',
    K_SINK: broker.ingressUrl,
  };
}

/** JWT_PRIVATE_KEY for a function that signs tokens (it mounts the secret on the cluster), nothing for the others. */
function signingKeyFor(definition: FunctionDefinition, keys: JwtKeyPair | undefined): NodeJS.ProcessEnv {
  if (!definition.config.secrets.includes('JWT_PRIVATE_KEY')) return {};
  const privateKey = keys?.privateKeyPem ?? process.env['JWT_PRIVATE_KEY'];
  return privateKey === undefined ? {} : { JWT_PRIVATE_KEY: privateKey };
}

/** kong.yml with the stack's public key on the jwt secret of the tokens' issuer, so the gateway checks them. */
function withIssuerKey(config: KongConfig, issuer: string, publicKeyPem: string): KongConfig {
  return {
    ...config,
    consumers: config.consumers.map((consumer) => ({
      ...consumer,
      jwt_secrets: consumer.jwt_secrets.map((secret) =>
        secret.key === issuer ? { ...secret, rsa_public_key: publicKeyPem } : secret,
      ),
    })),
  };
}
