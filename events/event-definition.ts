import type { z } from 'zod';

/**
 * One CloudEvent type of the catalog: its type name (`com.ecom.<aggregate>.<past-tense>`), its usual source, and the
 * zod schema of its `data`, which is the contract between producers and consumers. Which functions emit a type is
 * not said here but by each of them (`uses.events` in its function.ts), and the outbox holds them to it;
 * docs/asyncapi.yaml lists them.
 */
export interface EventDefinition<Data extends z.ZodType = z.ZodType> {
  readonly type: string;
  /**
   * The CloudEvent `source` (`/ecom/<service>/<function>`) of the function that first emits it, used when an event
   * is built without naming its own; a function emitting it too passes its own source (the outbox checks that).
   */
  readonly source: string;
  readonly data: Data;
  readonly description: string;
}

export function defineEvent<Data extends z.ZodType>(
  definition: EventDefinition<Data>,
): EventDefinition<Data> {
  if (!/^com\.ecom\.[a-z]+(?:-[a-z]+)*\.[a-z]+(?:-[a-z]+)*$/.test(definition.type)) {
    throw new Error(`Event type ${definition.type} does not follow com.ecom.<aggregate>.<past-tense>`);
  }
  return definition;
}
