import type { FilterResource, TriggerResource } from './knative-resources';

/** A Trigger's filter, normalised: the legacy `filter.attributes` or a tree of Subscriptions API dialects. */
export type EventFilter =
  | { readonly attributes: Readonly<Record<string, string>> }
  | { readonly exact: Readonly<Record<string, string>> }
  | { readonly prefix: Readonly<Record<string, string>> }
  | { readonly suffix: Readonly<Record<string, string>> }
  | { readonly all: readonly EventFilter[] }
  | { readonly any: readonly EventFilter[] }
  | { readonly not: EventFilter };

/**
 * The filter a Trigger applies, as Knative chooses it: a non-empty `spec.filters` wins (all entries must pass),
 * else `spec.filter.attributes`, else every event passes. CESQL is refused: the dev broker does not evaluate it.
 */
export function toEventFilter(spec: TriggerResource['spec'], trigger: string): EventFilter {
  if (spec.filters && spec.filters.length > 0) return { all: spec.filters.map((f) => dialect(f, trigger)) };
  return { attributes: spec.filter?.attributes ?? {} };
}

function dialect(filter: FilterResource, trigger: string): EventFilter {
  if (filter.exact) return { exact: filter.exact };
  if (filter.prefix) return { prefix: filter.prefix };
  if (filter.suffix) return { suffix: filter.suffix };
  if (filter.all) return { all: filter.all.map((f) => dialect(f, trigger)) };
  if (filter.any) return { any: filter.any.map((f) => dialect(f, trigger)) };
  if (filter.not) return { not: dialect(filter.not, trigger) };
  throw new Error(`Trigger ${trigger}: CESQL filters are not supported by the dev broker`);
}

/**
 * An event's context attributes and extensions by name: a CloudEvent, or the attributes a binary-mode Kafka record
 * carries in its headers (kafkaRecordAttributes), which a filter can judge before the record is decoded.
 */
export type EventAttributes = Readonly<Record<string, unknown>>;

/** Whether an event passes a filter (attribute names as in CloudEvents: `type`, `source`, extensions…). */
export function matchesFilter(filter: EventFilter, event: EventAttributes): boolean {
  if ('attributes' in filter) {
    // Knative's legacy filter: exact values, and "" meaning "any value, but the attribute must be set".
    return Object.entries(filter.attributes).every(([name, expected]) => {
      const value = attribute(event, name);
      return value !== undefined && value !== '' && (expected === '' || value === expected);
    });
  }
  if ('exact' in filter) return each(filter.exact, event, (value, expected) => value === expected);
  if ('prefix' in filter) return each(filter.prefix, event, (value, expected) => value.startsWith(expected));
  if ('suffix' in filter) return each(filter.suffix, event, (value, expected) => value.endsWith(expected));
  if ('all' in filter) return filter.all.every((f) => matchesFilter(f, event));
  if ('any' in filter) return filter.any.length === 0 || filter.any.some((f) => matchesFilter(f, event));
  return !matchesFilter(filter.not, event);
}

function each(
  attributes: Readonly<Record<string, string>>,
  event: EventAttributes,
  test: (value: string, expected: string) => boolean,
): boolean {
  return Object.entries(attributes).every(([name, expected]) => {
    const value = attribute(event, name);
    return value !== undefined && test(value, expected);
  });
}

/** A context attribute or extension as a string; undefined when the event does not carry it. */
function attribute(event: EventAttributes, name: string): string | undefined {
  if (name === 'data' || name === 'data_base64') return undefined;
  const value = event[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
