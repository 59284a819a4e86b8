// Each function's representative request for bench/capacity.ts: the route or event its users rely on most, on rows
// that exist, so the handler does its real work. A request that uses a row up (a cancel, a shipment, an event that
// moves an order) gets a row of its own from a pool seeded in one statement; the table's `unexpected` column shows
// if a pool ran dry.
import { randomUUID } from 'node:crypto';
import { credentials, status, type Client, type ServiceClientConstructor } from '@grpc/grpc-js';
import { DEV_ADMIN_PASSWORD } from '../../functions/user/user-config';
import { signAccessToken } from '../../shared/auth/access-token-signer';
import { AccessTokenSignerEnv } from '../../shared/auth/signer-config';
import { loadConfig } from '../../shared/config/load-config';
import { newRefreshToken, REFRESH_TOKEN_TTL_MS } from '../../shared/domain/user/refresh-token';
import { loadProto } from '../../shared/grpc/load-proto';
import { callUnary } from '../../test/fixtures/grpc/call-unary';
import type { CapacityStack } from './capacity-stack';
import { SWEEP, type Send } from './capacity-sweep';
import { insertProducts } from './seed-products';

/** How many rows a scenario that uses rows up gets: more than a sweep of one instance sends. */
const POOL = 15_000;
const json = { 'content-type': 'application/json' };
const MOST_CLIENTS = Math.max(...SWEEP);
const address = { name: 'Bench', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' };

interface Session {
  readonly userId: string;
  readonly accessToken: string;
  readonly refreshToken: string;
}

/** What several scenarios share, made once: accounts, a catalogue, tokens. */
class Fixtures {
  private readonly made = new Map<string, Promise<unknown>>();
  constructor(readonly stack: CapacityStack) {}

  once<T>(key: string, make: () => Promise<T>): Promise<T> {
    const existing = this.made.get(key);
    if (existing) return existing as Promise<T>;
    const created = make();
    this.made.set(key, created);
    return created;
  }

  async post(fn: string, route: string, body: unknown, token?: string): Promise<Response> {
    return fetch(`${await this.stack.url(fn)}${route}`, {
      method: 'POST',
      headers: { ...json, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  }

  /** A new account, signed in: a session of its own. */
  async account(label: string): Promise<Session & { readonly email: string; readonly password: string }> {
    const email = `${label}-${randomUUID().slice(0, 8)}@bench.local`;
    const password = 'capacity bench password';
    const registered = await this.post('register', '/v1/auth/register', { email, password, name: 'Bench' });
    if (registered.status !== 201) throw new Error(`register: ${String(registered.status)}`);
    return { email, password, ...(await this.login(email, password)) };
  }

  async login(email: string, password: string): Promise<Session> {
    // The configured admin is made as login starts, in the background: a first try may come before it.
    for (let attempt = 0; ; attempt++) {
      const answer = await this.post('login', '/v1/auth/login', { email, password });
      if (answer.status === 200) {
        const pair = (await answer.json()) as { accessToken: string; refreshToken: string };
        const [, payload = ''] = pair.accessToken.split('.');
        const { sub } = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub: string };
        return { userId: sub, ...pair };
      }
      if (attempt >= 20) throw new Error(`login ${email}: ${String(answer.status)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /**
   * The customer most scenarios act as, with a fresh access token: a token outlives one scenario, not the whole
   * run (ACCESS_TOKEN_TTL_SECONDS).
   */
  async customer(): Promise<Session & { readonly email: string; readonly password: string }> {
    const account = await this.once('customer', () => this.account('customer'));
    return { ...account, ...(await this.login(account.email, account.password)) };
  }

  /** The configured admin, with a fresh access token. */
  admin = () => this.login('admin@shop.local', DEV_ADMIN_PASSWORD);

  /** `count` live products with plenty of stock, named for a search to find them. */
  products = (count = 200) =>
    this.once(`products-${String(count)}`, async () => {
      const { mysql, databases } = this.stack;
      await this.stack.url('product-grpc'); // its start migrates the product database
      const ids = Array.from({ length: count }, () => randomUUID());
      const materials = ['oak', 'clay', 'steel', 'glass', 'linen'];
      for (let from = 0; from < count; from += 2000) {
        const chunk = ids.slice(from, from + 2000);
        await insertProducts(
          mysql,
          databases.product,
          chunk.map((id, i) => ({
            id,
            sku: `CAP-${id.slice(0, 13)}`,
            name: `${materials[(from + i) % materials.length] ?? 'oak'} mug ${String(from + i)}`,
            description: 'A mug to measure with.',
            price: 1000 + ((from + i) % 500),
            categoryId: null,
          })),
        );
        await mysql.query(
          `INSERT INTO ${databases.product}.inventory (product_id, on_hand, reserved, updated_at) VALUES ?`,
          [chunk.map((id) => [id, 1_000_000, 0, new Date()])],
        );
      }
      return ids;
    });

  /**
   * `count` sessions of the customer, written in bulk as login writes them (a refresh token row; its family is the
   * session) with an access token signed by the dev key the functions check: a login each would take minutes.
   */
  async sessions(count: number): Promise<Session[]> {
    const { userId } = await this.customer();
    const signer = loadConfig(AccessTokenSignerEnv, {});
    const now = new Date();
    const expires = new Date(now.getTime() + REFRESH_TOKEN_TTL_MS);
    const sessions = Array.from({ length: count }, () => {
      const familyId = randomUUID();
      const { token: refreshToken, hash } = newRefreshToken();
      const { token } = signAccessToken({ userId, role: 'customer', sessionId: familyId }, signer);
      return { userId, familyId, refreshToken, hash, accessToken: token };
    });
    for (let from = 0; from < count; from += 2000) {
      await this.stack.mysql.query(
        `INSERT INTO ${this.stack.databases.user}.refresh_tokens (id, user_id, family_id, token_hash, expires_at, created_at) VALUES ?`,
        [
          sessions
            .slice(from, from + 2000)
            .map((s) => [randomUUID(), userId, s.familyId, s.hash, expires, now]),
        ],
      );
    }
    return sessions;
  }

  /** `count` orders of the customer in `status`, with a line and a payment token each, written in bulk. */
  async orders(status: string, count: number, extra?: 'captured'): Promise<string[]> {
    const { mysql, databases } = this.stack;
    await this.stack.url('order-grpc'); // its start migrates the order database
    const customer = await this.customer();
    const [productId = randomUUID()] = await this.products();
    const now = new Date();
    const ids = Array.from({ length: count }, () => randomUUID());
    for (let from = 0; from < count; from += 2000) {
      const chunk = ids.slice(from, from + 2000);
      await mysql.query(
        `INSERT INTO ${databases.order}.orders (id, customer_id, status, currency, total_amount, shipping_address, created_at, updated_at) VALUES ?`,
        [chunk.map((id) => [id, customer.userId, status, 'USD', 1200, JSON.stringify(address), now, now])],
      );
      await mysql.query(
        `INSERT INTO ${databases.order}.order_lines (order_id, line_no, product_id, sku, name, unit_amount, quantity) VALUES ?`,
        [chunk.map((id) => [id, 1, productId, 'CAP-1', 'oak mug', 1200, 1])],
      );
      await mysql.query(`INSERT INTO ${databases.order}.order_payment_tokens (order_id, token) VALUES ?`, [
        chunk.map((id) => [id, 'tok_visa']),
      ]);
      if (extra === 'captured') {
        await mysql.query(
          `INSERT INTO ${databases.order}.payments (order_id, status, currency, amount, reference, settled_at) VALUES ?`,
          [chunk.map((id) => [id, 'CAPTURED', 'USD', 1200, `ch_${id}`, now])],
        );
      }
    }
    return ids;
  }
}

/** Hands out the rows of a pool, one per request. */
function taker<T>(rows: readonly T[]): () => T | undefined {
  let next = 0;
  return () => rows[next++];
}

/** Each unexpected status once, with its answer: why a step's `unexpected` column is not 0. */
const reported = new Set<string>();
async function report(response: Response): Promise<false> {
  const body = await response.text();
  const key = `${response.url} ${String(response.status)}`.replace(/[0-9a-f-]{36}/g, '{id}');
  if (!reported.has(key)) {
    reported.add(key);
    console.log(`  unexpected: ${key} ${body.slice(0, 300)}`);
  }
  return false;
}

async function ok(answer: Promise<Response>, expected: number): Promise<boolean> {
  const response = await answer;
  if (response.status !== expected) return report(response);
  await response.arrayBuffer();
  return true;
}

/** A binary-mode CloudEvent POST, as the broker delivers one. */
function cloudEvent(
  stack: CapacityStack,
  fn: string,
  type: string,
  data: () => object | undefined,
  extensions: Readonly<Record<string, string>> = {},
): Send {
  return async () => {
    const body = data();
    if (!body) return false;
    const response = await fetch(await stack.url(fn), {
      method: 'POST',
      headers: {
        ...json,
        'ce-specversion': '1.0',
        'ce-id': randomUUID(),
        'ce-type': type,
        'ce-source': '/bench/capacity',
        'ce-time': new Date().toISOString(),
        ...Object.fromEntries(Object.entries(extensions).map(([name, value]) => [`ce-${name}`, value])),
      },
      body: JSON.stringify(body),
    });
    if (!response.ok) return report(response);
    await response.arrayBuffer();
    return true;
  };
}

async function grpcCall(
  stack: CapacityStack,
  fn: string,
  proto: string,
  service: string,
): Promise<{ client: Client; Service: ServiceClientConstructor }> {
  const Service = (await loadProto(proto)).client(service);
  const client = new Service(new URL(await stack.url(fn)).host, credentials.createInsecure());
  return { client, Service };
}

export interface Scenario {
  /** What is sent, for the table. */
  readonly request: string;
  readonly prepare: (fixtures: Fixtures) => Promise<Send>;
}

const now = () => new Date().toISOString();

export const SCENARIOS: Readonly<Record<string, Scenario>> = {
  // The user service.
  register: {
    request: 'POST /v1/auth/register (argon2id hash)',
    prepare: (f) =>
      Promise.resolve(() =>
        ok(
          f.post('register', '/v1/auth/register', {
            email: `r-${randomUUID()}@bench.local`,
            password: 'capacity bench password',
            name: 'Bench',
          }),
          201,
        ),
      ),
  },
  login: {
    request: 'POST /v1/auth/login, an account per client (argon2id verify, ES256 sign)',
    prepare: async (f) => {
      // An account each: one account's sign-ins would queue on its throttle row, which no real load does.
      const accounts: { email: string; password: string }[] = [];
      for (let i = 0; i < MOST_CLIENTS; i += 4) {
        accounts.push(...(await Promise.all(Array.from({ length: 4 }, () => f.account('login')))));
      }
      return (client) => {
        const { email, password } = accounts[client] ?? { email: '', password: '' };
        return ok(f.post('login', '/v1/auth/login', { email, password }), 200);
      };
    },
  },
  'refresh-token': {
    request: 'POST /v1/auth/refresh, each client rotating its own session',
    prepare: async (f) => {
      const tokens = (await f.sessions(MOST_CLIENTS)).map((session) => session.refreshToken);
      return async (client) => {
        const answer = await f.post('refresh-token', '/v1/auth/refresh', { refreshToken: tokens[client] });
        if (answer.status !== 200) return report(answer);
        tokens[client] = ((await answer.json()) as { refreshToken: string }).refreshToken;
        return true;
      };
    },
  },
  logout: {
    request: 'POST /v1/auth/logout (a session each)',
    prepare: async (f) => {
      const next = taker(await f.sessions(POOL));
      return () => {
        const session = next();
        if (!session) return Promise.resolve(false);
        return ok(
          f.post('logout', '/v1/auth/logout', { refreshToken: session.refreshToken }, session.accessToken),
          204,
        );
      };
    },
  },
  'update-profile': {
    request: 'PATCH /v1/users/me (a new name)',
    prepare: async (f) => {
      const { accessToken } = await f.customer();
      const url = `${await f.stack.url('update-profile')}/v1/users/me`;
      let i = 0;
      return () =>
        ok(
          fetch(url, {
            method: 'PATCH',
            headers: { ...json, authorization: `Bearer ${accessToken}` },
            body: JSON.stringify({ name: `Bench ${String(i++ % 1000)}` }),
          }),
          200,
        );
    },
  },
  'change-role': {
    request: 'PUT /v1/users/{id}/role (admin; the session checked with user-grpc)',
    prepare: async (f) => {
      const [{ accessToken }, { userId }] = await Promise.all([f.admin(), f.account('role')]);
      const url = `${await f.stack.url('change-role')}/v1/users/${userId}/role`;
      return () =>
        ok(
          fetch(url, {
            method: 'PUT',
            headers: { ...json, authorization: `Bearer ${accessToken}` },
            body: JSON.stringify({ role: 'customer' }),
          }),
          200,
        );
    },
  },
  'revoke-sessions': {
    request: 'DELETE /v1/users/{id}/sessions (admin)',
    prepare: async (f) => {
      const [{ accessToken }, { userId }] = await Promise.all([f.admin(), f.account('revoked')]);
      const url = `${await f.stack.url('revoke-sessions')}/v1/users/${userId}/sessions`;
      return () =>
        ok(fetch(url, { method: 'DELETE', headers: { authorization: `Bearer ${accessToken}` } }), 204);
    },
  },
  'user-query': {
    request: 'GET /v1/users/me (token and session check, one read)',
    prepare: async (f) => {
      const { accessToken } = await f.customer();
      const url = `${await f.stack.url('user-query')}/v1/users/me`;
      return () => ok(fetch(url, { headers: { authorization: `Bearer ${accessToken}` } }), 200);
    },
  },
  'user-grpc': {
    request: "GetCurrentSession (every admin route's session check)",
    prepare: async (f) => {
      const { accessToken } = await f.customer();
      const { client, Service } = await grpcCall(
        f.stack,
        'user-grpc',
        'user.proto',
        'ecom.user.v1.UserService',
      );
      const headers = { authorization: `Bearer ${accessToken}` };
      return async () =>
        (await callUnary(client, Service, 'GetCurrentSession', {}, headers)).code === status.OK;
    },
  },

  // The product service.
  'product-query': {
    request: 'GET /v1/products?q=<material> mug (search, 2,000 products)',
    prepare: async (f) => {
      await f.products(2000);
      const base = `${await f.stack.url('product-query')}/v1/products`;
      const materials = ['oak', 'clay', 'steel', 'glass', 'linen'];
      let i = 0;
      return () => ok(fetch(`${base}?q=${materials[i++ % materials.length] ?? 'oak'}+mug&pageSize=20`), 200);
    },
  },
  'product-grpc': {
    request: 'QuoteItems, 5 lines (as place-order asks it)',
    prepare: async (f) => {
      const [{ accessToken }, ids] = await Promise.all([f.customer(), f.products()]);
      const { client, Service } = await grpcCall(
        f.stack,
        'product-grpc',
        'product.proto',
        'ecom.product.v1.ProductService',
      );
      const request = { items: ids.slice(0, 5).map((productId, i) => ({ productId, quantity: i + 1 })) };
      const headers = { authorization: `Bearer ${accessToken}` };
      return async () =>
        (await callUnary(client, Service, 'QuoteItems', request, headers)).code === status.OK;
    },
  },
  'create-product': {
    request: 'POST /v1/products (admin)',
    prepare: async (f) => {
      const { accessToken } = await f.admin();
      return () =>
        ok(
          f.post(
            'create-product',
            '/v1/products',
            {
              sku: `NEW-${randomUUID().slice(0, 18)}`,
              name: 'New mug',
              price: { amount: 1500, currency: 'USD' },
              status: 'active',
            },
            accessToken,
          ),
          201,
        );
    },
  },
  'update-product': {
    request: 'PATCH /v1/products/{id} (admin; a new price)',
    prepare: async (f) => {
      const [{ accessToken }, ids] = await Promise.all([f.admin(), f.products()]);
      const base = `${await f.stack.url('update-product')}/v1/products`;
      let i = 0;
      return () => {
        const n = i++;
        return ok(
          fetch(`${base}/${ids[n % ids.length] ?? ''}`, {
            method: 'PATCH',
            headers: { ...json, authorization: `Bearer ${accessToken}` },
            body: JSON.stringify({ price: { amount: 1000 + (n % 997), currency: 'USD' } }),
          }),
          200,
        );
      };
    },
  },
  'delete-product': {
    request: 'DELETE /v1/products/{id} (admin; a product each)',
    prepare: async (f) => {
      const [{ accessToken }, ids] = await Promise.all([f.admin(), f.products(POOL)]);
      const base = `${await f.stack.url('delete-product')}/v1/products`;
      const next = taker(ids);
      return () => {
        const id = next();
        if (!id) return Promise.resolve(false);
        return ok(
          fetch(`${base}/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${accessToken}` } }),
          204,
        );
      };
    },
  },
  'manage-categories': {
    request: 'POST /v1/categories (admin)',
    prepare: async (f) => {
      const { accessToken } = await f.admin();
      return () =>
        ok(
          f.post(
            'manage-categories',
            '/v1/categories',
            { name: `Cat ${randomUUID().slice(0, 12)}` },
            accessToken,
          ),
          201,
        );
    },
  },
  'adjust-inventory': {
    request: 'POST /v1/products/{id}/inventory/adjustments (admin; a restock)',
    prepare: async (f) => {
      const [{ accessToken }, ids] = await Promise.all([f.admin(), f.products()]);
      let i = 0;
      return () =>
        ok(
          f.post(
            'adjust-inventory',
            `/v1/products/${ids[i++ % ids.length] ?? ''}/inventory/adjustments`,
            { delta: 1, reason: 'restock' },
            accessToken,
          ),
          200,
        );
    },
  },
  'reserve-inventory': {
    request: 'CloudEvent order.placed, 2 lines (reserves them)',
    prepare: async (f) => {
      const [{ userId }, ids] = await Promise.all([f.customer(), f.products()]);
      let i = 0;
      return cloudEvent(f.stack, 'reserve-inventory', 'com.ecom.order.placed', () => {
        const n = i++;
        return {
          orderId: randomUUID(),
          customerId: userId,
          lines: [n, n + 1].map((k) => ({ productId: ids[k % ids.length] ?? '', quantity: 1 })),
          placedAt: now(),
        };
      });
    },
  },
  'record-stock-movements': {
    request: 'CloudEvent inventory.adjusted (a ledger row in Cassandra)',
    prepare: async (f) => {
      const ids = await f.products();
      let i = 0;
      return cloudEvent(f.stack, 'record-stock-movements', 'com.ecom.inventory.adjusted', () => ({
        productId: ids[i++ % ids.length] ?? '',
        delta: 1,
        reason: 'restock',
        onHand: 100,
        reserved: 0,
        adjustedAt: now(),
      }));
    },
  },

  // The order service.
  'place-order': {
    request: 'POST /v1/orders, 2 lines (priced by product-grpc)',
    prepare: async (f) => {
      const [{ accessToken }, ids] = await Promise.all([f.customer(), f.products()]);
      const order = {
        items: ids.slice(0, 2).map((productId) => ({ productId, quantity: 1 })),
        shippingAddress: address,
        paymentToken: 'tok_visa',
      };
      return () => ok(f.post('place-order', '/v1/orders', order, accessToken), 201);
    },
  },
  'order-query': {
    request: "GET /v1/orders?pageSize=20 (a customer's own, newest first)",
    prepare: async (f) => {
      const { accessToken } = await f.customer();
      await f.orders('PAID', 50);
      const url = `${await f.stack.url('order-query')}/v1/orders?pageSize=20`;
      return () => ok(fetch(url, { headers: { authorization: `Bearer ${accessToken}` } }), 200);
    },
  },
  'order-grpc': {
    request: 'GetOrder (a customer reads their own)',
    prepare: async (f) => {
      const { accessToken } = await f.customer();
      const [orderId] = await f.orders('PAID', 1);
      const { client, Service } = await grpcCall(
        f.stack,
        'order-grpc',
        'order.proto',
        'ecom.order.v1.OrderService',
      );
      const headers = { authorization: `Bearer ${accessToken}` };
      return async () =>
        (await callUnary(client, Service, 'GetOrder', { id: orderId }, headers)).code === status.OK;
    },
  },
  'cancel-order': {
    request: 'POST /v1/orders/{id}/cancel (a PENDING order each)',
    prepare: async (f) => {
      const { accessToken } = await f.customer();
      const next = taker(await f.orders('PENDING', POOL));
      return () => {
        const id = next();
        if (!id) return Promise.resolve(false);
        return ok(f.post('cancel-order', `/v1/orders/${id}/cancel`, {}, accessToken), 200);
      };
    },
  },
  'ship-order': {
    request: 'POST /v1/orders/{id}/shipment (admin; a PAID order each)',
    prepare: async (f) => {
      const { accessToken } = await f.admin();
      const next = taker(await f.orders('PAID', POOL));
      return () => {
        const id = next();
        if (!id) return Promise.resolve(false);
        return ok(
          f.post(
            'ship-order',
            `/v1/orders/${id}/shipment`,
            { carrier: 'DHL', trackingNumber: `TRK${id.slice(0, 8)}` },
            accessToken,
          ),
          200,
        );
      };
    },
  },
  'advance-order': {
    request: 'CloudEvent inventory.rejected (a PENDING order each -> CANCELLED as OUT_OF_STOCK)',
    prepare: async (f) => {
      const [productId = ''] = await f.products();
      const next = taker(await f.orders('PENDING', POOL));
      return cloudEvent(f.stack, 'advance-order', 'com.ecom.inventory.rejected', () => {
        const orderId = next();
        return orderId === undefined
          ? undefined
          : { orderId, shortLines: [{ productId, quantity: 1, available: 0 }], rejectedAt: now() };
      });
    },
  },
  'capture-payment': {
    request: 'CloudEvent inventory.reserved (a PENDING order each, charged: RESERVED, then PAID)',
    prepare: async (f) => {
      const [productId = ''] = await f.products();
      const next = taker(await f.orders('PENDING', POOL));
      return cloudEvent(f.stack, 'capture-payment', 'com.ecom.inventory.reserved', () => {
        const orderId = next();
        return orderId === undefined
          ? undefined
          : { orderId, lines: [{ productId, quantity: 1 }], reservedAt: now() };
      });
    },
  },
  'refund-payment': {
    request: 'CloudEvent payment.refund-requested (a captured charge each)',
    prepare: async (f) => {
      const next = taker(await f.orders('CANCELLED', POOL, 'captured'));
      return cloudEvent(f.stack, 'refund-payment', 'com.ecom.payment.refund-requested', () => {
        const orderId = next();
        return orderId === undefined
          ? undefined
          : {
              orderId,
              amount: { amount: 1200, currency: 'USD' },
              reference: `ch_${orderId}`,
              requestedAt: now(),
            };
      });
    },
  },
  notify: {
    request: "CloudEvent user.registered (user-grpc's GetContact, an inbox entry)",
    prepare: async (f) => {
      const { userId, email } = await f.customer();
      return cloudEvent(f.stack, 'notify', 'com.ecom.user.registered', () => ({
        userId,
        email,
        name: 'Bench',
        registeredAt: now(),
      }));
    },
  },
  'count-dead-letters': {
    request:
      'a dead letter of com.ecom.order.placed, as the KafkaSource delivers it (kept, counted and logged)',
    prepare: (f) =>
      Promise.resolve(
        cloudEvent(
          f.stack,
          'count-dead-letters',
          'com.ecom.order.placed',
          () => ({ orderId: randomUUID() }),
          {
            knativeerrordest: 'http://reserve-inventory.ecom.svc.cluster.local',
            knativeerrorcode: '422',
            knativeerrordata: Buffer.from('{"code":"EVENT.INVALID_DATA"}').toString('base64'),
          },
        ),
      ),
  },
  'replay-dead-letters': {
    request:
      'POST /v1/dead-letters/{id}/replay (admin; a pending dead letter each, its event to the order outbox)',
    prepare: async (f) => {
      const { accessToken } = await f.admin();
      // The letters, as the KafkaSource delivers them to count-dead-letters, 16 at a time.
      const letters = POOL;
      const deliver = cloudEvent(
        f.stack,
        'count-dead-letters',
        'com.ecom.order.placed',
        () => ({ orderId: randomUUID() }),
        {
          subject: randomUUID(), // one for all: a letter without a subject could not be replayed
          knativeerrordest: 'http://reserve-inventory.ecom.svc.cluster.local',
          knativeerrorcode: '503',
        },
      );
      let sent = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (sent++ < letters) if (!(await deliver(0))) throw new Error('a dead letter was not kept');
        }),
      );
      const list = `${await f.stack.url('replay-dead-letters')}/v1/dead-letters?pending=true&pageSize=100`;
      const ids: string[] = [];
      for (let page = 1; ids.length < letters; page++) {
        const answer = await fetch(`${list}&page=${String(page)}`, {
          headers: { authorization: `Bearer ${accessToken}` },
        });
        const { items } = (await answer.json()) as { items: { id: string }[] };
        if (items.length === 0) break;
        ids.push(...items.map((item) => item.id));
      }
      const next = taker(ids);
      return () => {
        const id = next();
        if (!id) return Promise.resolve(false);
        return ok(f.post('replay-dead-letters', `/v1/dead-letters/${id}/replay`, {}, accessToken), 202);
      };
    },
  },
  'record-order-timeline': {
    request: 'CloudEvent order.changed (a timeline row in Cassandra)',
    prepare: async (f) => {
      const ids = await f.orders('PAID', 100);
      let i = 0;
      return cloudEvent(f.stack, 'record-order-timeline', 'com.ecom.order.changed', () => ({
        orderId: ids[i++ % ids.length] ?? '',
        step: 'paid',
        status: 'PAID',
        detail: 'captured',
        changedAt: now(),
      }));
    },
  },
};

export { Fixtures };
