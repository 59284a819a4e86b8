import { z } from 'zod';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonSchema = { [key: string]: Json };

const without = (object: JsonSchema, key: string): JsonSchema =>
  Object.fromEntries(Object.entries(object).filter(([name]) => name !== key));

/**
 * Turns zod schemas into JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1 and of AsyncAPI's payloads) with
 * zod's own `toJSONSchema`, and gathers the named ones (`.meta({ id })`) as shared components, so an `Order` is
 * written once and referenced. A request schema (`io: 'input'`) that renders differently from the answer of the
 * same name (defaults make fields optional) is kept apart as `<name>Input`.
 */
export class JsonSchemas {
  readonly components: Record<string, JsonSchema> = {};

  constructor(private readonly refPrefix: string) {}

  of(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const rendered = z.toJSONSchema(schema, { target: 'draft-2020-12', io }) as JsonSchema;
    const { $defs, ...root } = rendered;
    delete root['$schema'];
    const definitions = Object.entries(($defs ?? {}) as Record<string, JsonSchema>);
    // Names first (a definition may refer to another), then each definition with its references rewritten.
    const same = new Map(definitions.map(([name]) => [name, name]));
    const renamed = new Map(
      definitions.map(([name, definition]) => [
        name,
        this.nameFor(name, this.rewrite(definition, same) as JsonSchema, io),
      ]),
    );
    for (const [name, definition] of definitions) {
      this.components[renamed.get(name) ?? name] = this.rewrite(definition, renamed) as JsonSchema;
    }
    // A schema that is itself named comes back with its `id` on the root: make it a reference too.
    const rootId = typeof root['id'] === 'string' ? root['id'] : undefined;
    const body = this.rewrite(root, renamed) as JsonSchema;
    if (rootId === undefined) return body;
    const definition = without(body, 'id');
    const name = this.nameFor(rootId, definition, io);
    this.components[name] = definition;
    return { $ref: `${this.refPrefix}${name}` };
  }

  /** The component name for `definition`: `name`, or `<name>Input` when an answer of that name differs. */
  private nameFor(name: string, definition: JsonSchema, io: 'input' | 'output'): string {
    for (const candidate of io === 'input' ? [name, `${name}Input`] : [name, `${name}Output`]) {
      const existing = this.components[candidate];
      if (existing === undefined || JSON.stringify(existing) === JSON.stringify(definition)) return candidate;
    }
    throw new Error(`Two different schemas are both named ${name}`);
  }

  private rewrite(value: Json, renamed: ReadonlyMap<string, string>): Json {
    if (Array.isArray(value)) return value.map((item) => this.rewrite(item, renamed));
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => {
        if (key === '$ref' && typeof item === 'string' && item.startsWith('#/$defs/')) {
          const name = item.slice('#/$defs/'.length);
          return [key, `${this.refPrefix}${renamed.get(name) ?? name}`];
        }
        return [key, this.rewrite(item, renamed)];
      }),
    );
  }
}
