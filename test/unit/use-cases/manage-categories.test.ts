import { randomUUID } from 'node:crypto';
import test from 'ava';
import { createProduct, CreateProductInput } from '../../../functions/product/create-product/use-case';
import { deleteProduct } from '../../../functions/product/delete-product/use-case';
import {
  createCategory,
  CreateCategoryInput,
  deleteCategory,
  updateCategory,
  UpdateCategoryInput,
} from '../../../functions/product/manage-categories/use-case';
import { getCategory, listCategories } from '../../../functions/product/product-query/use-case';
import type { Category } from '../../../shared/domain/product/category';
import { AppError } from '../../../shared/errors/app-error';
import { memoryCatalogue } from '../../support/memory/memory-product-repository';
import { testClock } from '../../support/memory/test-clock';

const NOW = '2030-01-01T09:30:00.250Z';
const LATER = '2030-01-01T10:00:00.000Z';

function setup() {
  const clock = testClock(NOW);
  const catalogue = memoryCatalogue();
  const deps = { categories: catalogue.categories, now: clock.now };
  const create = (name: string, parentId: string | null = null) =>
    createCategory(deps, CreateCategoryInput.parse({ name, parentId }));
  const update = (id: string, fields: Record<string, unknown>) =>
    updateCategory(deps, id, UpdateCategoryInput.parse(fields));
  return { clock, ...catalogue, deps, create, update };
}

/** kitchen > cups > espresso, and garden: each made at NOW. */
async function tree() {
  const context = setup();
  const kitchen = await context.create('Kitchen');
  const cups = await context.create('Cups', kitchen.id);
  const espresso = await context.create('Espresso cups', cups.id);
  const garden = await context.create('Garden');
  return { ...context, kitchen, cups, espresso, garden };
}

const stored = async (categories: { all(): Promise<readonly Category[]> }) =>
  new Map((await categories.all()).map((category) => [category.id, category]));

test('creates a top-level category, the name trimmed', async (t) => {
  const { categories, create, clock } = setup();
  const kitchen = await create('  Kitchen ');
  t.regex(kitchen.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const expected = {
    id: kitchen.id,
    name: 'Kitchen',
    parentId: null,
    createdAt: clock.now(),
    updatedAt: clock.now(),
  };
  t.deepEqual(kitchen, expected);
  t.deepEqual(await categories.all(), [expected]);
});

test('creates a category under an existing parent', async (t) => {
  const { categories, create, clock } = setup();
  const kitchen = await create('Kitchen');
  const cups = await create('Cups', kitchen.id);
  t.deepEqual(cups, {
    id: cups.id,
    name: 'Cups',
    parentId: kitchen.id,
    createdAt: clock.now(),
    updatedAt: clock.now(),
  });
  t.deepEqual(await categories.findById(cups.id), cups);
});

test('a parent that does not exist is CATEGORY.PARENT_NOT_FOUND (400), and nothing is made', async (t) => {
  const { categories, create } = setup();
  const error = await t.throwsAsync(create('Cups', randomUUID()), { instanceOf: AppError });
  t.like(error, { kind: 'invalid', code: 'CATEGORY.PARENT_NOT_FOUND' });
  t.deepEqual(error.fields, [{ field: 'parentId', message: 'names no category' }]);
  t.deepEqual(await categories.all(), []);
});

test('a rename keeps the parent and moves updatedAt only', async (t) => {
  const { categories, update, clock, cups, kitchen } = await tree();
  clock.set(LATER);
  const renamed = await update(cups.id, { name: 'Mugs & cups' });
  const expected = { ...cups, name: 'Mugs & cups', parentId: kitchen.id, updatedAt: new Date(LATER) };
  t.deepEqual(renamed, expected);
  t.deepEqual(await categories.findById(cups.id), expected);
});

test('a move puts the category, with its subtree, under the new parent; null makes it top-level', async (t) => {
  const { categories, update, clock, cups, espresso, garden, kitchen } = await tree();
  clock.set(LATER);
  t.deepEqual(await update(cups.id, { parentId: garden.id }), {
    ...cups,
    parentId: garden.id,
    updatedAt: new Date(LATER),
  });
  t.deepEqual(await listCategories(categories), [
    {
      id: garden.id,
      name: 'Garden',
      parentId: null,
      children: [
        {
          id: cups.id,
          name: 'Cups',
          parentId: garden.id,
          children: [{ id: espresso.id, name: 'Espresso cups', parentId: cups.id, children: [] }],
        },
      ],
    },
    { id: kitchen.id, name: 'Kitchen', parentId: null, children: [] },
  ]);
  const top = await update(espresso.id, { parentId: null, name: 'Espresso' });
  t.deepEqual(top, { ...espresso, name: 'Espresso', parentId: null, updatedAt: new Date(LATER) });
  t.deepEqual((await stored(categories)).get(espresso.id), top);
});

test('a move under the category itself or its own subtree is CATEGORY.CYCLE and changes nothing', async (t) => {
  const { categories, update, clock, kitchen, cups, espresso } = await tree();
  const before = await categories.all();
  clock.set(LATER);
  for (const parent of [kitchen, cups, espresso]) {
    const error = await t.throwsAsync(update(kitchen.id, { parentId: parent.id, name: 'Renamed' }), {
      instanceOf: AppError,
    });
    t.like(error, { kind: 'conflict', code: 'CATEGORY.CYCLE' }, parent.name);
  }
  t.deepEqual(await categories.all(), before);
});

test('a move under a parent that does not exist is CATEGORY.PARENT_NOT_FOUND and changes nothing', async (t) => {
  const { categories, update, cups } = await tree();
  const before = await categories.all();
  const error = await t.throwsAsync(update(cups.id, { parentId: randomUUID() }), { instanceOf: AppError });
  t.like(error, { kind: 'invalid', code: 'CATEGORY.PARENT_NOT_FOUND' });
  t.deepEqual(await categories.all(), before);
});

test('changing a category that does not exist is CATEGORY.NOT_FOUND', async (t) => {
  const { update } = await tree();
  const error = await t.throwsAsync(update(randomUUID(), { name: 'Nothing' }), { instanceOf: AppError });
  t.like(error, { kind: 'not-found', code: 'CATEGORY.NOT_FOUND' });
});

test('a change must name something, and nothing unknown', (t) => {
  for (const fields of [{}, { id: randomUUID() }, { name: '' }, { name: ' ' }, { parentId: 'kitchen' }]) {
    t.false(UpdateCategoryInput.safeParse(fields).success, JSON.stringify(fields));
  }
});

test('a category with subcategories is CATEGORY.NOT_EMPTY and stays', async (t) => {
  const { categories, deps, kitchen, cups } = await tree();
  for (const id of [kitchen.id, cups.id]) {
    const error = await t.throwsAsync(deleteCategory(deps, id), { instanceOf: AppError });
    t.like(error, { kind: 'conflict', code: 'CATEGORY.NOT_EMPTY' });
  }
  t.is((await categories.all()).length, 4);
});

test('a category with a product is CATEGORY.NOT_EMPTY; once the product is deleted it can go', async (t) => {
  const { categories, products, deps, garden, clock } = await tree();
  const productDeps = { products, now: clock.now, currencies: ['USD'] };
  const hose = await createProduct(
    productDeps,
    CreateProductInput.parse({
      sku: 'HOSE',
      name: 'Hose',
      price: { amount: 100, currency: 'USD' },
      categoryId: garden.id,
    }),
  );
  const error = await t.throwsAsync(deleteCategory(deps, garden.id), { instanceOf: AppError });
  t.like(error, { kind: 'conflict', code: 'CATEGORY.NOT_EMPTY' });
  t.deepEqual(await categories.findById(garden.id), garden);

  await deleteProduct(productDeps, hose.id);
  await deleteCategory(deps, garden.id);
  t.is(await categories.findById(garden.id), undefined);
  t.is(products.products.get(hose.id)?.categoryId, null, 'the deleted product no longer names it');
});

test('an empty category is deleted; deleting it again, or an unknown one, is CATEGORY.NOT_FOUND', async (t) => {
  const { categories, deps, espresso, kitchen, cups, garden } = await tree();
  await deleteCategory(deps, espresso.id);
  t.deepEqual(
    (await categories.all()).map((category) => category.id).sort(),
    [kitchen.id, cups.id, garden.id].sort(),
  );
  for (const id of [espresso.id, randomUUID()]) {
    const error = await t.throwsAsync(deleteCategory(deps, id), { instanceOf: AppError });
    t.like(error, { kind: 'not-found', code: 'CATEGORY.NOT_FOUND' });
  }
  await deleteCategory(deps, cups.id);
  t.deepEqual(await getCategory(categories, kitchen.id), {
    id: kitchen.id,
    name: 'Kitchen',
    parentId: null,
    createdAt: NOW,
    updatedAt: NOW,
    children: [],
  });
});

test('getCategory answers the category with its direct subcategories, sorted by name', async (t) => {
  const { categories, create, kitchen, cups } = await tree();
  const bowls = await create('Bowls', kitchen.id);
  const view = (category: Category) => ({
    id: category.id,
    name: category.name,
    parentId: category.parentId,
    createdAt: NOW,
    updatedAt: NOW,
  });
  t.deepEqual(await getCategory(categories, kitchen.id), {
    ...view(kitchen),
    children: [view(bowls), view(cups)],
  });
  const error = await t.throwsAsync(getCategory(categories, randomUUID()), { instanceOf: AppError });
  t.like(error, { kind: 'not-found', code: 'CATEGORY.NOT_FOUND' });
});
