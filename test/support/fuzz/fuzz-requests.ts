import fc from 'fast-check';
import {
  edgyBody,
  invalidBody,
  oddNumber,
  oddText,
  validValue,
  type Components,
  type OddBody,
  type Schema,
} from './schema-arbitrary';

interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required?: boolean;
  readonly schema: Schema;
}

/** One operation of docs/openapi.yaml, as much of it as the fuzzer reads. */
export interface Operation {
  readonly method: string;
  readonly path: string;
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: { readonly content: { readonly 'application/json': { readonly schema: Schema } } };
}

/** A request to send, and why it looks the way it does (for the failure message). */
export interface FuzzRequest {
  readonly method: string;
  /** Path and query, encoded. */
  readonly target: string;
  readonly body: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly why: string;
}

/** A path segment that is no id: never `/` nor `..` (which a client resolves), so the request reaches the route. */
const badSegment = fc.constantFrom(
  'not-an-id',
  '0',
  '-1',
  'null',
  '%E2%80%AE',
  'ÿÿÿ',
  'a'.repeat(300),
  '%00',
);

function pathOf(operation: Operation, values: Readonly<Record<string, string>>): string {
  return operation.path.replace(/\{(\w+)\}/g, (_match, name: string) =>
    encodeURIComponent(values[name] ?? ''),
  );
}

const queryString = (query: Readonly<Record<string, string>>) => {
  const search = new URLSearchParams(query).toString();
  return search === '' ? '' : `?${search}`;
};

const asText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

function parametersIn(operation: Operation, location: Parameter['in']): Parameter[] {
  return (operation.parameters ?? []).filter((parameter) => parameter.in === location);
}

/** Valid values for every path parameter, some of the optional query parameters, and the required headers. */
function validParameters(operation: Operation, components: Components) {
  const path = Object.fromEntries(
    parametersIn(operation, 'path').map((parameter) => [
      parameter.name,
      validValue(parameter.schema, components).map(asText),
    ]),
  );
  const query = Object.fromEntries(
    parametersIn(operation, 'query').map((parameter) => [
      parameter.name,
      validValue(parameter.schema, components).map(asText),
    ]),
  );
  const optionalQuery = parametersIn(operation, 'query')
    .filter((parameter) => parameter.required !== true)
    .map((parameter) => parameter.name);
  return fc.record({
    path: fc.record(path),
    query: fc.record(query, {
      requiredKeys: Object.keys(query).filter((name) => !optionalQuery.includes(name)),
    }),
  });
}

function request(
  operation: Operation,
  parts: {
    path: Record<string, string>;
    query: Record<string, string>;
    body: OddBody | undefined;
    why: string;
  },
): FuzzRequest {
  return {
    method: operation.method.toUpperCase(),
    target: `${pathOf(operation, parts.path)}${queryString(parts.query)}`,
    body: parts.body?.text,
    headers: parts.body?.text === undefined ? {} : { 'content-type': 'application/json' },
    why: parts.body ? `${parts.why}; body: ${parts.body.why}` : parts.why,
  };
}

/**
 * Requests the operation's schemas allow, and requests at their edges that they may allow or refuse: odd unicode
 * and out-of-range numbers in the body, odd query values.
 */
export function likelyRequests(operation: Operation, components: Components): fc.Arbitrary<FuzzRequest> {
  const schema = operation.requestBody?.content['application/json'].schema;
  const body = schema
    ? fc.oneof(
        validValue(schema, components).map((value) => ({ why: 'valid', text: JSON.stringify(value) })),
        edgyBody(schema, components),
      )
    : fc.constant(undefined);
  const queryNames = parametersIn(operation, 'query').map((parameter) => parameter.name);
  const oddQuery =
    queryNames.length === 0
      ? fc.constant({})
      : fc
          .tuple(fc.constantFrom(...queryNames), fc.oneof(oddText, oddNumber.map(String)))
          .map(([name, value]) => ({ [name]: value }));
  return fc
    .tuple(validParameters(operation, components), body, fc.boolean(), oddQuery)
    .map(([parameters, chosenBody, withOddQuery, odd]) =>
      request(operation, {
        path: parameters.path,
        query: withOddQuery ? { ...parameters.query, ...odd } : parameters.query,
        body: chosenBody,
        why: withOddQuery ? `query ${JSON.stringify(odd)}` : 'valid parameters',
      }),
    );
}

/**
 * Requests the operation surely refuses: a body that breaks its schema, or a path parameter that is not an id.
 * None for an operation that has neither a body nor a path parameter.
 */
export function refusedRequests(
  operation: Operation,
  components: Components,
): fc.Arbitrary<FuzzRequest> | undefined {
  const schema = operation.requestBody?.content['application/json'].schema;
  const pathNames = parametersIn(operation, 'path').map((parameter) => parameter.name);
  const ways: fc.Arbitrary<FuzzRequest>[] = [];
  if (schema) {
    ways.push(
      fc
        .tuple(validParameters(operation, components), invalidBody(schema, components))
        .map(([parameters, body]) =>
          request(operation, {
            path: parameters.path,
            query: parameters.query,
            body,
            why: 'valid parameters',
          }),
        ),
    );
  }
  if (pathNames.length > 0) {
    const body = schema
      ? validValue(schema, components).map((value) => ({ why: 'valid', text: JSON.stringify(value) }))
      : fc.constant(undefined);
    ways.push(
      fc
        .tuple(validParameters(operation, components), fc.constantFrom(...pathNames), badSegment, body)
        .map(([parameters, name, segment, chosenBody]) =>
          request(operation, {
            path: { ...parameters.path, [name]: segment },
            query: parameters.query,
            body: chosenBody,
            why: `path ${name} = ${JSON.stringify(segment)}`,
          }),
        ),
    );
  }
  return ways.length === 0 ? undefined : fc.oneof(...ways);
}
