import fc from 'fast-check';

/** A JSON Schema (2020-12) as docs/openapi.yaml holds them, read loosely. */
export interface Schema {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly format?: string;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly items?: Schema;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | Schema;
  readonly anyOf?: readonly Schema[];
  readonly oneOf?: readonly Schema[];
  readonly allOf?: readonly Schema[];
}

export type Components = Readonly<Record<string, Schema>>;

/** Strings a person would not type: control characters, bidirectional overrides, astral planes, lone surrogates. */
export const oddText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '\u202Egnp.exe',
    'a\u0000b',
    '\uD800',
    '👩‍👩‍👧‍👦'.repeat(30),
    'Ω'.repeat(300),
    ' ',
    '\r\n',
    '%00',
  ),
);

/** Numbers at the edges: far too large, negative, fractional, not finite in JSON's eyes. */
export const oddNumber = fc.constantFrom(
  1e308,
  -1e308,
  2 ** 63,
  -1,
  0.5,
  -0.000001,
  Number.MAX_SAFE_INTEGER + 2,
);

export function resolve(schema: Schema, components: Components): Schema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const target = components[name];
  if (!target) throw new Error(`No component ${name}`);
  return resolve(target, components);
}

const typeOf = (schema: Schema) =>
  (Array.isArray(schema.type) ? schema.type[0] : schema.type) as string | undefined;

function stringArbitrary(schema: Schema): fc.Arbitrary<string> {
  const maxLength = Math.min(schema.maxLength ?? 60, 300);
  const minLength = schema.minLength ?? 0;
  const fits = (value: string) => value.length >= minLength && value.length <= (schema.maxLength ?? Infinity);
  switch (schema.format) {
    case 'uuid':
      return fc.uuid({ version: 4 });
    case 'email':
      return fc.emailAddress().filter(fits);
    case 'uri':
      return fc.webUrl({ validSchemes: ['https'] }).filter(fits);
    case 'date-time':
      return fc
        .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((date) => date.toISOString());
  }
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern, 'u')).filter(fits);
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength: Math.max(minLength, 1), maxLength }) },
    { weight: 1, arbitrary: oddText.filter(fits) },
  );
}

function numberArbitrary(schema: Schema, integer: boolean): fc.Arbitrary<number> {
  const min =
    schema.minimum ?? (schema.exclusiveMinimum === undefined ? -1_000_000 : schema.exclusiveMinimum + 1);
  const max =
    schema.maximum ?? (schema.exclusiveMaximum === undefined ? 1_000_000 : schema.exclusiveMaximum - 1);
  // The edges are where bugs are, and values of a sensible size the rest of the time.
  const bounded = { min: Math.max(min, -1_000_000_000), max: Math.min(max, 1_000_000_000) };
  const inner = integer
    ? fc.integer(bounded)
    : fc.double({ ...bounded, noNaN: true, noDefaultInfinity: true });
  return fc.oneof({ weight: 5, arbitrary: inner }, { weight: 1, arbitrary: fc.constantFrom(min, max) });
}

/** Values the schema accepts (or nearly: a refinement the schema cannot express may still refuse one). */
export function validValue(schema: Schema, components: Components): fc.Arbitrary<unknown> {
  const resolved = resolve(schema, components);
  if (resolved.const !== undefined) return fc.constant(resolved.const);
  if (resolved.enum) return fc.constantFrom(...resolved.enum);
  const choices = resolved.anyOf ?? resolved.oneOf;
  if (choices) return fc.oneof(...choices.map((choice) => validValue(choice, components)));
  if (resolved.allOf) return validValue(Object.assign({}, ...resolved.allOf) as Schema, components);
  switch (typeOf(resolved)) {
    case 'string':
      return stringArbitrary(resolved);
    case 'integer':
      return numberArbitrary(resolved, true);
    case 'number':
      return numberArbitrary(resolved, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(validValue(resolved.items ?? {}, components), {
        minLength: resolved.minItems ?? 0,
        maxLength: Math.min(resolved.maxItems ?? 4, 4),
      });
    case 'object':
      return objectArbitrary(resolved, components);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectArbitrary(schema: Schema, components: Components): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const record = Object.fromEntries(
    Object.entries(properties).map(([name, property]) => [name, validValue(property, components)]),
  );
  return fc.record(record, { requiredKeys: Object.keys(properties).filter((name) => required.has(name)) });
}

/** A JSON value no schema of this type accepts: an object where anything else is due, a string where an object is. */
function wrongType(schema: Schema): unknown {
  return typeOf(schema) === 'object' ? 'not-an-object' : { nested: { deep: true } };
}

/** One way a body breaks its schema, and the body itself (as sent: a JSON text, or something that is not JSON). */
export interface OddBody {
  readonly why: string;
  readonly text: string | undefined;
}

/**
 * Bodies the schema surely refuses: none at all, not JSON, JSON of the wrong type, a required field missing, an
 * unknown field where none is allowed, a field of the wrong type.
 */
export function invalidBody(schema: Schema, components: Components): fc.Arbitrary<OddBody> {
  const resolved = resolve(schema, components);
  const valid = objectArbitrary(resolved, components);
  const properties = Object.keys(resolved.properties ?? {});
  const required = resolved.required ?? [];
  const ways: fc.Arbitrary<OddBody>[] = [
    fc.constant({ why: 'no body', text: undefined }),
    fc
      .constantFrom('', '{', '{"a":', 'null', '[]', '"text"', '42', '\u0000')
      .map((text) => ({ why: `not an object: ${JSON.stringify(text)}`, text })),
  ];
  if (required.length > 0) {
    ways.push(
      fc.tuple(valid, fc.constantFrom(...required)).map(([body, name]) => {
        const rest = Object.fromEntries(Object.entries(body).filter(([field]) => field !== name));
        return { why: `without ${name}`, text: JSON.stringify(rest) };
      }),
    );
  }
  if (resolved.additionalProperties === false) {
    ways.push(
      valid.map((body) => ({
        why: 'an unknown field',
        text: JSON.stringify({ ...body, unexpectedField: 'x' }),
      })),
    );
  }
  if (properties.length > 0) {
    ways.push(
      fc.tuple(valid, fc.constantFrom(...properties)).map(([body, field]) => ({
        why: `${field} of the wrong type`,
        text: JSON.stringify({
          ...body,
          [field]: wrongType(resolve((resolved.properties ?? {})[field] ?? {}, components)),
        }),
      })),
    );
  }
  return fc.oneof(...ways);
}

/** Bodies at the edges, which the schema may accept or refuse: a field of odd unicode, or a number out of range. */
export function edgyBody(schema: Schema, components: Components): fc.Arbitrary<OddBody> {
  const resolved = resolve(schema, components);
  const valid = objectArbitrary(resolved, components);
  const properties = Object.keys(resolved.properties ?? {});
  if (properties.length === 0) return valid.map((body) => ({ why: 'valid', text: JSON.stringify(body) }));
  const field = fc.constantFrom(...properties);
  return fc.oneof(
    fc.tuple(valid, field, oddNumber).map(([body, name, value]) => ({
      why: `${name} = ${String(value)}`,
      text: JSON.stringify({ ...body, [name]: value }),
    })),
    fc.tuple(valid, field, oddText).map(([body, name, value]) => ({
      why: `${name} as odd text`,
      text: JSON.stringify({ ...body, [name]: value }),
    })),
  );
}
