import type { z } from 'zod';
import type { FunctionDefinition } from '../../shared/kit/function-definition';
import { routeProblems } from '../../shared/runtime/common-problems';
import type { HttpRoute, RouteResponse } from '../../shared/runtime/function-definition';
import { gatewayProblemCodes } from '../deploy/gateway-problems';
import { kongRouteName } from '../deploy/kong-routes';
import type { JsonSchema, JsonSchemas } from './json-schemas';

const PROBLEM_REF = '#/components/schemas/Problem';
export const BEARER = 'bearerAuth';

/** What each auth level means to a caller, in the operation's description. */
const AUTH_NOTE: Record<HttpRoute['auth'], string> = {
  public: 'Anyone may call it.',
  authenticated: 'Needs a signed-in caller (`Authorization: Bearer <access token>`).',
  admin: 'Admins only (a signed-in caller with the admin role; others get 403).',
};

/** Answers Kong gives itself, before the function: problem documents too (dev/deploy/gateway-problems.ts). */
export function gatewayAnswers(route: HttpRoute): Map<number, string> {
  const answers = new Map<number, string>([[413, 'The body is over the gateway limit.']]);
  if (route.auth !== 'public') answers.set(401, 'No token, or one the gateway rejects (signature, `exp`).');
  if (route.rateLimitPerMinute !== undefined) {
    answers.set(429, `Over ${String(route.rateLimitPerMinute)} requests a minute from one address.`);
  }
  return answers;
}

/** The parameters of one location from an object schema's properties: each property is one parameter. */
function parametersOf(
  schemas: JsonSchemas,
  schema: z.ZodType | undefined,
  location: 'path' | 'query',
): JsonSchema[] {
  if (!schema) return [];
  const object = schemas.of(schema, 'input');
  const properties = (object['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set((object['required'] ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    schema: property,
  }));
}

function headerParameters(schemas: JsonSchemas, route: HttpRoute): JsonSchema[] {
  return Object.entries(route.headers ?? {}).map(([name, header]) => ({
    name,
    in: 'header',
    description: header.description,
    schema: schemas.of(header.schema, 'input'),
  }));
}

function successResponse(schemas: JsonSchemas, response: RouteResponse): JsonSchema {
  const headers = Object.fromEntries(
    Object.entries(response.headers ?? {}).map(([name, description]) => [
      name,
      { description, schema: { type: 'string' } },
    ]),
  );
  return {
    description: response.description,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(response.body
      ? { content: { 'application/json': { schema: schemas.of(response.body, 'output') } } }
      : {}),
  };
}

/** A problem document whose `code` is one of `codes`. */
function problemContent(codes: readonly string[]): JsonSchema {
  return {
    'application/problem+json': {
      schema: { allOf: [{ $ref: PROBLEM_REF }, { properties: { code: { enum: [...codes] } } }] },
    },
  };
}

const STATUS_TEXT: Record<number, string> = {
  400: 'The request is not valid; nothing was changed.',
  401: 'The caller is not signed in, or the token is not valid.',
  403: 'The caller may not do this.',
  404: 'No such resource (or not visible to the caller).',
  409: 'The request conflicts with the current state; nothing was changed.',
  413: 'The body is too large.',
  422: 'A business rule refuses the request; nothing was changed.',
  429: 'Too many requests; try again later.',
  503: 'A store or service the function needs is unavailable; try again.',
};

/** The error answers: the function's problem codes by status, and the gateway's own answers beside them. */
function errorResponses(route: HttpRoute): Record<string, JsonSchema> {
  const problems = routeProblems(route);
  const gateway = gatewayAnswers(route);
  const statuses = [...new Set([...Object.keys(problems).map(Number), ...gateway.keys()])].sort(
    (a, b) => a - b,
  );
  const responses: Record<string, JsonSchema> = {};
  for (const status of statuses) {
    const fromGateway = gateway.get(status);
    const codes = [
      ...new Set([...(problems[status] ?? []), ...(fromGateway ? gatewayProblemCodes(status) : [])]),
    ].sort();
    const codeList = codes.map((code) => `\`${code}\``).join(', ');
    const description = [
      STATUS_TEXT[status] ?? '',
      codes.length > 0 ? `Codes: ${codeList}.` : '',
      fromGateway ? `From the gateway: ${fromGateway}` : '',
    ]
      .filter((part) => part !== '')
      .join(' ');
    responses[String(status)] = { description, content: problemContent(codes) };
  }
  responses['500'] = {
    description: 'A bug: the answer says nothing of internals, and the request id finds it in the logs.',
    content: problemContent(['INTERNAL']),
  };
  return responses;
}

/** Who may call: nobody in particular, anyone with a token, or a token of an admin (OpenAPI 3.1 role names). */
function securityOf(route: HttpRoute): JsonSchema[] {
  if (route.auth === 'admin') return [{ [BEARER]: ['admin'] }];
  if (route.auth === 'authenticated') return [{ [BEARER]: [] }];
  return route.readsCaller ? [{}, { [BEARER]: [] }] : [];
}

/** The OpenAPI operation of one route of a function. */
export function operationOf(
  schemas: JsonSchemas,
  definition: FunctionDefinition,
  route: HttpRoute,
): JsonSchema {
  const responses = Object.fromEntries(
    Object.entries(route.responses).map(([status, response]) => [status, successResponse(schemas, response)]),
  );
  const notes = [
    AUTH_NOTE[route.auth],
    route.readsCaller ? 'A token, when sent, is checked; an admin sees more.' : '',
    `Served by the function \`${definition.name}\`.`,
  ].filter((note) => note !== '');
  const parameters = [
    ...parametersOf(schemas, route.params, 'path'),
    ...parametersOf(schemas, route.query, 'query'),
    ...headerParameters(schemas, route),
  ];
  return {
    operationId: kongRouteName(definition.name, route),
    summary: route.summary,
    description: notes.join(' '),
    tags: [definition.service.name],
    security: securityOf(route),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schemas.of(route.body, 'input') } },
          },
        }
      : {}),
    responses: { ...responses, ...errorResponses(route) },
    'x-function': definition.name,
  };
}
