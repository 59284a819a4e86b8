// The files `npm run new-function` writes: a working function of each kind, in the layout every function has
// (function.ts the declaration, index.ts the wiring, use-case.ts the rules over ports) and a test that serves it.

/** The names a template needs, from `<service>/<name>`. */
export interface Names {
  readonly service: string;
  /** kebab-case, e.g. `price-watch`. */
  readonly name: string;
  /** camelCase of the name, e.g. `priceWatch`. */
  readonly camel: string;
  /** PascalCase of the service, e.g. `Product`. */
  readonly Service: string;
}

export interface Template {
  /** Path from the repository root. */
  readonly path: string;
  readonly content: string;
}

const shared = '../../../shared';

/**
 * A new function's capacity: UNMEASURED deploys it with UNMEASURED_CONCURRENCY (shared/runtime/function-definition.ts)
 * and test/unit/capacity.test.ts fails until it is measured, so no function ships on a guess.
 */
const unmeasured = (
  name: string,
) => `  // Until measured: add its request to bench/support/capacity-scenarios.ts, run
  // \`npm run build && npx tsx bench/capacity.ts --only ${name}\` and paste its summary line here.
  capacity: UNMEASURED,
`;

export function serviceFile({ service, Service }: Names): Template {
  return {
    path: `functions/${service}/service.ts`,
    content: `import { defineService } from '../../shared/kit/service-declaration';

/** The ${service} service: its own database (migrations here) and histories. */
export const ${service}Service = defineService({ name: '${service}', migrations: [], histories: [] });
// ${Service} service migrations go in the list above, each \`{ name: '0010-...', up({ queryInterface }) {...} }\`.
`,
  };
}

export function httpFunction(names: Names): Template[] {
  const { service, name, camel } = names;
  const dir = `functions/${service}/${name}`;
  return [
    {
      path: `${dir}/function.ts`,
      content: `import { defineFunction } from '${shared}/kit/function-definition';
import { httpRoute, UNMEASURED } from '${shared}/runtime/function-definition';
import { ${service}Service } from '../service';
import { CallerView } from './use-case';

export const ${camel}Route = httpRoute({
  method: 'GET',
  path: '/v1/${name}',
  auth: 'authenticated',
  summary: 'Answers who is calling.',
  responses: { 200: { description: 'The caller.', body: CallerView } },
});

export const definition = defineFunction({
  name: '${name}',
  service: ${service}Service,
  description: 'Answers who is calling.',
  trigger: { kind: 'http', routes: [${camel}Route] },
${unmeasured(name)}});
`,
    },
    {
      path: `${dir}/index.ts`,
      content: `// ${name}: GET /v1/${name} -> 200 with the caller.
import { registerHttp } from '${shared}/kit/register';
import { callerOf, defineRoute } from '${shared}/runtime/http-function';
import { ${camel}Route, definition } from './function';
import { ${camel} } from './use-case';

registerHttp(definition, () => [
  defineRoute({
    route: ${camel}Route,
    handle: (context) => Promise.resolve({ status: 200, body: ${camel}(callerOf(context)) }),
  }),
]);
`,
    },
    {
      path: `${dir}/use-case.ts`,
      content: `import { z } from 'zod';
import type { Principal } from '${shared}/domain/user/roles';

/** The caller as the API shows it: the route's documented answer (function.ts). */
export const CallerView = z.object({ userId: z.string(), role: z.string() });
export type CallerView = z.infer<typeof CallerView>;

/** Who is calling. */
export function ${camel}(caller: Principal): CallerView {
  return { userId: caller.userId, role: caller.role };
}
`,
    },
    {
      path: `test/integration/${name}.test.ts`,
      content: `import test from 'ava';
import { signAccessToken } from '../../shared/auth/access-token-signer';
import { AccessTokenSignerEnv } from '../../shared/auth/signer-config';
import { loadConfig } from '../../shared/config/load-config';
import { startFunctions } from '../support/functions';

test('GET /v1/${name} answers the caller, and 401 without a token', async (t) => {
  const running = await startFunctions({ names: ['${name}'] });
  t.teardown(() => running.close());
  const caller = { userId: '00000000-0000-4000-8000-00000000c0de', role: 'customer' } as const;
  const sessionId = '00000000-0000-4000-8000-00000000005e';
  const { token } = signAccessToken({ ...caller, sessionId }, loadConfig(AccessTokenSignerEnv, {}));

  const answer = await running.call('GET', '/v1/${name}', { token });
  t.is(answer.status, 200);
  t.deepEqual(await answer.json(), caller);
  const anonymous = await running.call('GET', '/v1/${name}');
  t.is(anonymous.status, 401);
  t.like(await anonymous.json(), { code: 'AUTH.MISSING_TOKEN' });
});
`,
    },
  ];
}

export function eventFunction(
  names: Names,
  event: { readonly file: string; readonly exported: string },
): Template[] {
  const { service, name, camel } = names;
  const dir = `functions/${service}/${name}`;
  const { file, exported } = event;
  return [
    {
      path: `${dir}/function.ts`,
      content: `import { ${exported} } from '../../../events/${file}';
import { defineFunction } from '${shared}/kit/function-definition';
import { UNMEASURED } from '${shared}/runtime/function-definition';
import { ${service}Service } from '../service';

/** The name this function records processed events under. */
export const CONSUMER = '${name}';

export const definition = defineFunction({
  name: '${name}',
  service: ${service}Service,
  description: \`Handles each \${${exported}.type} event once.\`,
  trigger: { kind: 'cloudevent', eventTypes: [${exported}.type] },
  uses: { database: true },
${unmeasured(name)}});
`,
    },
    {
      path: `${dir}/index.ts`,
      content: `// ${name}: reacts to ${exported} events, each once however often it is delivered.
import { ${exported} } from '../../../events/${file}';
import { registerEvents } from '${shared}/kit/register';
import { subscribe } from '${shared}/runtime/cloud-event-function';
import { CONSUMER, definition } from './function';
import { ${camel} } from './use-case';

registerEvents(definition, ({ stores }) => {
  const once = stores.oncePerEvent(CONSUMER);
  return [subscribe({ event: ${exported}, handle: (event) => ${camel}({ once }, event) })];
});
`,
    },
    {
      path: `${dir}/use-case.ts`,
      content: `import type { Handled, OncePerEvent } from '${shared}/domain/once-per-event';

/** Applies an event once: its effect goes inside \`once\`, so a redelivery changes nothing. */
export function ${camel}(ports: { readonly once: OncePerEvent }, event: { readonly id: string }): Promise<Handled> {
  return ports.once(event.id, () => Promise.resolve());
}
`,
    },
    {
      path: `test/integration/${name}.test.ts`,
      content: `import test from 'ava';
import { CloudEvent, HTTP } from 'cloudevents';
import { ${exported} } from '../../events/${file}';
import { ${camel} } from '../../functions/${service}/${name}/use-case';
import type { OncePerEvent } from '../../shared/domain/once-per-event';
import { startFunctions } from '../support/functions';
import { dropDatabase } from '../support/sql-fixture';
import { uniqueName } from '../support/unique-name';

test('each event is handled once, however often it is delivered', async (t) => {
  const seen = new Set<string>();
  const once: OncePerEvent = async (id, effect) => {
    if (seen.has(id)) return 'duplicate';
    await effect?.();
    seen.add(id);
    return 'processed';
  };
  t.is(await ${camel}({ once }, { id: 'e-1' }), 'processed');
  t.is(await ${camel}({ once }, { id: 'e-1' }), 'duplicate');
});

test('a delivery whose data is not a ${exported} is refused with 400, so it is dead-lettered', async (t) => {
  const database = uniqueName('test_${service}');
  const running = await startFunctions({ names: ['${name}'], env: { MYSQL_DATABASE: database } });
  t.teardown(async () => {
    await running.close();
    await dropDatabase(database);
  });
  const event = new CloudEvent({ type: ${exported}.type, source: '/ecom/test', data: [] });
  const message = HTTP.binary(event);
  const headers = Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, String(v)]));
  const answer = await fetch(running.url('${name}'), { method: 'POST', headers, body: '[]' });
  t.is(answer.status, 400);
  t.like(await answer.json(), { code: 'EVENT.INVALID_DATA' });
});
`,
    },
  ];
}

export function grpcProto({ service, name, Service }: Names): Template {
  return {
    path: `proto/${service}.proto`,
    content: `// The ${service} service's synchronous API, served by the ${name} sidecar function to the other services.
// Calls carry metadata \`authorization: Bearer <access token>\` and may carry \`x-request-id\`; errors carry the
// stable code in the \`error-code\` trailer (see user.proto).
syntax = "proto3";

package ecom.${service}.v1;

service ${Service}Service {
  // Who is calling: the subject and role of the access token.
  rpc WhoAmI(WhoAmIRequest) returns (WhoAmIResponse);
}

message WhoAmIRequest {}

message WhoAmIResponse {
  string user_id = 1;
  string role = 2;
}
`,
  };
}

export function grpcFunction(names: Names): Template[] {
  const { service, name, Service } = names;
  const dir = `functions/${service}/${name}`;
  const constant = `${service.toUpperCase()}_GRPC_SERVICE`;
  return [
    {
      path: `${dir}/function.ts`,
      content: `import { defineFunction } from '${shared}/kit/function-definition';
import { UNMEASURED } from '${shared}/runtime/function-definition';
import { ${service}Service } from '../service';

export const ${constant} = 'ecom.${service}.v1.${Service}Service';

export const definition = defineFunction({
  name: '${name}',
  service: ${service}Service,
  description: 'The ${service} service over gRPC, with the standard health service.',
  trigger: { kind: 'grpc', proto: '${service}.proto', services: [${constant}] },
${unmeasured(name)}});
`,
    },
    {
      path: `${dir}/index.ts`,
      content: `// ${name}: the ${service} service's synchronous API (proto/${service}.proto).
import { z } from 'zod';
import { unaryService } from '${shared}/grpc/grpc-service';
import { unary } from '${shared}/grpc/unary-method';
import { registerGrpc } from '${shared}/kit/register';
import { definition, ${constant} } from './function';
import { whoAmI } from './use-case';

registerGrpc(definition, ({ verify, logger }, proto) => [
  unaryService({
    proto,
    name: ${constant},
    verify,
    logger,
    methods: {
      WhoAmI: unary({ auth: 'authenticated', request: z.object({}), handle: (_, { principal }) => whoAmI(principal) }),
    },
  }),
]);
`,
    },
    {
      path: `${dir}/use-case.ts`,
      content: `/** Who is calling, as the proto's WhoAmIResponse says it. */
export function whoAmI(caller: { readonly userId: string; readonly role: string }): {
  readonly userId: string;
  readonly role: string;
} {
  return { userId: caller.userId, role: caller.role };
}
`,
    },
    {
      path: `test/integration/${name}.test.ts`,
      content: `import { credentials, status } from '@grpc/grpc-js';
import test from 'ava';
import { ${constant} } from '../../functions/${service}/${name}/function';
import { signAccessToken } from '../../shared/auth/access-token-signer';
import { AccessTokenSignerEnv } from '../../shared/auth/signer-config';
import { loadConfig } from '../../shared/config/load-config';
import { loadProto } from '../../shared/grpc/load-proto';
import { callUnary } from '../fixtures/grpc/call-unary';
import { startFunctions } from '../support/functions';

test('WhoAmI answers the caller, and UNAUTHENTICATED without a token', async (t) => {
  // A sidecar outside the user service confirms admin callers with user-grpc; WhoAmI takes any signed-in caller.
  const running = await startFunctions({ names: ['${name}'], env: { USER_GRPC_ADDRESS: '127.0.0.1:1' } });
  t.teardown(() => running.close());
  const Client = (await loadProto('${service}.proto')).client(${constant});
  const client = new Client(running.grpcAddress('${name}'), credentials.createInsecure());
  t.teardown(() => {
    client.close();
  });
  const caller = { userId: '00000000-0000-4000-8000-00000000c0de', role: 'customer' } as const;
  const sessionId = '00000000-0000-4000-8000-00000000005e';
  const { token } = signAccessToken({ ...caller, sessionId }, loadConfig(AccessTokenSignerEnv, {}));

  const answer = await callUnary(client, Client, 'WhoAmI', {}, { authorization: \`Bearer \${token}\` });
  t.is(answer.code, status.OK);
  t.deepEqual(answer.response, caller);
  t.is((await callUnary(client, Client, 'WhoAmI', {})).code, status.UNAUTHENTICATED);
});
`,
    },
  ];
}
