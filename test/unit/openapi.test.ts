import { Validator } from '@seriousme/openapi-schema-validator';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { parse } from 'yaml';
import { loadDefinitions } from '../../dev/deploy/render-all';
import { gatewayProblemCodes } from '../../dev/deploy/gateway-problems';
import { OPENAPI_FILE, renderOpenApi } from '../../dev/docs/render-openapi';
import { gatewayAnswers } from '../../dev/docs/openapi-operation';
import { OPENAPI_TYPES_FILE, renderOpenApiTypes } from '../../dev/docs/render-openapi-types';
import { routeProblems } from '../../shared/runtime/common-problems';
import type { HttpRoute } from '../../shared/runtime/function-definition';

interface Operation {
  operationId: string;
  security: Record<string, string[]>[];
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
}

const definitions = loadDefinitions();
const file = renderOpenApi(definitions, '0.0.0-test');
const document = parse(file.content) as Document;
const routes = definitions.flatMap((definition) =>
  definition.trigger.kind === 'http' ? definition.trigger.routes.map((route) => ({ definition, route })) : [],
);
const operationOf = (route: HttpRoute) => document.paths[route.path]?.[route.method.toLowerCase()];

test(`${OPENAPI_FILE} is a valid OpenAPI 3.1 document`, async (t) => {
  const validator = new Validator();
  const result = await validator.validate(parse(file.content) as Parameters<Validator['validate']>[0]);
  t.deepEqual(result.errors ?? [], [], JSON.stringify(result.errors, null, 2));
  t.true(result.valid);
});

test('every route of every function is an operation, with one unique operation id', (t) => {
  t.true(routes.length > 25, 'the shop declares its routes');
  for (const { route } of routes) t.truthy(operationOf(route), `${route.method} ${route.path}`);
  const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
  t.is(operations.length, routes.length, 'nothing but the declared routes');
  t.is(new Set(operations.map((operation) => operation.operationId)).size, operations.length);
});

test('security follows each route: admin routes need the admin role, public ones nothing', (t) => {
  for (const { route } of routes) {
    const { security } = operationOf(route) as Operation;
    const name = `${route.method} ${route.path}`;
    if (route.auth === 'admin') t.deepEqual(security, [{ bearerAuth: ['admin'] }], name);
    else if (route.auth === 'authenticated') t.deepEqual(security, [{ bearerAuth: [] }], name);
    else if (route.readsCaller) t.deepEqual(security, [{}, { bearerAuth: [] }], name);
    else t.deepEqual(security, [], name);
  }
});

test('each error status lists exactly the problem codes the route, or the gateway in front of it, can answer', (t) => {
  for (const { route } of routes) {
    const { responses } = operationOf(route) as Operation;
    const problems = routeProblems(route);
    const gateway = gatewayAnswers(route);
    const statuses = new Set([...Object.keys(problems), ...[...gateway.keys()].map(String)]);
    for (const status of statuses) {
      const codes = new Set([
        ...(problems[Number(status)] ?? []),
        ...(gateway.has(Number(status)) ? gatewayProblemCodes(Number(status)) : []),
      ]);
      const schema = responses[status]?.content?.['application/problem+json']?.schema as {
        allOf: [unknown, { properties: { code: { enum: string[] } } }];
      };
      t.deepEqual(
        schema.allOf[1].properties.code.enum,
        [...codes].sort(),
        `${route.method} ${route.path} ${status}`,
      );
    }
  }
});

test('path parameters, bodies and success answers come from the declared schemas', (t) => {
  for (const { route } of routes) {
    const operation = operationOf(route) as Operation;
    const name = `${route.method} ${route.path}`;
    const pathNames = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
    const declared = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path');
    t.deepEqual(declared.map((parameter) => parameter.name).sort(), pathNames.sort(), name);
    t.is(operation.requestBody !== undefined, route.body !== undefined, name);
    for (const [status, response] of Object.entries(route.responses)) {
      const documented = operation.responses[status];
      t.truthy(documented, `${name} ${status}`);
      t.is(documented?.content?.['application/json'] !== undefined, response.body !== undefined, name);
    }
  }
});

test(`${OPENAPI_TYPES_FILE}, the e2e client's types, is fresh`, async (t) => {
  const rendered = await renderOpenApiTypes(file.content);
  const committed = readFileSync(path.join(__dirname, '../..', OPENAPI_TYPES_FILE), 'utf8');
  t.true(committed === rendered.content, 'differs from what the generator renders: run `npm run generate`');
});
