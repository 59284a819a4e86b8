import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  assertNoCycle,
  categoryNotFound,
  CategoryName,
  type Category,
} from '../../../shared/domain/product/category';
import type { CategoryRepository } from '../../../shared/domain/product/product-ports';

export const CreateCategoryInput = z
  .object({ name: CategoryName, parentId: z.uuid().nullable().default(null) })
  .strict();
export type CreateCategoryInput = z.infer<typeof CreateCategoryInput>;

/** A rename, a move (`parentId`; null makes it top-level), or both. */
export const UpdateCategoryInput = z
  .object({ name: CategoryName, parentId: z.uuid().nullable() })
  .partial()
  .strict()
  .refine((input) => input.name !== undefined || input.parentId !== undefined, {
    message: 'names nothing to change',
  });
export type UpdateCategoryInput = z.infer<typeof UpdateCategoryInput>;

export interface CategoryDeps {
  readonly categories: CategoryRepository;
  readonly now: () => Date;
}

/** Adds a category, top-level or under an existing parent (a missing parent is 400). */
export async function createCategory(deps: CategoryDeps, input: CreateCategoryInput): Promise<Category> {
  const now = deps.now();
  const category: Category = { id: randomUUID(), ...input, createdAt: now, updatedAt: now };
  await deps.categories.insert(category);
  return category;
}

/** Renames or moves a category; a move under itself or its own subtree is 409 CATEGORY.CYCLE. */
export async function updateCategory(
  deps: CategoryDeps,
  id: string,
  input: UpdateCategoryInput,
): Promise<Category> {
  const now = deps.now();
  const updated = await deps.categories.modify(id, (current, all) => {
    const parentId = input.parentId === undefined ? current.parentId : input.parentId;
    assertNoCycle(all, id, parentId);
    return { ...current, name: input.name ?? current.name, parentId, updatedAt: now };
  });
  if (!updated) throw categoryNotFound();
  return updated;
}

/** Deletes a category that has no subcategories and no products (409 CATEGORY.NOT_EMPTY otherwise). */
export async function deleteCategory(deps: CategoryDeps, id: string): Promise<void> {
  if (!(await deps.categories.remove(id))) throw categoryNotFound();
}
