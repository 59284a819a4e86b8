import { CLUSTER, labelsFor, NAMESPACE } from './deploy-settings';

/** The namespace of a cluster-local address (`<service>.<namespace>.svc.cluster.local[:port]`). */
export function namespaceOfAddress(address: string): string {
  const match = /^[^.]+\.([^.:]+)\.svc\.cluster\.local/.exec(address);
  if (!match?.[1]) throw new Error(`${address} is not a cluster-local service address`);
  return match[1];
}

/** Knative's data plane: its activator, Kourier's gateways, and the Kafka broker's dispatcher and PingSource adapter. */
export const DATA_PLANE_NAMESPACES = ['knative-serving', 'kourier-system', 'knative-eventing'] as const;

/** A NetworkPolicy peer: every pod of a namespace. */
export const inNamespace = (name: string) => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
});
/** NetworkPolicy ports of one protocol. */
export const ports = (protocol: 'TCP' | 'UDP', numbers: readonly number[]) =>
  numbers.map((port) => ({ protocol, port }));
const port = (address: string, fallback: number) => Number(/:(\d+)$/.exec(address)?.[1] ?? fallback);

/** Egress to the OpenTelemetry Collector, where Kong and the functions send their spans. */
export const otlpEgress = () => ({
  to: [inNamespace(namespaceOfAddress(CLUSTER.otlpEndpoint.replace(/^https?:\/\//, '')))],
  ports: ports('TCP', [port(CLUSTER.otlpEndpoint, 4318)]),
});

/**
 * Every function's pods (the namespace holds nothing else) accept traffic only from Knative's data plane, and
 * reach only DNS, MySQL, Kafka, Cassandra, the trace collector, SMTP and, through Kourier, each other's gRPC sidecars. Kubernetes
 * allows what any policy allows: the default deny comes from a policy selecting every pod with no rule of its own.
 */
export function networkPolicies(): object[] {
  const meta = (name: string) => ({ name, namespace: NAMESPACE, labels: labelsFor() });
  const kafka = CLUSTER.kafkaBootstrapServers;
  return [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('default-deny'),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('functions-from-the-data-plane'),
      spec: {
        podSelector: { matchLabels: labelsFor() },
        policyTypes: ['Ingress'],
        ingress: [{ from: DATA_PLANE_NAMESPACES.map(inNamespace) }],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('functions-to-their-stores'),
      spec: {
        podSelector: { matchLabels: labelsFor() },
        policyTypes: ['Egress'],
        egress: [
          // DNS, wherever the cluster runs it.
          { ports: [...ports('UDP', [53]), ...ports('TCP', [53])] },
          {
            to: [inNamespace(namespaceOfAddress(CLUSTER.mysqlHost))],
            ports: ports('TCP', [CLUSTER.mysqlPort]),
          },
          {
            to: [inNamespace(namespaceOfAddress(CLUSTER.cassandraContactPoints))],
            ports: ports('TCP', [port(CLUSTER.cassandraContactPoints, 9042)]),
          },
          // Kafka's bootstrap port and the brokers' own listeners (Strimzi: 9091-9094).
          {
            to: [inNamespace(namespaceOfAddress(kafka))],
            ports: ports('TCP', [port(kafka, 9092), 9091, 9093, 9094]),
          },
          // Each other's gRPC sidecars: their cluster-local addresses are served by Kourier (and the activator).
          { to: ['kourier-system', 'knative-serving'].map(inNamespace) },
          // Spans, to the OpenTelemetry Collector's OTLP/HTTP receiver.
          otlpEgress(),
          // SMTP, outside the cluster.
          { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: ports('TCP', [25, 465, 587]) },
        ],
      },
    },
  ];
}
