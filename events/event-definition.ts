import type { z } from 'zod';

/**
 * One CloudEvent type of the catalog: its type name (`com.ecom.<aggregate>.<past-tense>`), the function that
 * emits it (the CloudEvent `source`), and the zod schema of its `data`, which is the contract between producer
 * and consumers.
 */
export interface EventDefinition<Data extends z.ZodType = z.ZodType> {
  readonly type: string;
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
