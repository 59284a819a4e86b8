import test from 'ava';
import {
  assertNoCycle,
  categoryTree,
  subtreeIds,
  type Category,
  type CategoryNode,
} from '../../../shared/domain/product/category';
import { AppError } from '../../../shared/errors/app-error';

const T0 = new Date('2030-01-01T00:00:00.000Z');
const category = (id: string, name: string, parentId: string | null = null): Category => ({
  id,
  name,
  parentId,
  createdAt: T0,
  updatedAt: T0,
});
const node = (
  id: string,
  name: string,
  parentId: string | null,
  children: CategoryNode[] = [],
): CategoryNode => ({ id, name, parentId, children });

/**
 * kitchen ─┬─ cups ── espresso ── tiny
 *          └─ pots
 * garden ──── hoses
 */
const TREE: readonly Category[] = [
  category('tiny', 'Tiny cups', 'espresso'),
  category('pots', 'Pots', 'kitchen'),
  category('garden', 'Garden'),
  category('espresso', 'Espresso cups', 'cups'),
  category('hoses', 'Hoses', 'garden'),
  category('kitchen', 'Kitchen'),
  category('cups', 'Cups', 'kitchen'),
];

test('categoryTree nests every category under its parent, each level sorted by name', (t) => {
  t.deepEqual(categoryTree(TREE), [
    node('garden', 'Garden', null, [node('hoses', 'Hoses', 'garden')]),
    node('kitchen', 'Kitchen', null, [
      node('cups', 'Cups', 'kitchen', [
        node('espresso', 'Espresso cups', 'cups', [node('tiny', 'Tiny cups', 'espresso')]),
      ]),
      node('pots', 'Pots', 'kitchen'),
    ]),
  ]);
});

test('categoryTree orders equal names by id, whatever order they are stored in', (t) => {
  const expected = [
    node('a', 'Mugs', null),
    node('b', 'Mugs', null),
    node('c', 'Mugs', null),
    node('d', 'Zz', null),
  ];
  t.deepEqual(
    categoryTree([category('d', 'Zz'), category('c', 'Mugs'), category('a', 'Mugs'), category('b', 'Mugs')]),
    expected,
  );
  t.deepEqual(
    categoryTree([category('b', 'Mugs'), category('d', 'Zz'), category('a', 'Mugs'), category('c', 'Mugs')]),
    expected,
  );
});

test('categoryTree of no categories is an empty forest', (t) => {
  t.deepEqual(categoryTree([]), []);
});

test('subtreeIds holds the root and every category below it, at any depth, and nothing else', (t) => {
  const sorted = (ids: readonly string[]) => [...ids].sort();
  t.deepEqual(sorted(subtreeIds(TREE, 'kitchen')), ['cups', 'espresso', 'kitchen', 'pots', 'tiny']);
  t.deepEqual(sorted(subtreeIds(TREE, 'cups')), ['cups', 'espresso', 'tiny']);
  t.deepEqual(sorted(subtreeIds(TREE, 'garden')), ['garden', 'hoses']);
  t.deepEqual(subtreeIds(TREE, 'tiny'), ['tiny']);
  t.deepEqual(subtreeIds(TREE, 'unknown'), ['unknown']);
});

test('subtreeIds of a cycle in stored data ends, naming each category once', (t) => {
  const cycle = [
    category('a', 'A', 'c'),
    category('b', 'B', 'a'),
    category('c', 'C', 'b'),
    category('d', 'D', 'b'),
  ];
  t.deepEqual([...subtreeIds(cycle, 'a')].sort(), ['a', 'b', 'c', 'd']);
  t.deepEqual(subtreeIds([category('self', 'Self', 'self')], 'self'), ['self']);
});

const cycleRefused = { kind: 'conflict', code: 'CATEGORY.CYCLE' } as const;

test('assertNoCycle refuses a move under the category itself, its child or its grandchild', (t) => {
  for (const parent of ['kitchen', 'cups', 'pots', 'espresso', 'tiny']) {
    const error = t.throws(
      () => {
        assertNoCycle(TREE, 'kitchen', parent);
      },
      { instanceOf: AppError },
      parent,
    );
    t.like(error, cycleRefused, parent);
  }
});

test('assertNoCycle allows a move under a sibling, an unrelated category, an ancestor, or to the top', (t) => {
  for (const [id, parent] of [
    ['cups', 'pots'],
    ['cups', 'garden'],
    ['cups', 'hoses'],
    ['tiny', 'kitchen'],
    ['kitchen', null],
    ['tiny', null],
  ] as const) {
    t.notThrows(
      () => {
        assertNoCycle(TREE, id, parent);
      },
      `${id} under ${String(parent)}`,
    );
  }
});
