import { labelsFor, NAMESPACE } from './deploy-settings';
import { inNamespace, otlpEgress, ports } from './network-policies';

/**
 * The labels of Kong's pods. Not `app.kubernetes.io/part-of: ecom`: the functions' policies select that label,
 * and Kong needs none of what they allow (MySQL, Kafka, SMTP), only what its own policies below allow.
 */
export const KONG_POD_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/name': 'kong',
  'app.kubernetes.io/component': 'gateway',
};

/** Kong's proxy ports in the pod (a Service's ports are translated to these before any policy applies). */
const PROXY_PORTS = [8000, 8443];

/**
 * What the namespace's default deny (network-policies.ts) must let through for Kong: clients from anywhere on the
 * proxy ports, and out only to DNS and to Kourier, which serves the `<fn>.ecom.svc.cluster.local` upstreams of
 * kong.yml (Knative makes those names point at Kourier's internal gateway). The kubelet's probes of the status
 * port come from the node, which NetworkPolicies do not restrict.
 */
export function kongNetworkPolicies(): object[] {
  const meta = (name: string) => ({ name, namespace: NAMESPACE, labels: labelsFor() });
  return [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('kong-from-clients'),
      spec: {
        podSelector: { matchLabels: KONG_POD_LABELS },
        policyTypes: ['Ingress'],
        ingress: [{ ports: ports('TCP', PROXY_PORTS) }],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('kong-to-the-functions'),
      spec: {
        podSelector: { matchLabels: KONG_POD_LABELS },
        policyTypes: ['Egress'],
        egress: [
          { ports: [...ports('UDP', [53]), ...ports('TCP', [53])] },
          // Kourier's gateway port differs between releases; the namespace is what identifies it.
          { to: [inNamespace('kourier-system')] },
          // Its spans (the opentelemetry plugin), to the collector.
          otlpEgress(),
        ],
      },
    },
  ];
}
