import { z } from 'zod';
import { parseIsoDurationMs } from './iso-duration';

// These schemas read the subset of Knative's Trigger and Broker that the dev broker acts on. They are not
// strict on purpose: the files in knative/ are real manifests with fields meant for the cluster (annotations,
// labels, namespaces of refs) that the dev broker has no use for.

const duration = z.string().refine((text) => parseIsoDurationMs(text) !== undefined, {
  message: 'must be an ISO-8601 duration such as PT0.2S',
});
const attributeMap = z.record(z.string().min(1), z.string().min(1));

/** One entry of a Trigger's `spec.filters` (the CloudEvents Subscriptions API dialects Knative supports). */
export interface FilterResource {
  readonly exact?: Readonly<Record<string, string>> | undefined;
  readonly prefix?: Readonly<Record<string, string>> | undefined;
  readonly suffix?: Readonly<Record<string, string>> | undefined;
  readonly all?: readonly FilterResource[] | undefined;
  readonly any?: readonly FilterResource[] | undefined;
  readonly not?: FilterResource | undefined;
  readonly cesql?: string | undefined;
}

const DIALECTS = ['exact', 'prefix', 'suffix', 'all', 'any', 'not', 'cesql'] as const;

export const FilterResource: z.ZodType<FilterResource> = z.lazy(() =>
  z
    .object({
      exact: attributeMap.optional(),
      prefix: attributeMap.optional(),
      suffix: attributeMap.optional(),
      all: z.array(FilterResource).optional(),
      any: z.array(FilterResource).optional(),
      not: FilterResource.optional(),
      cesql: z.string().optional(),
    })
    // Knative's webhook refuses a filter entry that sets no dialect or more than one.
    .refine((filter) => DIALECTS.filter((dialect) => filter[dialect] !== undefined).length === 1, {
      message: `each filter sets exactly one of ${DIALECTS.join(', ')}`,
    }),
);

const reference = z.object({ kind: z.string().optional(), name: z.string().min(1) });
const destination = z
  .object({ ref: reference.optional(), uri: z.string().min(1).optional() })
  .refine((value) => value.ref !== undefined || value.uri !== undefined, { message: 'needs a ref or a uri' });

export const DeliveryResource = z.object({
  retry: z.number().int().min(0).optional(),
  backoffPolicy: z.enum(['linear', 'exponential']).optional(),
  backoffDelay: duration.optional(),
  backoffMax: duration.optional(),
  timeout: duration.optional(),
  deadLetterSink: destination.optional(),
});
export type DeliveryResource = z.infer<typeof DeliveryResource>;

const metadata = z.object({
  name: z.string().min(1),
  namespace: z.string().min(1).default('default'),
  annotations: z.record(z.string(), z.string()).optional(),
});

export const TriggerResource = z.object({
  metadata,
  spec: z.object({
    broker: z.string().min(1),
    filter: z.object({ attributes: z.record(z.string().min(1), z.string()).optional() }).optional(),
    filters: z.array(FilterResource).optional(),
    subscriber: destination,
    delivery: DeliveryResource.optional(),
  }),
});
export type TriggerResource = z.infer<typeof TriggerResource>;

/** A KafkaSource: the topics it reads and where it delivers each record, with its retries (and no filter). */
export const KafkaSourceResource = z.object({
  metadata,
  spec: z.object({
    topics: z.array(z.string().min(1)).min(1),
    consumerGroup: z.string().min(1).optional(),
    sink: destination,
    delivery: DeliveryResource.optional(),
  }),
});
export type KafkaSourceResource = z.infer<typeof KafkaSourceResource>;

export const BrokerResource = z.object({
  metadata,
  spec: z.object({ delivery: DeliveryResource.optional() }).optional(),
});
export type BrokerResource = z.infer<typeof BrokerResource>;
