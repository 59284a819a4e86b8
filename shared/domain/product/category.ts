import { z } from 'zod';
import { AppError } from '../../errors/app-error';

export const CategoryName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\p{Cc}\u202A-\u202E\u2066-\u2069]*$/u, 'must not contain control characters');

/** The `{id}` of a category's routes. */
export const CategoryIdParams = z.object({ id: z.uuid() });
export type CategoryIdParams = z.infer<typeof CategoryIdParams>;

/** A category of the catalogue; `parentId` null is a top-level one. */
export interface Category {
  readonly id: string;
  readonly name: string;
  readonly parentId: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A category as the API answers it. */
export const CategoryView = z
  .object({
    id: z.uuid(),
    name: z.string(),
    parentId: z.uuid().nullable().meta({ description: 'Null for a top-level category.' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Category' });
export type CategoryView = z.infer<typeof CategoryView>;

export function categoryView(category: Category): CategoryView {
  return {
    id: category.id,
    name: category.name,
    parentId: category.parentId,
    createdAt: category.createdAt.toISOString(),
    updatedAt: category.updatedAt.toISOString(),
  };
}

/** A category with its direct subcategories (`GET /v1/categories/{id}`). */
export const CategoryWithChildren = CategoryView.extend({
  children: z.array(CategoryView).meta({ description: 'Its direct subcategories, by name.' }),
}).meta({ id: 'CategoryWithChildren' });
export type CategoryWithChildren = z.infer<typeof CategoryWithChildren>;

/** A category of the tree (`GET /v1/categories`), with its whole subtree. */
export const CategoryNode = z
  .object({
    id: z.uuid(),
    name: z.string(),
    parentId: z.uuid().nullable(),
    get children() {
      return z.array(CategoryNode).meta({ description: 'Its subcategories, by name, each with its own.' });
    },
  })
  .meta({ id: 'CategoryNode' });
export type CategoryNode = z.infer<typeof CategoryNode>;

/** The categories as a forest, each level sorted by name (then id, so equal names keep one order). */
export function categoryTree(categories: readonly Category[]): readonly CategoryNode[] {
  const byParent = new Map<string | null, Category[]>();
  for (const category of categories) {
    const siblings = byParent.get(category.parentId) ?? [];
    siblings.push(category);
    byParent.set(category.parentId, siblings);
  }
  const build = (parentId: string | null): CategoryNode[] =>
    (byParent.get(parentId) ?? [])
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
      .map((category) => ({
        id: category.id,
        name: category.name,
        parentId: category.parentId,
        children: build(category.id),
      }));
  return build(null);
}

/** `rootId` and every category below it. */
export function subtreeIds(categories: readonly Category[], rootId: string): readonly string[] {
  const children = new Map<string, string[]>();
  for (const category of categories) {
    if (category.parentId === null) continue;
    const list = children.get(category.parentId) ?? [];
    list.push(category.id);
    children.set(category.parentId, list);
  }
  const found: string[] = [];
  const pending = [rootId];
  const seen = new Set<string>();
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    if (seen.has(id)) continue; // a cycle in stored data must not hang a read
    seen.add(id);
    found.push(id);
    pending.push(...(children.get(id) ?? []));
  }
  return found;
}

/**
 * Refuses to put `id` under `newParentId` when that parent is `id` itself or one of its descendants: the move
 * would cut the subtree off the tree into a cycle.
 */
export function assertNoCycle(categories: readonly Category[], id: string, newParentId: string | null): void {
  if (newParentId === null) return;
  if (subtreeIds(categories, id).includes(newParentId)) {
    throw new AppError(
      'conflict',
      'CATEGORY.CYCLE',
      'A category cannot be moved under itself or under one of its own subcategories.',
    );
  }
}

export const categoryNotFound = () => new AppError('not-found', 'CATEGORY.NOT_FOUND', 'No such category.');

/** A request field that names no category: 400, for it is the request that is wrong, not the resource missing. */
export const unknownCategory = (field: string) =>
  new AppError('invalid', 'CATEGORY.NOT_FOUND', 'No such category.', [
    { field, message: 'names no category' },
  ]);
