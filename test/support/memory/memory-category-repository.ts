import type { Category } from '../../../shared/domain/product/category';
import type { CategoryRepository } from '../../../shared/domain/product/product-ports';
import { AppError } from '../../../shared/errors/app-error';

/** CategoryRepository in memory, with the categories it holds. */
export interface MemoryCategoryRepository extends CategoryRepository {
  /** Every category, by id, in insertion order. */
  readonly categories: ReadonlyMap<string, Category>;
}

export interface MemoryCategoryOptions {
  /** Whether a live (not deleted) product is in the category; none when absent. */
  readonly hasProducts?: (categoryId: string) => boolean;
  /** Called when a category is deleted, to unlink the deleted products that still name it (as the SQL store does). */
  readonly unlinkProducts?: (categoryId: string) => void;
}

const later = <T>(work: () => T): Promise<T> => Promise.resolve().then(work);
const copy = (category: Category): Category => ({
  ...category,
  createdAt: new Date(category.createdAt.getTime()),
  updatedAt: new Date(category.updatedAt.getTime()),
});
const byId = (a: Category, b: Category) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const parentMissing = () =>
  new AppError('invalid', 'CATEGORY.PARENT_NOT_FOUND', 'No such parent category.', [
    { field: 'parentId', message: 'names no category' },
  ]);

/**
 * Categories in a map, as sqlCategoryRepository keeps them: `all` ordered by id; a parent that names no category is
 * AppError('invalid', 'CATEGORY.PARENT_NOT_FOUND') with nothing stored, on insert and on modify; `modify` hands
 * `decide` the current category and every category, and stores the name, the parent and updatedAt it returns;
 * `remove` refuses a category with subcategories or live products with AppError('conflict', 'CATEGORY.NOT_EMPTY').
 * Every change runs in one step, as the SQL store's lock on the whole tree makes it.
 */
export function memoryCategoryRepository(options: MemoryCategoryOptions = {}): MemoryCategoryRepository {
  const categories = new Map<string, Category>();
  const hasProducts = options.hasProducts ?? (() => false);
  const sorted = () => [...categories.values()].sort(byId).map(copy);

  return {
    categories,
    all: () => later(sorted),
    findById: (id) =>
      later(() => {
        const category = categories.get(id);
        return category ? copy(category) : undefined;
      }),
    insert: (category) =>
      later(() => {
        if (category.parentId !== null && !categories.has(category.parentId)) throw parentMissing();
        // The primary key: the SQL store answers a repeated id with a unique-key error, which no AppError names.
        if (categories.has(category.id)) throw new Error(`category ${category.id} already exists`);
        categories.set(category.id, copy(category));
      }),
    modify: (id, decide) =>
      later(() => {
        const current = categories.get(id);
        if (!current) return undefined;
        const all = sorted();
        const next = decide(copy(current), all);
        if (next.parentId !== null && !all.some((category) => category.id === next.parentId)) {
          throw parentMissing();
        }
        categories.set(id, {
          ...current,
          name: next.name,
          parentId: next.parentId,
          updatedAt: new Date(next.updatedAt.getTime()),
        });
        return copy(next);
      }),
    remove: (id) =>
      later(() => {
        if (!categories.has(id)) return false;
        const children = [...categories.values()].some((category) => category.parentId === id);
        if (children || hasProducts(id)) {
          throw new AppError(
            'conflict',
            'CATEGORY.NOT_EMPTY',
            'A category with subcategories or products cannot be deleted; move or delete them first.',
          );
        }
        options.unlinkProducts?.(id);
        categories.delete(id);
        return true;
      }),
  };
}
