import { randomUUID } from 'node:crypto';
import test from 'ava';
import {
  getProduct,
  listProducts,
  ProductListQuery,
} from '../../../functions/product/product-query/use-case';
import type { Category } from '../../../shared/domain/product/category';
import { productView, type Product, type ProductStatus } from '../../../shared/domain/product/product';
import type { Principal, Role } from '../../../shared/domain/user/roles';
import { AppError } from '../../../shared/errors/app-error';
import { memoryCatalogue } from '../../support/memory/memory-product-repository';

const T0 = Date.parse('2030-01-01T00:00:00.000Z');
const minute = (n: number) => new Date(T0 + n * 60_000);
/** Fixed ids, so the order of equal sort keys (by id) is known: id(1) < id(2) < ... */
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const caller = (role: Role): Principal => ({
  userId: randomUUID(),
  role,
  tokenId: randomUUID(),
  sessionId: randomUUID(),
  expiresAt: new Date('2100-01-01T00:00:00Z'),
});
const admin = caller('admin');
const customer = caller('customer');

const category = (n: number, name: string, parentId: string | null): Category => ({
  id: id(100 + n),
  name,
  parentId,
  createdAt: minute(0),
  updatedAt: minute(0),
});
const KITCHEN = category(1, 'Kitchen', null);
const CUPS = category(2, 'Cups', KITCHEN.id);
const ESPRESSO = category(3, 'Espresso cups', CUPS.id);
const GARDEN = category(4, 'Garden', null);

const product = (
  n: number,
  fields: {
    name: string;
    amount: number;
    categoryId: string | null;
    created: number;
    status?: ProductStatus;
  },
  description = '',
): Product => ({
  id: id(n),
  sku: `SKU-${n}`,
  name: fields.name,
  description,
  price: { amount: fields.amount, currency: 'USD' },
  categoryId: fields.categoryId,
  imageUrl: null,
  status: fields.status ?? 'active',
  reorderLevel: 0,
  createdAt: minute(fields.created),
  updatedAt: minute(fields.created),
});

/*
 * The catalogue of the filter tests. Ids are chosen against the insertion order, so that equal keys (E and D made
 * at minute 4, E and C at 25.00, B and ARCHIVED at 15.00) show the id tiebreak.
 */
const A = product(5, { name: 'Cup A', amount: 500, categoryId: ESPRESSO.id, created: 1 });
const B = product(4, { name: 'Cup B', amount: 1500, categoryId: CUPS.id, created: 2 });
const C = product(3, { name: 'Pot C', amount: 2500, categoryId: KITCHEN.id, created: 3 });
const D = product(2, { name: 'Hose D', amount: 3500, categoryId: GARDEN.id, created: 4 });
const E = product(1, { name: 'Jug E', amount: 2500, categoryId: null, created: 4 });
const DRAFT = product(7, {
  name: 'Cup draft',
  amount: 1000,
  categoryId: CUPS.id,
  created: 5,
  status: 'draft',
});
const ARCHIVED = product(6, {
  name: 'Cup archived',
  amount: 1500,
  categoryId: KITCHEN.id,
  created: 6,
  status: 'archived',
});
const DELETED = product(8, { name: 'Cup deleted', amount: 600, categoryId: CUPS.id, created: 7 });

async function catalogue(products: readonly Product[] = [A, B, C, D, E, DRAFT, ARCHIVED, DELETED]) {
  const store = memoryCatalogue();
  for (const each of [KITCHEN, CUPS, ESPRESSO, GARDEN]) await store.categories.insert(each);
  for (const each of products) await store.products.insert(each, []);
  if (products.includes(DELETED)) await store.products.remove(DELETED.id, minute(8), () => []);
  const reads = { products: store.products, categories: store.categories };
  /** A listing as the route runs it: the query string parsed by the route's schema. */
  const list = (query: Record<string, string>, who?: Principal) =>
    listProducts(reads, ProductListQuery.parse(query), who);
  /** The listed products, in order. */
  const names = async (query: Record<string, string>, who?: Principal) =>
    (await list(query, who)).items.map((item) => item.name);
  return { ...store, list, names };
}

test('everyone sees the active products, newest first, as their views, with the total', async (t) => {
  const { list } = await catalogue();
  const expected = { items: [E, D, C, B, A].map(productView), page: 1, pageSize: 20, total: 5 };
  t.deepEqual(await list({}), expected);
  t.deepEqual(await list({}, customer), expected);
  t.deepEqual(await list({ status: 'active' }, customer), expected);
});

test('a caller who is not an admin asking for drafts or archived products is AUTH.FORBIDDEN', async (t) => {
  const { list } = await catalogue();
  for (const status of ['draft', 'archived']) {
    for (const who of [undefined, customer]) {
      const error = await t.throwsAsync(list({ status }, who), { instanceOf: AppError });
      t.like(
        error,
        { kind: 'forbidden', code: 'AUTH.FORBIDDEN' },
        `${status} for ${who?.role ?? 'anonymous'}`,
      );
    }
  }
});

test('an admin sees every status, or the one asked for; never a deleted product', async (t) => {
  const { names } = await catalogue();
  t.deepEqual(await names({}, admin), [
    'Cup archived',
    'Cup draft',
    'Jug E',
    'Hose D',
    'Pot C',
    'Cup B',
    'Cup A',
  ]);
  t.deepEqual(await names({ status: 'draft' }, admin), ['Cup draft']);
  t.deepEqual(await names({ status: 'archived' }, admin), ['Cup archived']);
  t.deepEqual(await names({ status: 'active' }, admin), ['Jug E', 'Hose D', 'Pot C', 'Cup B', 'Cup A']);
});

test('a category takes its whole subtree', async (t) => {
  const { names } = await catalogue();
  t.deepEqual(await names({ categoryId: KITCHEN.id, sort: 'price' }), ['Cup A', 'Cup B', 'Pot C']);
  t.deepEqual(await names({ categoryId: CUPS.id, sort: 'price' }), ['Cup A', 'Cup B']);
  t.deepEqual(await names({ categoryId: ESPRESSO.id }), ['Cup A']);
  t.deepEqual(await names({ categoryId: GARDEN.id }), ['Hose D']);
  t.deepEqual(await names({ categoryId: KITCHEN.id, sort: 'price' }, admin), [
    'Cup A',
    'Cup draft',
    'Cup B',
    'Cup archived',
    'Pot C',
  ]);
});

test('an unknown category is CATEGORY.NOT_FOUND as a 400 on categoryId', async (t) => {
  const { list } = await catalogue();
  const error = await t.throwsAsync(list({ categoryId: randomUUID() }, admin), { instanceOf: AppError });
  t.like(error, { kind: 'invalid', code: 'CATEGORY.NOT_FOUND' });
  t.deepEqual(error.fields, [{ field: 'categoryId', message: 'names no category' }]);
});

test('the price range includes both ends', async (t) => {
  const { names } = await catalogue();
  t.deepEqual(await names({ minPrice: '1500', maxPrice: '2500', sort: 'price' }), [
    'Cup B',
    'Jug E',
    'Pot C',
  ]);
  t.deepEqual(await names({ minPrice: '2500', sort: 'price' }), ['Jug E', 'Pot C', 'Hose D']);
  t.deepEqual(await names({ maxPrice: '500' }), ['Cup A']);
  t.deepEqual(await names({ minPrice: '1500', maxPrice: '1500' }), ['Cup B']);
  t.deepEqual(await names({ minPrice: '1501', maxPrice: '2499' }), []);
});

test('inStock keeps the products with more on hand than reserved; inStock=false filters nothing', async (t) => {
  const { products, names } = await catalogue();
  t.deepEqual(await names({ inStock: 'true' }, admin), [], 'a new product has no stock');
  products.setStock(B.id, { onHand: 3, reserved: 1 });
  products.setStock(C.id, { onHand: 2, reserved: 2 });
  products.setStock(D.id, { onHand: 0, reserved: 0 });
  products.setStock(DRAFT.id, { onHand: 1, reserved: 0 });
  t.deepEqual(await names({ inStock: 'true' }), ['Cup B']);
  t.deepEqual(await names({ inStock: 'true' }, admin), ['Cup draft', 'Cup B']);
  t.deepEqual(await names({ inStock: 'false' }), ['Jug E', 'Hose D', 'Pot C', 'Cup B', 'Cup A']);
});

test('each sort breaks ties by id, ascending', async (t) => {
  const { names } = await catalogue();
  t.deepEqual(await names({ sort: 'price' }), ['Cup A', 'Cup B', 'Jug E', 'Pot C', 'Hose D']);
  t.deepEqual(await names({ sort: '-price' }), ['Hose D', 'Jug E', 'Pot C', 'Cup B', 'Cup A']);
  t.deepEqual(await names({ sort: 'name' }), ['Cup A', 'Cup B', 'Hose D', 'Jug E', 'Pot C']);
  t.deepEqual(await names({ sort: '-createdAt' }), ['Jug E', 'Hose D', 'Pot C', 'Cup B', 'Cup A']);
  t.deepEqual(await names({ sort: 'price' }, admin), [
    'Cup A',
    'Cup draft',
    'Cup B',
    'Cup archived',
    'Jug E',
    'Pot C',
    'Hose D',
  ]);
});

test('products of one name are ordered by id', async (t) => {
  const twins = [3, 1, 2].map((n) => product(n, { name: 'Mug', amount: 100, categoryId: null, created: n }));
  const { list } = await catalogue(twins);
  t.deepEqual(
    (await list({ sort: 'name' })).items.map((item) => item.id),
    [id(1), id(2), id(3)],
  );
});

test('pages hold pageSize products in order, with the total; a page past the end is empty', async (t) => {
  const { list } = await catalogue();
  const page = async (n: number) => {
    const answer = await list({ page: String(n), pageSize: '2' });
    return { ...answer, items: answer.items.map((item) => item.name) };
  };
  t.deepEqual(await page(1), { items: ['Jug E', 'Hose D'], page: 1, pageSize: 2, total: 5 });
  t.deepEqual(await page(2), { items: ['Pot C', 'Cup B'], page: 2, pageSize: 2, total: 5 });
  t.deepEqual(await page(3), { items: ['Cup A'], page: 3, pageSize: 2, total: 5 });
  t.deepEqual(await page(4), { items: [], page: 4, pageSize: 2, total: 5 });
  const filtered = await list({ sort: 'price', categoryId: KITCHEN.id, page: '2', pageSize: '2' }, admin);
  t.deepEqual(
    { ...filtered, items: filtered.items.map((item) => item.name) },
    { items: ['Cup B', 'Cup archived'], page: 2, pageSize: 2, total: 5 },
  );
});

// --- search ----------------------------------------------------------------------------------------------------

const RED = product(
  11,
  { name: 'Red ceramic teapot', amount: 100, categoryId: null, created: 1 },
  'A pot for tea.',
);
const BLUE = product(
  12,
  { name: 'Blue ceramic mug', amount: 100, categoryId: null, created: 2 },
  'Fits a TV tray.',
);
const GREEN = product(13, { name: 'Green glass teapot', amount: 100, categoryId: null, created: 3 });
const SETS = product(
  14,
  { name: 'Ceramics set', amount: 100, categoryId: null, created: 4 },
  'Teapot and cups.',
);

test('search: every word must appear, in the name or the description, whatever its case', async (t) => {
  const { names } = await catalogue([RED, BLUE, GREEN]);
  const search = (q: string) => names({ q, sort: 'name' });
  t.deepEqual(await search('ceramic'), ['Blue ceramic mug', 'Red ceramic teapot']);
  t.deepEqual(await search('ceramic teapot'), ['Red ceramic teapot']);
  t.deepEqual(await search('TEAPOT  Ceramic'), ['Red ceramic teapot']);
  t.deepEqual(await search('blue tray'), ['Blue ceramic mug']);
  t.deepEqual(await search('glass mug'), []);
});

test('search: the last word may be the start of a word; a finished one, or any other, is whole', async (t) => {
  const { names } = await catalogue([RED, BLUE, GREEN]);
  const search = (q: string) => names({ q, sort: 'name' });
  t.deepEqual(await search('teap'), ['Green glass teapot', 'Red ceramic teapot']);
  t.deepEqual(await search('tea'), ['Green glass teapot', 'Red ceramic teapot']);
  t.deepEqual(await search('tea.'), ['Red ceramic teapot'], 'the punctuation ends the word');
  t.deepEqual(await search('teap.'), []);
  t.deepEqual(await search('teap ceramic'), [], 'only the last word is a prefix');
  t.deepEqual(await search('eramic'), [], 'a word is matched from its start');
});

test('search: short words and stop words still count, matched as whole words', async (t) => {
  const { names } = await catalogue([RED, BLUE, GREEN]);
  const search = (q: string) => names({ q, sort: 'name' });
  t.deepEqual(await search('ceramic tv'), ['Blue ceramic mug']);
  t.deepEqual(await search('ceramic for'), ['Red ceramic teapot']);
  t.deepEqual(await search('ceramic the'), [], 'no product has it: it does not match everything');
  t.deepEqual(await search('a teapot'), ['Red ceramic teapot'], '"a" is a word of the description');
});

test('search: a query with no word the index keeps is PRODUCT.SEARCH_TOO_VAGUE', async (t) => {
  const { list } = await catalogue([RED, BLUE, GREEN]);
  for (const q of ['of the', 'a', 'tv', 'to be or']) {
    const error = await t.throwsAsync(list({ q }), { instanceOf: AppError });
    t.like(error, { kind: 'invalid', code: 'PRODUCT.SEARCH_TOO_VAGUE' }, q);
  }
});

test('search: an empty query lists everything', async (t) => {
  const { names } = await catalogue([RED, BLUE, GREEN]);
  t.deepEqual(await names({ q: '   ', sort: 'name' }), [
    'Blue ceramic mug',
    'Green glass teapot',
    'Red ceramic teapot',
  ]);
});

test('search: a space after the last word makes it whole, as typed in the query string', async (t) => {
  const { names } = await catalogue([RED, BLUE, GREEN]);
  t.deepEqual(await names({ q: 'teap ', sort: 'name' }), []);
  t.deepEqual(await names({ q: 'tea ', sort: 'name' }), ['Red ceramic teapot']);
  t.deepEqual(await names({ q: ' teap', sort: 'name' }), ['Green glass teapot', 'Red ceramic teapot']);
});

test('search: with a repeated word, the prefix is still the word typed last', async (t) => {
  const { names } = await catalogue([RED, SETS]);
  // "ceramic" is finished (more follows it), so "Ceramics set" does not match.
  t.deepEqual(await names({ q: 'teapot ceramic teapot', sort: 'name' }), ['Red ceramic teapot']);
});

// --- getProduct ------------------------------------------------------------------------------------------------

test('getProduct answers an active product to anyone, as its view', async (t) => {
  const { products } = await catalogue();
  for (const who of [undefined, customer, admin])
    t.deepEqual(await getProduct(products, B.id, who), productView(B));
  t.deepEqual(await getProduct(products, B.id, undefined), {
    id: B.id,
    sku: 'SKU-4',
    name: 'Cup B',
    description: '',
    price: { amount: 1500, currency: 'USD' },
    categoryId: CUPS.id,
    imageUrl: null,
    status: 'active',
    reorderLevel: 0,
    createdAt: '2030-01-01T00:02:00.000Z',
    updatedAt: '2030-01-01T00:02:00.000Z',
  });
});

test('getProduct hides drafts and archived products from everyone but admins', async (t) => {
  const { products } = await catalogue();
  for (const hidden of [DRAFT, ARCHIVED]) {
    for (const who of [undefined, customer]) {
      const error = await t.throwsAsync(getProduct(products, hidden.id, who), { instanceOf: AppError });
      t.like(
        error,
        { kind: 'not-found', code: 'PRODUCT.NOT_FOUND' },
        `${hidden.status} for ${who?.role ?? 'anonymous'}`,
      );
    }
    t.deepEqual(await getProduct(products, hidden.id, admin), productView(hidden));
  }
});

test('getProduct of an unknown or deleted product is PRODUCT.NOT_FOUND, even for an admin', async (t) => {
  const { products } = await catalogue();
  for (const unknown of [randomUUID(), DELETED.id]) {
    const error = await t.throwsAsync(getProduct(products, unknown, admin), { instanceOf: AppError });
    t.like(error, { kind: 'not-found', code: 'PRODUCT.NOT_FOUND' });
  }
});
