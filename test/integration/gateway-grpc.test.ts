// gRPC through the dev gateway on the committed kong/kong.yml: a real grpc-js client over TLS to the gateway's
// HTTPS port, a real grpc-js server standing in for product-grpc behind it. What Kong's gRPC routes do with a call:
// the jwt plugin before the sidecar, the size limit, the global plugins' headers, the sidecar's status and trailers
// passed back, and the HTTP clients of the same port unchanged.
import { randomBytes } from 'node:crypto';
import {
  credentials,
  Metadata,
  Server,
  ServerCredentials,
  status,
  type Client,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServiceClientConstructor,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import test from 'ava';
import path from 'node:path';
import { startDevGateway, type DevGateway } from '../../dev/gateway/dev-gateway';
import { chooseProtocol } from '../../dev/gateway/tls-listener';
import { signAccessToken } from '../../shared/auth/access-token-signer';
import { AccessTokenSignerEnv } from '../../shared/auth/signer-config';
import { loadConfig } from '../../shared/config/load-config';
import { loadProto } from '../../shared/grpc/load-proto';
import { callUnary } from '../fixtures/grpc/call-unary';

const KONG_YML = path.resolve(__dirname, '../../kong/kong.yml');
const SERVICE = 'ecom.product.v1.ProductService';

/** What the stand-in sidecar saw of each call. */
interface Seen {
  readonly id: string;
  readonly metadata: Record<string, unknown>;
}

const seen: Seen[] = [];
let ProductService: ServiceClientConstructor;
let sidecar: Server;
let gateway: DevGateway;
let client: Client;

const token = () =>
  signAccessToken(
    { userId: 'u-1', role: 'customer', sessionId: '00000000-0000-4000-8000-00000000005e' },
    loadConfig(AccessTokenSignerEnv, {}),
  ).token;

const seenWith = (id: string) => seen.filter((call) => call.id === id);

/** A client of `Service` that calls it through the gateway's HTTPS port, trusting its certificate. */
const throughGateway = (Service: ServiceClientConstructor) =>
  new Service(`localhost:${String(gateway.port)}`, credentials.createSsl(Buffer.from(gateway.ca)));

/** The metadata of a signed-in customer's call, with `more`. */
const signedIn = (more: Readonly<Record<string, string>> = {}) => ({
  authorization: `Bearer ${token()}`,
  ...more,
});

/** ProductService.GetProduct through the gateway. */
const getProduct = (id: string, metadata: Readonly<Record<string, string>> = {}) =>
  callUnary(client, ProductService, 'GetProduct', { id }, metadata);

/** A grpc-js server on 127.0.0.1 (`port`, or a free one) serving `implementation` of `Service`. */
async function startSidecar(
  Service: ServiceClientConstructor,
  implementation: UntypedServiceImplementation,
  port = 0,
): Promise<{ server: Server; port: number }> {
  const server = new Server();
  server.addService(Service.service, implementation);
  const bound = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`127.0.0.1:${String(port)}`, ServerCredentials.createInsecure(), (error, at) => {
      if (error) reject(error);
      else resolve(at);
    });
  });
  return { server, port: bound };
}

/** The user sidecar's stand-in, which the restart test stops and starts again. */
let userSidecar: { server: Server; port: number };
let UserService: ServiceClientConstructor;
const userImplementation: UntypedServiceImplementation = {
  GetUser(call: ServerUnaryCall<{ id: string }, unknown>, callback: sendUnaryData<unknown>) {
    callback(null, { id: call.request.id });
  },
};

test.before(async () => {
  ProductService = (await loadProto('product.proto')).client(SERVICE);
  UserService = (await loadProto('user.proto')).client('ecom.user.v1.UserService');
  userSidecar = await startSidecar(UserService, userImplementation);
  const product = await startSidecar(ProductService, {
    GetProduct(call: ServerUnaryCall<{ id: string }, unknown>, callback: sendUnaryData<unknown>) {
      seen.push({ id: call.request.id, metadata: call.metadata.getMap() });
      if (call.request.id === 'missing') {
        const trailers = new Metadata();
        trailers.set('x-sidecar', 'said so');
        callback({ code: status.NOT_FOUND, details: 'no product missing', metadata: trailers });
        return;
      }
      callback(null, { id: call.request.id, name: 'from the stand-in' });
    },
  });
  sidecar = product.server;
  const sidecars: Readonly<Record<string, () => number>> = {
    'product-grpc': () => product.port,
    'user-grpc': () => userSidecar.port,
    // A sidecar that does not run: nothing listens on port 9 (discard) here.
    'order-grpc': () => 9,
  };
  gateway = await startDevGateway({
    kongConfig: KONG_YML,
    upstreams: (service) => {
      const port = sidecars[service]?.();
      return port === undefined ? undefined : new URL(`http://127.0.0.1:${String(port)}`);
    },
    port: 0,
    httpsPort: 0,
  });
  client = throughGateway(ProductService);
});

test.after.always(async () => {
  client.close();
  await gateway.close();
  sidecar.forceShutdown();
  userSidecar.server.forceShutdown();
});

test('a call with a valid token reaches the sidecar through the gateway, with its token and the gateway headers, and its answer comes back', async (t) => {
  const answer = await getProduct('p-1', signedIn({ 'x-request-id': 'grpc-req-1' }));
  t.is(answer.code, status.OK, answer.details);
  t.like(answer.response, { id: 'p-1', name: 'from the stand-in' });
  const [call, ...more] = seenWith('p-1');
  t.deepEqual(more, []);
  t.true(
    String(call?.metadata['authorization']).startsWith('Bearer '),
    'the sidecar checks the token itself',
  );
  t.is(call?.metadata['x-request-id'], 'grpc-req-1', 'correlation-id keeps the caller id');
  t.is(call?.metadata['x-forwarded-proto'], 'https');
  t.is(call?.metadata['x-forwarded-path'], `/${SERVICE}/GetProduct`);
});

test('a call with no token, or a forged one, is refused UNAUTHENTICATED by the jwt plugin and never reaches the sidecar', async (t) => {
  const none = await getProduct('anonymous');
  t.is(none.code, status.UNAUTHENTICATED);
  const forged = `${token().slice(0, -4)}AAAA`;
  const bad = await getProduct('forged', { authorization: `Bearer ${forged}` });
  t.is(bad.code, status.UNAUTHENTICATED);
  t.deepEqual(seenWith('anonymous'), []);
  t.deepEqual(seenWith('forged'), []);
});

test("the sidecar's own error status, details and trailers reach the client", async (t) => {
  const answer = await getProduct('missing', signedIn());
  t.is(answer.code, status.NOT_FOUND);
  t.is(answer.details, 'no product missing');
  t.deepEqual(answer.trailers.get('x-sidecar'), ['said so']);
});

test('a request message over the route limit (1 MiB) is refused before the sidecar sees it', async (t) => {
  const id = `big-${randomBytes(4).toString('hex')}`;
  const answer = await getProduct(id + 'x'.repeat(1024 * 1024), signedIn());
  t.not(answer.code, status.OK);
  t.regex(answer.details, /413/, "the client learns the gateway's HTTP status");
  t.deepEqual(
    seen.filter((call) => call.id.startsWith(id)),
    [],
  );
});

test('a service kong.yml routes no gRPC for is not found, and a sidecar that is down is unavailable', async (t) => {
  // A message on a path no route has: Kong's "no Route matched".
  const unrouted = await new Promise<number>((resolve) => {
    client
      .makeUnaryRequest(
        '/ecom.nowhere.v1.Nothing/GetProduct',
        (value: Buffer) => value,
        (value: Buffer) => value,
        Buffer.alloc(0),
        new Metadata(),
        { deadline: Date.now() + 5000 },
        () => undefined,
      )
      .on('status', ({ code }) => {
        resolve(code);
      });
  });
  t.is(unrouted, status.UNIMPLEMENTED);
  const OrderService = (await loadProto('order.proto')).client('ecom.order.v1.OrderService');
  const orders = throughGateway(OrderService);
  const down = await callUnary(orders, OrderService, 'GetOrder', { id: 'o-1' }, signedIn());
  orders.close();
  t.is(down.code, status.UNAVAILABLE);
});

test('a sidecar that restarts is called again on a new connection: the gateway does not keep the closed one', async (t) => {
  const users = throughGateway(UserService);
  try {
    const before = await callUnary(users, UserService, 'GetUser', { id: 'u-1' }, signedIn());
    t.is(before.code, status.OK, before.details);
    userSidecar.server.forceShutdown();
    userSidecar = await startSidecar(UserService, userImplementation, userSidecar.port);
    const after = await callUnary(users, UserService, 'GetUser', { id: 'u-2' }, signedIn());
    t.is(after.code, status.OK, after.details);
    t.like(after.response, { id: 'u-2' });
  } finally {
    users.close();
  }
});

test('HTTP clients of the same port keep HTTP/1.1: they offer it, gRPC clients offer h2 alone', async (t) => {
  t.is(chooseProtocol(['h2', 'http/1.1']), 'http/1.1');
  t.is(chooseProtocol(['http/1.1']), 'http/1.1');
  t.is(chooseProtocol(['h2']), 'h2');
  t.is(chooseProtocol(['spdy/3']), undefined);
  const answer = await gateway.fetch(`${gateway.url}/v1/products`);
  // No product-query runs behind this gateway: Kong's answer for a service it cannot reach, over HTTP/1.1.
  t.is(answer.status, 503);
});
