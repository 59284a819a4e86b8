// Catalogue search on a seeded catalogue of 10,000 products, on real MariaDB (InnoDB FULLTEXT) and on SQLite (FTS5,
// as the embedded stack runs it): text, a category's subtree, a price range, every sort, paging and totals, each
// answer compared in full with what a plain filter over the seeded rows says it must be.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { startProductService, type ProductServiceUnderTest } from '../support/product-service';

const PRODUCTS = 10_000;
const COLOURS = ['red', 'blue', 'green', 'black', 'white', 'amber', 'olive', 'violet'];
const MATERIALS = ['ceramic', 'glass', 'steel', 'oak', 'linen', 'cotton', 'copper'];
const THINGS = [
  'teapot',
  'teacup',
  'mug',
  'bowl',
  'lamp',
  'chair',
  'towel',
  'vase',
  'plate',
  'basket',
  'tray',
];
const STATUSES = ['active', 'active', 'active', 'active', 'active', 'active', 'draft', 'archived'] as const;

interface Seeded {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly price: number;
  readonly categoryId: string | null;
  readonly status: (typeof STATUSES)[number];
  readonly createdAt: Date;
  readonly deleted: boolean;
}

interface CategorySeed {
  readonly id: string;
  readonly parentId: string | null;
}

/** Four departments of three aisles of two shelves: 40 categories, three levels deep. */
function categoryTree(): CategorySeed[] {
  const categories: CategorySeed[] = [];
  for (let d = 0; d < 4; d++) {
    const department = { id: randomUUID(), parentId: null };
    categories.push(department);
    for (let a = 0; a < 3; a++) {
      const aisle = { id: randomUUID(), parentId: department.id };
      categories.push(aisle);
      for (let s = 0; s < 2; s++) categories.push({ id: randomUUID(), parentId: aisle.id });
    }
  }
  return categories;
}

/**
 * 10,000 products spread over every category (and some in none), at 100 prices, created in 2,500 distinct
 * instants (so sorts meet ties), an eighth of them not active and one in 50 deleted.
 */
function catalogue(categories: readonly CategorySeed[]): Seeded[] {
  const start = Date.UTC(2026, 0, 1);
  return Array.from({ length: PRODUCTS }, (_, i) => {
    const name = `${COLOURS[i % 8] ?? ''} ${MATERIALS[Math.floor(i / 8) % 7] ?? ''} ${THINGS[Math.floor(i / 56) % 11] ?? ''} ${String(i)}`;
    return {
      id: randomUUID(),
      name,
      description: i % 3 === 0 ? `A ${name}, made by hand.` : `A ${name} for every home.`,
      price: 100 + ((i * 7919) % 100) * 25,
      categoryId: i % 41 === 40 ? null : (categories[i % 41]?.id ?? null),
      status: STATUSES[i % 8] ?? 'active',
      createdAt: new Date(start + Math.floor(i / 4) * 1000),
      deleted: i % 50 === 7,
    };
  });
}

async function seed(
  service: ProductServiceUnderTest,
  categories: readonly CategorySeed[],
  products: readonly Seeded[],
) {
  const { sequelize } = await service.stores('product-query').database();
  const queries = sequelize.getQueryInterface();
  const now = new Date();
  await queries.bulkInsert(
    'categories',
    categories.map((category, index) => ({
      id: category.id,
      name: `Category ${String(index)}`,
      parent_id: category.parentId,
      created_at: now,
      updated_at: now,
    })),
  );
  for (let at = 0; at < products.length; at += 500) {
    await queries.bulkInsert(
      'products',
      products.slice(at, at + 500).map((product, k) => ({
        id: product.id,
        sku: `CAT-${String(at + k)}`,
        sku_key: product.deleted ? null : `cat-${String(at + k)}`,
        name: product.name,
        description: product.description,
        price_amount: product.price,
        currency: 'USD',
        category_id: product.categoryId,
        image_url: null,
        status: product.status,
        reorder_level: 0,
        created_at: product.createdAt,
        updated_at: product.createdAt,
        deleted_at: product.deleted ? now : null,
      })),
    );
  }
}

/** The oracle: a plain filter and sort over the seeded rows, written from the API's promises, not the SQL. */
interface Search {
  readonly q?: string;
  readonly categoryId?: string;
  readonly minPrice?: number;
  readonly maxPrice?: number;
  readonly sort?: 'price' | '-price' | 'name' | '-createdAt';
}

function expected(
  products: readonly Seeded[],
  categories: readonly CategorySeed[],
  search: Search,
): string[] {
  const wordsOf = (text: string): string[] => text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  const typed = wordsOf(search.q ?? '');
  const lastIsPrefix = typed.length > 0 && /[a-z0-9]$/i.test(search.q ?? '');
  const below = (id: string): string[] => [
    id,
    ...categories.filter((category) => category.parentId === id).flatMap((category) => below(category.id)),
  ];
  const inCategory = search.categoryId === undefined ? undefined : new Set(below(search.categoryId));
  const matches = (product: Seeded) => {
    const words = wordsOf(`${product.name} ${product.description}`);
    return typed.every((term, index) =>
      index === typed.length - 1 && lastIsPrefix
        ? words.some((word) => word.startsWith(term))
        : words.includes(term),
    );
  };
  const byId = (a: Seeded, b: Seeded) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const order: Record<NonNullable<Search['sort']>, (a: Seeded, b: Seeded) => number> = {
    price: (a, b) => a.price - b.price || byId(a, b),
    '-price': (a, b) => b.price - a.price || byId(a, b),
    name: (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : byId(a, b)),
    '-createdAt': (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || byId(a, b),
  };
  return products
    .filter(
      (product) =>
        !product.deleted &&
        product.status === 'active' &&
        matches(product) &&
        (inCategory === undefined || (product.categoryId !== null && inCategory.has(product.categoryId))) &&
        (search.minPrice === undefined || product.price >= search.minPrice) &&
        (search.maxPrice === undefined || product.price <= search.maxPrice),
    )
    .sort(order[search.sort ?? '-createdAt'])
    .map((product) => product.id);
}

interface PageBody {
  items: { id: string }[];
  page: number;
  pageSize: number;
  total: number;
}

async function page(service: ProductServiceUnderTest, search: Search, number: number, pageSize: number) {
  const query = new URLSearchParams({ page: String(number), pageSize: String(pageSize) });
  for (const [key, value] of Object.entries(search)) query.set(key, String(value));
  const response = await service.call('GET', `/v1/products?${query.toString()}`);
  if (response.status !== 200)
    throw new Error(`${query.toString()}: ${String(response.status)} ${await response.text()}`);
  return (await response.json()) as PageBody;
}

/** Every page of a search, one after the other, as a client walks them: the ids in order, and each page's total. */
async function walk(service: ProductServiceUnderTest, search: Search, pageSize: number) {
  const ids: string[] = [];
  const totals = new Set<number>();
  for (let number = 1; ; number++) {
    const body = await page(service, search, number, pageSize);
    totals.add(body.total);
    ids.push(...body.items.map((item) => item.id));
    if (body.items.length < pageSize) return { ids, totals: [...totals] };
  }
}

const sqliteDir = mkdtempSync(path.join(tmpdir(), 'product-catalogue-'));
const categories = categoryTree();
const products = catalogue(categories);
const department = categories.find((category) => category.parentId === null)?.id ?? '';
const aisle = categories.find((category) => category.parentId === department)?.id ?? '';
const shelf = categories.find((category) => category.parentId === aisle)?.id ?? '';

const services: Partial<Record<'mysql' | 'sqlite', ProductServiceUnderTest>> = {};
test.before(async () => {
  services.mysql = await startProductService();
  services.sqlite = await startProductService({ DB_DIALECT: 'sqlite', SQLITE_DIR: sqliteDir });
  await Promise.all([
    seed(services.mysql, categories, products),
    seed(services.sqlite, categories, products),
  ]);
});
test.after.always(async () => {
  await services.mysql?.close();
  await services.sqlite?.close();
  rmSync(sqliteDir, { recursive: true, force: true });
});

const searches: readonly { readonly title: string; readonly search: Search; readonly pageSize: number }[] = [
  { title: 'one word, cheapest first', search: { q: 'ceramic ', sort: 'price' }, pageSize: 100 },
  {
    title: 'two words, the last being typed, dearest first',
    search: { q: 'blue tea', sort: '-price' },
    pageSize: 37,
  },
  {
    title: 'a department: its aisles and shelves too, newest first',
    search: { categoryId: department },
    pageSize: 100,
  },
  {
    title: 'an aisle and a price range, by name',
    search: { categoryId: aisle, minPrice: 600, maxPrice: 1800, sort: 'name' },
    pageSize: 25,
  },
  { title: 'a shelf alone', search: { categoryId: shelf, sort: 'price' }, pageSize: 20 },
  {
    title: 'words, a department and a range',
    search: { q: 'glass mug ', categoryId: department, maxPrice: 2000, sort: 'name' },
    pageSize: 10,
  },
  { title: 'a word of the description only', search: { q: 'hand copper', sort: '-createdAt' }, pageSize: 50 },
  { title: 'a word that no product has', search: { q: 'porcelain' }, pageSize: 20 },
];

for (const dialect of ['mysql', 'sqlite'] as const) {
  for (const { title, search, pageSize } of searches) {
    test(`${dialect}: ${title}: every page in order, and the total on each`, async (t) => {
      const service = services[dialect];
      if (!service) throw new Error('not started');
      const want = expected(products, categories, search);
      // The seeded catalogue gives every search but the last several pages, so paging is exercised.
      t.true(search.q === 'porcelain' ? want.length === 0 : want.length > 2 * pageSize, String(want.length));
      const got = await walk(service, search, pageSize);
      t.deepEqual(got.totals, [want.length]);
      t.deepEqual(got.ids, want);
    });
  }

  test(`${dialect}: the whole catalogue counts only live active products, and a page past the end is empty with the total`, async (t) => {
    const service = services[dialect];
    if (!service) throw new Error('not started');
    const all = expected(products, categories, {});
    t.true(all.length > 7000, 'most of the catalogue is live and active');
    const first = await page(service, { sort: 'price' }, 1, 100);
    t.is(first.total, all.length);
    t.deepEqual(
      first.items.map((item) => item.id),
      expected(products, categories, { sort: 'price' }).slice(0, 100),
    );
    const middle = await page(service, { sort: 'price' }, 42, 100);
    t.deepEqual(
      middle.items.map((item) => item.id),
      expected(products, categories, { sort: 'price' }).slice(4100, 4200),
    );
    const past = await page(service, { q: 'ceramic', sort: 'price' }, 500, 100);
    t.deepEqual(past, {
      items: [],
      page: 500,
      pageSize: 100,
      total: expected(products, categories, { q: 'ceramic' }).length,
    });
  });
}
