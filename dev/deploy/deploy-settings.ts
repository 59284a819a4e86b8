// What the deployment files share beyond the functions' own declarations: names on the cluster, where the
// infrastructure is, and the delivery policy. Change a value here, run `npm run generate`, commit the result.
import type { Service } from '../../shared/kit/service-declaration';

/** Every resource lives in this namespace. */
export const NAMESPACE = 'ecom';

/** The Knative Kafka Broker every producer publishes to (through its topic) and every Trigger subscribes to. */
export const BROKER = 'ecom-broker';

/** The Kafka topic behind the broker: the outbox publishes here (EVENTS_TOPIC). */
export const EVENTS_TOPIC = 'ecom-events';

/** Dead letters: a KafkaSink of this name writes to the topic of the same name. */
export const DLQ = 'ecom-dlq';

/** The Kong consumer whose key is the tokens' `iss` (JWT_ISSUER); see shared/auth/verifier-config.ts. */
export const JWT_ISSUER = 'ecom-issuer';

/** The `aud` the functions expect (JWT_AUDIENCE). */
export const JWT_AUDIENCE = 'ecom-api';

/** Image repository of a function in the base; skaffold adds the registry (`--default-repo`) and the tag. */
export const imageOf = (fn: string): string => `ecom/${fn}`;

/**
 * The production overlay's registry, the one place it is set: its images are `<registry>/ecom/<fn>:<tag>`, and
 * skaffold's production profile builds and pushes exactly those. Change it here and run `npm run generate`.
 */
export const PRODUCTION_REGISTRY = 'registry.example.com/shop';

/**
 * Knative resolves image tags to digests against their registry, except for these names: a local cluster (kind,
 * minikube) runs images loaded into it, which no registry holds.
 */
export const LOCAL_REGISTRY = 'dev.local';

/**
 * Resources with this label set to "true" survive `skaffold delete` (the namespace, and with it the Secrets the
 * operator made): the system module's deletes select everything else.
 */
export const KEEP_ON_DELETE_LABEL = 'ecom.dev/keep-on-delete';

/** The Secret with Kafka's credentials, shared by the Kafka broker, the dead-letter sink and the functions. */
export const KAFKA_AUTH_SECRET = 'kafka-auth';

/**
 * Where each Kafka setting of the functions (shared/config/env-schemas.ts) comes from in that Secret: the keys
 * Knative's Kafka broker reads from its `auth.secret.ref.name`, so one Secret serves both.
 */
export const KAFKA_AUTH_KEYS: Readonly<Record<string, string>> = {
  KAFKA_SECURITY_PROTOCOL: 'protocol',
  KAFKA_SASL_MECHANISM: 'sasl.mechanism',
  KAFKA_SASL_USER: 'user',
  KAFKA_SASL_PASSWORD: 'password',
  KAFKA_CA_CERT: 'ca.crt',
};

/** The ServiceAccount a service's functions run as: their own identity, with no Kubernetes API token mounted. */
export const serviceAccountOf = (service: Service): string => `${service}-functions`;

/** The port Knative routes to (it sets PORT to it); named h2c for gRPC sidecars, http1 otherwise. */
export const CONTAINER_PORT = 8080;

/**
 * Where the cluster's infrastructure answers. The defaults follow common operators' naming: a Strimzi Kafka
 * cluster `ecom` in namespace `kafka`, MySQL and Cassandra Services in namespace `databases`.
 */
export const CLUSTER = {
  kafkaBootstrapServers: 'ecom-kafka-bootstrap.kafka.svc.cluster.local:9092',
  kafkaReplicationFactor: 3,
  mysqlHost: 'mysql.databases.svc.cluster.local',
  mysqlPort: 3306,
  cassandraContactPoints: 'cassandra.databases.svc.cluster.local:9042',
  cassandraLocalDc: 'datacenter1',
  /** LOCAL_QUORUM reads and writes (shared/cassandra) need at least 2 of these replicas up. */
  cassandraReplicationFactor: 3,
  /**
   * The OpenTelemetry Collector's OTLP/HTTP receiver (the Collector's Helm chart and operator name it so): Kong and
   * every function send their spans here, and Knative's `config-tracing` may too (README, Deploy).
   */
  otlpEndpoint: 'http://otel-collector.observability.svc.cluster.local:4318',
} as const;

/**
 * The share of requests traced. Kong decides at the edge (it does not trust a caller's trace context) and every
 * function follows its parent's decision (`parentbased_traceidratio`), so an order's saga is kept or dropped whole:
 * the sampled flag travels in each event's `traceparent`.
 */
export const TRACE_SAMPLING_RATIO = 0.1;

/**
 * How often a function exports its metrics (OTEL_METRIC_EXPORT_INTERVAL), in ms: a quarter of the specification's
 * minute. A scale-to-zero pod often lives only a minute or two after its last request (Knative's stable window is
 * 60 s), so at a minute a pod would export once or twice, and what it counted since its last export waits for the
 * bounded flush at SIGTERM; at 15 s its numbers reach the collector while they are fresh, and little rides on that
 * flush. Four small JSON posts a minute per live pod, none while scaled to zero.
 */
export const METRIC_EXPORT_INTERVAL_MS = 15_000;

/**
 * The partitions of the broker's topic (`ecom-events`; topics the broker creates get as many): with ordered
 * delivery, the Kafka broker has at most one event per partition in flight for each Trigger, and each CloudEvent
 * function has one Trigger (knative-eventing.ts), so none ever has more than this many deliveries at once, whatever
 * its max-scale.
 */
export const EVENTS_TOPIC_PARTITIONS = 10;

/**
 * MySQL's max_connections the cluster must allow (docs/deploy.md); its default, 151, is too few for every
 * function at its max-scale.
 */
export const MYSQL_MAX_CONNECTIONS = 700;

/**
 * The connections each service's functions may hold at most: every instance at its max-scale with its pool full.
 * Together they leave MYSQL_MAX_CONNECTIONS some room for operators and migrations, and each leaves some for a
 * new function (user 200, product 160, order 190 are taken today); a test fails when a declaration's max-scale
 * or pool outgrows its service's share.
 */
export const DATABASE_CONNECTION_BUDGET: Readonly<Record<Service, number>> = {
  user: 220,
  product: 200,
  order: 230,
};

/** Connections kept free for people and jobs: a DBA's session, a migration, a backup. */
export const RESERVED_CONNECTIONS = 50;

/**
 * The non-secret settings of a service's ConfigMap (`<service>-config`), for the variables its functions read.
 * Variables left out keep the code's default; an operator may add them to the ConfigMap (MAIL_FROM, LOG_LEVEL=debug).
 * NODE_ENV is not here: every Knative Service sets it to production directly.
 */
export function clusterSettings(service: Service, jwtPublicKeyPem: string): Readonly<Record<string, string>> {
  return {
    LOG_LEVEL: 'info',
    DB_DIALECT: 'mysql',
    // The service's migration Job migrates (migration-job.ts); the functions' user may only read and write rows.
    SCHEMA_MIGRATIONS: 'job',
    MYSQL_HOST: CLUSTER.mysqlHost,
    MYSQL_PORT: String(CLUSTER.mysqlPort),
    MYSQL_USER: `ecom_${service}`,
    MYSQL_DATABASE: `ecom_${service}`,
    KAFKA_BROKERS: CLUSTER.kafkaBootstrapServers,
    KAFKA_CLIENT_ID: `ecom-${service}`,
    EVENTS_TOPIC,
    JWT_ISSUER,
    JWT_AUDIENCE,
    JWT_PUBLIC_KEY: jwtPublicKeyPem,
    ADMIN_EMAIL: 'admin@shop.local',
    HISTORY_BACKEND: 'cassandra',
    CASSANDRA_CONTACT_POINTS: CLUSTER.cassandraContactPoints,
    CASSANDRA_LOCAL_DC: CLUSTER.cassandraLocalDc,
    CASSANDRA_KEYSPACE: `ecom_${service}`,
    CASSANDRA_REPLICATION_FACTOR: String(CLUSTER.cassandraReplicationFactor),
    // Knative's cluster-local address of the sidecar (port 80, h2c), where other services confirm sessions.
    USER_GRPC_ADDRESS: `user-grpc.${NAMESPACE}.svc.cluster.local:80`,
    // Where the order service prices its orders (QuoteItems).
    PRODUCT_GRPC_ADDRESS: `product-grpc.${NAMESPACE}.svc.cluster.local:80`,
    // Spans go to the cluster's collector over OTLP/HTTP (shared/tracing), each function following Kong's decision.
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_ENDPOINT: CLUSTER.otlpEndpoint,
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: String(TRACE_SAMPLING_RATIO),
    // Metrics go to the same collector (shared/metrics), cumulative, one series per pod.
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_METRIC_EXPORT_INTERVAL: String(METRIC_EXPORT_INTERVAL_MS),
  };
}

/** Variables only the embedded local stack reads (DB_DIALECT=sqlite): images carry no sqlite3, so none is set. */
export const EMBEDDED_ONLY_VARIABLES: readonly string[] = ['SQLITE_DIR'];

/**
 * Trigger delivery: 9 retries, 0.2 s doubling (the broker waits 0.4 s before the first, 102.4 s before the last:
 * about 3.4 minutes in all), then the dead-letter KafkaSink. A transient failure (a payment gateway's 5xx, a
 * deadlock) is retried within a second; a database failover or a rollout that takes a function's store away for a
 * minute or two is waited out, where 5 retries (12.4 s) dead-lettered every event it held back and left those
 * orders to the expiry sweep. The price: delivery is ordered, so an event that fails for good holds its partition
 * back at that Trigger for the 3.4 minutes before it is dead-lettered.
 */
export const DELIVERY = { retry: 9, backoffPolicy: 'exponential', backoffDelay: 'PT0.2S' } as const;

/**
 * The dead-letter topic's KafkaSource: 10 retries, 1 s doubling (about 17 minutes), long enough for its function to
 * come back; no dead-letter sink of its own.
 */
export const DEAD_LETTER_SOURCE_DELIVERY = {
  retry: 10,
  backoffPolicy: 'exponential',
  backoffDelay: 'PT1S',
} as const;

/** Per-route Kong rate limits are counted per client IP in each Kong node's memory. */
export const RATE_LIMIT = { policy: 'local', limit_by: 'ip' } as const;

/** CORS at the gateway. Tokens travel in the Authorization header, not cookies, so any origin may call. */
export const CORS = {
  origins: ['*'],
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  headers: ['Authorization', 'Content-Type', 'X-Request-ID'],
  exposed_headers: ['X-Request-ID'],
  max_age: 3600,
  credentials: false,
} as const;

/** The header every request carries through Kong and the functions' logs. */
export const REQUEST_ID_HEADER = 'X-Request-ID';

/** The first line of every generated YAML file. */
export const GENERATED_HEADER =
  '# Generated by npm run generate from functions/*/*/function.ts. Do not edit.';

/** Labels on every resource: the system, and where known the service and the function. */
export function labelsFor(scope: { service?: Service; fn?: string } = {}): Record<string, string> {
  return {
    'app.kubernetes.io/part-of': 'ecom',
    ...(scope.service ? { 'ecom.dev/service': scope.service } : {}),
    ...(scope.fn ? { 'ecom.dev/function': scope.fn } : {}),
  };
}
