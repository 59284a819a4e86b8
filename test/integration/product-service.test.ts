// The product service's HTTP API on real MariaDB and Kafka, its admins confirmed by a real user service over gRPC:
// products (create, change, soft delete), the catalogue reads and their caching, search, and the category tree.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { fromKafkaRecord } from '../../shared/messaging/cloud-event-kafka';
import { readRecords, testKafka } from '../support/kafka-fixture';
import { connectTo } from '../support/sql-fixture';
import { startProductService, type ProductServiceUnderTest } from '../support/product-service';

let api: ProductServiceUnderTest;
let admin: string;
let customer: string;
/** The same service on SQLite, as the embedded local stack runs it (FTS5 instead of InnoDB FULLTEXT). */
let embedded: ProductServiceUnderTest;
const sqliteDir = mkdtempSync(path.join(tmpdir(), 'product-service-'));
test.before(async () => {
  api = await startProductService({ PRODUCT_CURRENCIES: 'USD,EUR' });
  admin = await api.adminToken();
  customer = await api.customerToken();
  embedded = await startProductService({ DB_DIALECT: 'sqlite', SQLITE_DIR: sqliteDir });
});
test.after.always(async () => {
  await api.close();
  await embedded.close();
  rmSync(sqliteDir, { recursive: true, force: true });
});

interface ProductBody {
  id: string;
  sku: string;
  name: string;
  description: string;
  price: { amount: number; currency: string };
  categoryId: string | null;
  status: string;
}
interface PageBody {
  items: ProductBody[];
  page: number;
  pageSize: number;
  total: number;
}

const json = async <T = Record<string, unknown>>(response: Response): Promise<T> =>
  (await response.json()) as T;
const sku = (prefix = 'SKU') => `${prefix}-${randomUUID().slice(0, 8)}`;

async function created(
  overrides: Record<string, unknown> = {},
  on: { service: ProductServiceUnderTest; token: string } = { service: api, token: admin },
): Promise<ProductBody> {
  const response = await on.service.call('POST', '/v1/products', {
    token: on.token,
    body: {
      sku: sku(),
      name: 'Plain mug',
      price: { amount: 1299, currency: 'USD' },
      status: 'active',
      ...overrides,
    },
  });
  if (response.status !== 201) throw new Error(`create: ${String(response.status)} ${await response.text()}`);
  return json<ProductBody>(response);
}

async function category(name: string, parentId: string | null = null): Promise<string> {
  const response = await api.call('POST', '/v1/categories', { token: admin, body: { name, parentId } });
  if (response.status !== 201)
    throw new Error(`category: ${String(response.status)} ${await response.text()}`);
  return (await json<{ id: string }>(response)).id;
}

/** How many products, deleted ones too, were ever stored with `sku` (tests run at once, so never all of them). */
async function productCount(sku: string): Promise<number> {
  const db = await connectTo(api.database);
  try {
    const [rows] = await db.query('SELECT COUNT(*) AS n FROM products WHERE sku = ?', [sku]);
    return Number((rows as { n: number }[])[0]?.n);
  } finally {
    await db.end();
  }
}

// --- products ------------------------------------------------------------------------------------------------

test('an admin creates a product: 201 with the product, its location, and com.ecom.product.created on Kafka', async (t) => {
  const body = {
    sku: sku('MUG'),
    name: 'Stoneware mug',
    description: 'Holds 350 ml.',
    price: { amount: 1999, currency: 'USD' },
    imageUrl: 'https://cdn.shop.example/mug.png',
    reorderLevel: 5,
  };
  const response = await api.call('POST', '/v1/products', { token: admin, body });
  t.is(response.status, 201);
  const product = await json<ProductBody & Record<string, unknown>>(response);
  t.is(response.headers.get('location'), `/v1/products/${product.id}`);
  t.like(product, { ...body, categoryId: null, status: 'draft' });
  t.regex(String(product['createdAt']), /^\d{4}-\d\d-\d\dT/);

  const records = await readRecords(testKafka(api.users.kafkaBrokers), api.eventsTopic, {
    until: (read) => read.some((record) => record.key === product.id),
  });
  const event = records.map((record) => fromKafkaRecord(record)).find((e) => e.subject === product.id);
  t.is(event?.type, 'com.ecom.product.created');
  t.is(event?.source, '/ecom/product/create-product');
  t.like(event?.data, { productId: product.id, sku: body.sku, price: body.price, status: 'draft' });
});

for (const [what, price] of [
  ['a fractional amount', { amount: 19.99, currency: 'USD' }],
  ['a negative amount', { amount: -1, currency: 'USD' }],
  ['an amount as a string', { amount: '1999', currency: 'USD' }],
  ['a lower-case currency', { amount: 100, currency: 'usd' }],
  ['a two-letter currency', { amount: 100, currency: 'US' }],
  ['a currency the store does not sell in', { amount: 100, currency: 'GBP' }],
] as const) {
  test(`${what} is a 400 problem and creates nothing`, async (t) => {
    const attempted = sku();
    const response = await api.call('POST', '/v1/products', {
      token: admin,
      body: { sku: attempted, name: 'Mug', price },
    });
    t.is(response.status, 400);
    t.is(response.headers.get('content-type'), 'application/problem+json');
    const problem = await json<{ errors: { field: string }[] }>(response);
    t.true(
      problem.errors.some((error) => error.field.startsWith('price')),
      JSON.stringify(problem),
    );
    t.is(await productCount(attempted), 0);
  });
}

test('unknown fields, a bad status, a bad image address or a missing name are 400 and create nothing', async (t) => {
  const base = { sku: sku(), name: 'Mug', price: { amount: 100, currency: 'USD' } };
  for (const body of [
    { ...base, stock: 5 },
    { ...base, status: 'published' },
    { ...base, imageUrl: 'javascript:alert(1)' },
    { ...base, name: undefined },
    { ...base, name: 'Mug\nBCC: everyone' },
  ]) {
    const response = await api.call('POST', '/v1/products', { token: admin, body });
    t.is(response.status, 400, JSON.stringify(body));
  }
  t.is(await productCount(base.sku), 0);
});

test('a SKU taken by another product, in any case, is 409 PRODUCT.SKU_TAKEN', async (t) => {
  const first = await created({ sku: sku('dup') });
  const response = await api.call('POST', '/v1/products', {
    token: admin,
    body: { sku: first.sku.toUpperCase(), name: 'Other', price: { amount: 1, currency: 'USD' } },
  });
  t.is(response.status, 409);
  t.like(await json(response), { code: 'PRODUCT.SKU_TAKEN' });
});

test('writes need an admin: 401 without a token, 403 for a customer, and nothing changes', async (t) => {
  const product = await created();
  const body = { sku: sku(), name: 'Mug', price: { amount: 100, currency: 'USD' } };
  const attempts = [
    ['POST', '/v1/products', body],
    ['PATCH', `/v1/products/${product.id}`, { name: 'Hacked' }],
    ['DELETE', `/v1/products/${product.id}`, undefined],
    ['POST', '/v1/categories', { name: 'Hacked' }],
  ] as const;
  for (const [method, path, payload] of attempts) {
    const anonymous = await api.call(method, path, { body: payload });
    t.is(anonymous.status, 401, `${method} ${path}`);
    const asCustomer = await api.call(method, path, { body: payload, token: customer });
    t.is(asCustomer.status, 403, `${method} ${path}`);
    t.like(await json(asCustomer), { code: 'AUTH.FORBIDDEN' });
  }
  const after = await json<ProductBody>(await api.call('GET', `/v1/products/${product.id}`));
  t.is(after.name, product.name);
});

test('a new price emits com.ecom.product.price-changed with both prices; a rename emits nothing', async (t) => {
  const product = await created();
  const renamed = await api.call('PATCH', `/v1/products/${product.id}`, {
    token: admin,
    body: { name: 'Renamed mug' },
  });
  t.is(renamed.status, 200);
  t.like(await json(renamed), { name: 'Renamed mug', price: product.price });
  const repriced = await api.call('PATCH', `/v1/products/${product.id}`, {
    token: admin,
    body: { price: { amount: 1499, currency: 'USD' } },
  });
  t.is(repriced.status, 200);
  t.like(await json(repriced), { name: 'Renamed mug', price: { amount: 1499, currency: 'USD' } });

  const records = await readRecords(testKafka(api.users.kafkaBrokers), api.eventsTopic, {
    until: (read) =>
      read.some(
        (record) =>
          record.key === product.id && record.headers['ce_type']?.toString().endsWith('price-changed'),
      ),
  });
  const events = records.map((record) => fromKafkaRecord(record)).filter((e) => e.subject === product.id);
  t.deepEqual(
    events.map((event) => event.type),
    ['com.ecom.product.created', 'com.ecom.product.price-changed'],
  );
  t.like(events[1]?.data, {
    previousPrice: { amount: 1299, currency: 'USD' },
    price: { amount: 1499, currency: 'USD' },
  });
});

test('PATCH: an unknown product is 404, an empty change or a bad field is 400', async (t) => {
  const product = await created();
  const unknown = await api.call('PATCH', `/v1/products/${randomUUID()}`, {
    token: admin,
    body: { name: 'X' },
  });
  t.is(unknown.status, 404);
  t.like(await json(unknown), { code: 'PRODUCT.NOT_FOUND' });
  for (const body of [{}, { price: { amount: 1.5, currency: 'USD' } }, { sku: '' }, { id: randomUUID() }]) {
    const response = await api.call('PATCH', `/v1/products/${product.id}`, { token: admin, body });
    t.is(response.status, 400, JSON.stringify(body));
  }
  t.is(
    (await api.call('PATCH', '/v1/products/not-a-uuid', { token: admin, body: { name: 'X' } })).status,
    400,
  );
});

test('a deleted product answers 404, leaves listings, frees its SKU, and a second delete is 404', async (t) => {
  const product = await created({ name: 'Vanishing teapot' });
  const deleted = await api.call('DELETE', `/v1/products/${product.id}`, { token: admin });
  t.is(deleted.status, 204);
  t.is((await api.call('GET', `/v1/products/${product.id}`)).status, 404);
  t.is((await api.call('GET', `/v1/products/${product.id}`, { token: admin })).status, 404);
  const listed = await json<PageBody>(await api.call('GET', '/v1/products?q=vanishing', { token: admin }));
  t.false(listed.items.some((item) => item.id === product.id));
  t.is((await api.call('DELETE', `/v1/products/${product.id}`, { token: admin })).status, 404);
  t.is(
    (await api.call('PATCH', `/v1/products/${product.id}`, { token: admin, body: { name: 'Back' } })).status,
    404,
  );
  const reused = await created({ sku: product.sku });
  t.not(reused.id, product.id);
  // The row stays for the orders that hold it.
  const db = await connectTo(api.database);
  const [rows] = await db.query('SELECT deleted_at FROM products WHERE id = ?', [product.id]);
  await db.end();
  t.truthy((rows as { deleted_at: Date | null }[])[0]?.deleted_at);
});

// --- reads -----------------------------------------------------------------------------------------------------

test('a draft is visible to admins only: 404 to anonymous callers and customers', async (t) => {
  const draft = await created({ status: 'draft' });
  t.is((await api.call('GET', `/v1/products/${draft.id}`)).status, 404);
  t.is((await api.call('GET', `/v1/products/${draft.id}`, { token: customer })).status, 404);
  const asAdmin = await api.call('GET', `/v1/products/${draft.id}`, { token: admin });
  t.is(asAdmin.status, 200);
  t.like(await json(asAdmin), { id: draft.id, status: 'draft' });
});

test('listing by status is for admins: 403 for others, who see active products only', async (t) => {
  const word = `draftword${randomUUID().slice(0, 6)}`;
  const draft = await created({ status: 'draft', name: `Hidden ${word}` });
  const active = await created({ status: 'active', name: `Shown ${word}` });
  t.is((await api.call('GET', '/v1/products?status=draft')).status, 403);
  t.is((await api.call('GET', '/v1/products?status=draft', { token: customer })).status, 403);
  const anonymous = await json<PageBody>(await api.call('GET', `/v1/products?q=${word}`));
  t.deepEqual(
    anonymous.items.map((item) => item.id),
    [active.id],
  );
  const drafts = await json<PageBody>(
    await api.call('GET', `/v1/products?q=${word}&status=draft`, { token: admin }),
  );
  t.deepEqual(
    drafts.items.map((item) => item.id),
    [draft.id],
  );
  const all = await json<PageBody>(await api.call('GET', `/v1/products?q=${word}`, { token: admin }));
  t.is(all.total, 2);
});

test('a bad token on a public read is 401, not an anonymous answer', async (t) => {
  const response = await api.call('GET', '/v1/products', { token: 'not.a.token' });
  t.is(response.status, 401);
});

test('reads carry an ETag and Cache-Control, and If-None-Match answers 304 until the product changes', async (t) => {
  const product = await created();
  const first = await api.call('GET', `/v1/products/${product.id}`);
  t.is(first.status, 200);
  const etag = first.headers.get('etag') ?? '';
  t.regex(etag, /^"[\w-]+"$/);
  t.is(first.headers.get('cache-control'), 'public, max-age=30');
  const again = await api.call('GET', `/v1/products/${product.id}`, { headers: { 'if-none-match': etag } });
  t.is(again.status, 304);
  t.is(await again.text(), '');
  t.is(again.headers.get('etag'), etag);
  await api.call('PATCH', `/v1/products/${product.id}`, { token: admin, body: { name: 'Changed' } });
  const changed = await api.call('GET', `/v1/products/${product.id}`, { headers: { 'if-none-match': etag } });
  t.is(changed.status, 200);
  t.not(changed.headers.get('etag'), etag);
  // A signed-in caller may see more than the public: never kept by a shared cache.
  const signedIn = await api.call('GET', `/v1/products/${product.id}`, { token: admin });
  t.is(signedIn.headers.get('cache-control'), 'no-store');
  // A list too (searched by the product's own word, so other tests' products do not change it meanwhile).
  const word = `etag${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  await api.call('PATCH', `/v1/products/${product.id}`, { token: admin, body: { name: `Mug ${word}` } });
  const list = await api.call('GET', `/v1/products?q=${word}`);
  const listTag = list.headers.get('etag') ?? '';
  const listAgain = await api.call('GET', `/v1/products?q=${word}`, {
    headers: { 'if-none-match': `W/${listTag}` },
  });
  t.is(listAgain.status, 304);
});

// --- search ----------------------------------------------------------------------------------------------------

for (const backend of ['MariaDB', 'SQLite'] as const) {
  test(`search on ${backend}: every word must appear (AND), the last may be a prefix, short and common words count`, async (t) => {
    const service = backend === 'MariaDB' ? api : embedded;
    const on = { service, token: backend === 'MariaDB' ? admin : await service.adminToken() };
    const tag = `zq${randomUUID().replace(/-/g, '').slice(0, 8)}`;
    const red = await created({ name: `Red ceramic teapot ${tag}`, description: 'A pot for tea.' }, on);
    const blue = await created({ name: `Blue ceramic mug ${tag}`, description: 'Fits a TV tray.' }, on);
    const green = await created({ name: `Green glass teapot ${tag}` }, on);
    const ids = async (q: string) =>
      (
        await json<PageBody>(await service.call('GET', `/v1/products?q=${encodeURIComponent(q)}&sort=name`))
      ).items.map((item) => item.id);
    t.deepEqual(await ids(`${tag} ceramic`), [blue.id, red.id]);
    t.deepEqual(await ids(`${tag.toUpperCase()} CERAMIC teapot`), [red.id]);
    t.deepEqual(await ids(`${tag} teap`), [green.id, red.id]); // the last word as a prefix
    t.deepEqual(await ids(`${tag} teap `), []); // a finished word is whole
    t.deepEqual(await ids(`${tag} tv`), [blue.id]); // too short for InnoDB's index, matched as a word
    t.deepEqual(await ids(`${tag} tr`), [blue.id]); // ... and as the start of a word while typed
    t.deepEqual(await ids(`${tag} for`), [red.id]); // a stop word, matched as a word
    t.deepEqual(await ids(`${tag} the`), []); // no product has it: not everything
    t.deepEqual(await ids(`"${tag}" -ceramic* (teapot)`), [red.id]); // operators are only separators
    const vague = await service.call('GET', '/v1/products?q=of%20the');
    t.is(vague.status, 400);
    t.like(await json(vague), { code: 'PRODUCT.SEARCH_TOO_VAGUE' });
  });
}

test('filters: a category takes its whole subtree; price range; in stock; sorts; pages with the total', async (t) => {
  const tag = `zf${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  const kitchen = await category(`Kitchen ${tag}`);
  const cups = await category('Cups', kitchen);
  const espresso = await category('Espresso cups', cups);
  const garden = await category(`Garden ${tag}`);
  const a = await created({
    name: `Cup A ${tag}`,
    categoryId: espresso,
    price: { amount: 500, currency: 'USD' },
  });
  const b = await created({
    name: `Cup B ${tag}`,
    categoryId: cups,
    price: { amount: 1500, currency: 'USD' },
  });
  const c = await created({
    name: `Pot C ${tag}`,
    categoryId: kitchen,
    price: { amount: 2500, currency: 'USD' },
  });
  const d = await created({
    name: `Hose D ${tag}`,
    categoryId: garden,
    price: { amount: 3500, currency: 'USD' },
  });
  const list = (query: string) => api.call('GET', `/v1/products?q=${tag}&${query}`).then(json<PageBody>);
  const idsOf = (page: PageBody) => page.items.map((item) => item.id);

  t.deepEqual(idsOf(await list(`categoryId=${kitchen}&sort=price`)), [a.id, b.id, c.id]);
  t.deepEqual(idsOf(await list(`categoryId=${cups}&sort=price`)), [a.id, b.id]);
  t.deepEqual(idsOf(await list(`categoryId=${garden}`)), [d.id]);
  t.deepEqual(idsOf(await list('minPrice=1500&maxPrice=2500&sort=price')), [b.id, c.id]);
  t.deepEqual(idsOf(await list('sort=-price')), [d.id, c.id, b.id, a.id]);
  t.deepEqual(idsOf(await list('sort=name')), [a.id, b.id, d.id, c.id]);
  const page2 = await list('sort=price&page=2&pageSize=3');
  t.deepEqual({ ...page2, items: idsOf(page2) }, { items: [d.id], page: 2, pageSize: 3, total: 4 });

  t.deepEqual(idsOf(await list('inStock=true')), []);
  const db = await connectTo(api.database);
  await db.query('UPDATE inventory SET on_hand = 3, reserved = 1 WHERE product_id = ?', [b.id]);
  await db.query('UPDATE inventory SET on_hand = 2, reserved = 2 WHERE product_id = ?', [c.id]);
  await db.end();
  t.deepEqual(idsOf(await list('inStock=true')), [b.id]);

  for (const bad of [
    'pageSize=101',
    'page=0',
    'minPrice=-1',
    'minPrice=1.5',
    'minPrice=9&maxPrice=1',
    'sort=price,name',
    'inStock=yes',
    'categoryId=x',
  ]) {
    t.is((await api.call('GET', `/v1/products?${bad}`)).status, 400, bad);
  }
  const unknownCategory = await api.call('GET', `/v1/products?categoryId=${randomUUID()}`);
  t.is(unknownCategory.status, 400);
  t.like(await json(unknownCategory), { code: 'CATEGORY.NOT_FOUND' });
});

// --- categories ------------------------------------------------------------------------------------------------

test('categories: the tree for anyone, a category with its children, renames and moves', async (t) => {
  const tag = `Tree ${randomUUID().slice(0, 6)}`;
  const root = await category(tag);
  const b = await category('B', root);
  const a = await category('A', root);
  const tree = await json<{ id: string; children: { id: string; name: string }[] }[]>(
    await api.call('GET', '/v1/categories'),
  );
  const mine = tree.find((node) => node.id === root);
  t.deepEqual(
    mine?.children.map((child) => child.name),
    ['A', 'B'],
  );
  const one = await json<{ name: string; children: { id: string }[] }>(
    await api.call('GET', `/v1/categories/${root}`),
  );
  t.is(one.name, tag);
  t.deepEqual(
    one.children.map((child) => child.id),
    [a, b],
  );
  t.is((await api.call('GET', `/v1/categories/${randomUUID()}`)).status, 404);

  const moved = await api.call('PATCH', `/v1/categories/${b}`, {
    token: admin,
    body: { parentId: a, name: 'B2' },
  });
  t.is(moved.status, 200);
  t.like(await json(moved), { id: b, parentId: a, name: 'B2' });
  const top = await api.call('PATCH', `/v1/categories/${b}`, { token: admin, body: { parentId: null } });
  t.like(await json(top), { parentId: null });
});

test('a move under itself or its own subtree is 409 CATEGORY.CYCLE and changes nothing', async (t) => {
  const root = await category(`Cycle ${randomUUID().slice(0, 6)}`);
  const child = await category('Child', root);
  const grandchild = await category('Grandchild', child);
  for (const parentId of [root, child, grandchild]) {
    const response = await api.call('PATCH', `/v1/categories/${root}`, { token: admin, body: { parentId } });
    t.is(response.status, 409, parentId);
    t.like(await json(response), { code: 'CATEGORY.CYCLE' });
  }
  t.like(await json(await api.call('GET', `/v1/categories/${root}`)), { parentId: null });
});

test('two concurrent moves that would together make a cycle: one wins, the other is 409', async (t) => {
  const x = await category(`X ${randomUUID().slice(0, 6)}`);
  const y = await category(`Y ${randomUUID().slice(0, 6)}`);
  const answers = await Promise.all([
    api.call('PATCH', `/v1/categories/${x}`, { token: admin, body: { parentId: y } }),
    api.call('PATCH', `/v1/categories/${y}`, { token: admin, body: { parentId: x } }),
  ]);
  t.deepEqual(answers.map((answer) => answer.status).sort(), [200, 409]);
});

test('a category with subcategories or products cannot be deleted (409); an empty one can', async (t) => {
  const parent = await category(`Del ${randomUUID().slice(0, 6)}`);
  const child = await category('Child', parent);
  const withChild = await api.call('DELETE', `/v1/categories/${parent}`, { token: admin });
  t.is(withChild.status, 409);
  t.like(await json(withChild), { code: 'CATEGORY.NOT_EMPTY' });
  const product = await created({ categoryId: child });
  t.is((await api.call('DELETE', `/v1/categories/${child}`, { token: admin })).status, 409);
  await api.call('DELETE', `/v1/products/${product.id}`, { token: admin });
  t.is((await api.call('DELETE', `/v1/categories/${child}`, { token: admin })).status, 204);
  t.is((await api.call('DELETE', `/v1/categories/${parent}`, { token: admin })).status, 204);
  t.is((await api.call('GET', `/v1/categories/${parent}`)).status, 404);
  t.is((await api.call('DELETE', `/v1/categories/${parent}`, { token: admin })).status, 404);
});

test('a product in an unknown category, or a category under an unknown parent, is 400 and nothing is made', async (t) => {
  const attempted = sku();
  const product = await api.call('POST', '/v1/products', {
    token: admin,
    body: { sku: attempted, name: 'Mug', price: { amount: 1, currency: 'USD' }, categoryId: randomUUID() },
  });
  t.is(product.status, 400);
  t.like(await json(product), { code: 'CATEGORY.NOT_FOUND' });
  t.is(await productCount(attempted), 0);
  const orphan = await api.call('POST', '/v1/categories', {
    token: admin,
    body: { name: 'Orphan', parentId: randomUUID() },
  });
  t.is(orphan.status, 400);
  t.like(await json(orphan), { code: 'CATEGORY.PARENT_NOT_FOUND' });
});
