import type { EventDefinition } from '../../events/event-definition';
import { appendedEvents } from '../../shared/kit/declared-events';
import type { FunctionDefinition } from '../../shared/kit/function-definition';

/** One CloudEvent type with the functions that publish it and those that consume it, each sorted by name. */
export interface EventFlow {
  readonly event: EventDefinition;
  /** Functions whose `uses.events` lists it: the outbox lets only them append it. */
  readonly publishers: readonly FunctionDefinition[];
  /** Functions with a CloudEvent trigger on it: one Knative Trigger each. */
  readonly consumers: readonly FunctionDefinition[];
}

/** The event types a function may append (none for an outbox relay, which only republishes). */
export const publishedTypes = (definition: FunctionDefinition): readonly string[] =>
  appendedEvents(definition.uses).map((event) => event.type);

/** The event types a function's Triggers deliver to it. */
export const consumedTypes = (definition: FunctionDefinition): readonly string[] =>
  definition.trigger.kind === 'cloudevent' ? definition.trigger.eventTypes : [];

/**
 * Every type of the catalogue, in its order, with its publishers and consumers. A function that publishes or
 * consumes a type the catalogue does not hold is a mistake the documents must not hide: it throws.
 */
export function eventFlows(
  catalog: Readonly<Record<string, EventDefinition>>,
  definitions: readonly FunctionDefinition[],
): EventFlow[] {
  const sorted = [...definitions].sort((a, b) => a.name.localeCompare(b.name));
  for (const definition of sorted) {
    for (const type of [...publishedTypes(definition), ...consumedTypes(definition)]) {
      if (!catalog[type])
        throw new Error(`${definition.name} declares ${type}, which events/catalog.ts lacks`);
    }
  }
  return Object.values(catalog).map((event) => ({
    event,
    publishers: sorted.filter((definition) => publishedTypes(definition).includes(event.type)),
    consumers: sorted.filter((definition) => consumedTypes(definition).includes(event.type)),
  }));
}
