import { subtreeIds, unknownCategory } from '../../../shared/domain/product/category';
import { skuKey, skuTaken, type Product } from '../../../shared/domain/product/product';
import type { ProductRepository } from '../../../shared/domain/product/product-ports';
import type { ProductSearch, ProductSort, SearchTerms } from '../../../shared/domain/product/product-search';
import { memoryCategoryRepository, type MemoryCategoryRepository } from './memory-category-repository';
import { memoryOutbox, type MemoryOutbox } from './memory-outbox';

/** A product as the store keeps it: `deletedAt` is set by a (soft) delete, and the product is never shown again. */
export interface StoredProduct extends Product {
  readonly deletedAt: Date | null;
}

/** A product's inventory row: units on hand and units reserved for orders not yet shipped. */
export interface Stock {
  readonly onHand: number;
  readonly reserved: number;
}

/** ProductRepository in memory, with what the SQL adapter's transactions write beside the products. */
export interface MemoryProductRepository extends ProductRepository {
  /** Every product ever inserted, deleted ones included, by id, in insertion order. */
  readonly products: ReadonlyMap<string, StoredProduct>;
  /** The events recorded with each committed change. */
  readonly outbox: MemoryOutbox;
  /** The inventory by product id: a new product has 0 on hand and 0 reserved, as the SQL insert makes it. */
  readonly stock: ReadonlyMap<string, Stock>;
  /** Sets a product's inventory (what the inventory service would do), for `inStock` searches. */
  setStock(productId: string, stock: Stock): void;
  /** Whether a live product is in the category (what a category's delete checks). */
  hasProductsIn(categoryId: string): boolean;
  /** Unlinks the deleted products that still name the category (what a category's delete does). */
  unlinkCategory(categoryId: string): void;
}

export interface MemoryProductOptions {
  readonly outbox?: MemoryOutbox;
  /** Whether a category exists; absent, any categoryId is accepted. */
  readonly categoryExists?: (categoryId: string) => boolean;
  /** A category and every category below it, as a search's category filter takes them; absent, the category alone. */
  readonly subtreeOf?: (categoryId: string) => readonly string[];
}

const later = <T>(work: () => T): Promise<T> => Promise.resolve().then(work);
const copy = <T extends Product>(product: T): T => ({
  ...product,
  price: { ...product.price },
  createdAt: new Date(product.createdAt.getTime()),
  updatedAt: new Date(product.updatedAt.getTime()),
});
/** The product the port answers: the stored row without its `deletedAt`. */
const toProduct = (stored: StoredProduct): Product =>
  copy({
    id: stored.id,
    sku: stored.sku,
    name: stored.name,
    description: stored.description,
    price: stored.price,
    categoryId: stored.categoryId,
    imageUrl: stored.imageUrl,
    status: stored.status,
    reorderLevel: stored.reorderLevel,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
  });

/** The words of a text as the full-text indexes split it: letters and digits, lower-cased. */
const wordsOf = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/** Every word appears whole in the name or the description; the last may start a word while it is being typed. */
function matchesTerms(product: Product, terms: SearchTerms): boolean {
  const text = new Set([...wordsOf(product.name), ...wordsOf(product.description)]);
  return terms.words.every((word, index) =>
    terms.lastIsPrefix && index === terms.words.length - 1
      ? [...text].some((candidate) => candidate.startsWith(word))
      : text.has(word),
  );
}

const compareIds = (a: Product, b: Product) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
/** Names compare as MariaDB's utf8mb4_unicode_ci does: case and accents aside. */
const names = new Intl.Collator('en', { sensitivity: 'base' });

/** The SQL store's ORDER: each sort ends with the id, ascending. */
const ORDER: Record<ProductSort, (a: Product, b: Product) => number> = {
  price: (a, b) => a.price.amount - b.price.amount || compareIds(a, b),
  '-price': (a, b) => b.price.amount - a.price.amount || compareIds(a, b),
  name: (a, b) => names.compare(a.name, b.name) || compareIds(a, b),
  '-createdAt': (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || compareIds(a, b),
};

/**
 * Products in a map, as sqlProductRepository keeps them: the SKU unique case-insensitively among live products (a
 * taken one, or a taken id, is AppError('conflict', 'PRODUCT.SKU_TAKEN')); a categoryId that `categoryExists`
 * refuses is AppError('invalid', 'CATEGORY.NOT_FOUND') on insert and when a modify changes it; each change stored
 * with its events in `outbox`, and neither when the change fails; deletes soft (the row stays with `deletedAt`, its
 * SKU freed, never found or listed again); searches filtered, sorted and paged as the SQL store does.
 */
export function memoryProductRepository(options: MemoryProductOptions = {}): MemoryProductRepository {
  const products = new Map<string, StoredProduct>();
  const stock = new Map<string, Stock>();
  const outbox = options.outbox ?? memoryOutbox();
  const live = () => [...products.values()].filter((product) => product.deletedAt === null);
  const findLive = (id: string) => {
    const product = products.get(id);
    return product && product.deletedAt === null ? product : undefined;
  };
  const subtree = (categoryId: string) => options.subtreeOf?.(categoryId) ?? [categoryId];
  const assertCategory = (categoryId: string | null) => {
    if (categoryId !== null && options.categoryExists && !options.categoryExists(categoryId)) {
      throw unknownCategory('categoryId');
    }
  };
  const assertSkuFree = (sku: string, exceptId?: string) => {
    if (live().some((other) => other.id !== exceptId && skuKey(other.sku) === skuKey(sku))) throw skuTaken();
  };

  return {
    products,
    outbox,
    stock,
    setStock(productId, level) {
      stock.set(productId, { ...level });
    },
    hasProductsIn: (categoryId) => live().some((product) => product.categoryId === categoryId),
    unlinkCategory(categoryId) {
      for (const product of products.values()) {
        if (product.deletedAt !== null && product.categoryId === categoryId) {
          products.set(product.id, { ...product, categoryId: null });
        }
      }
    },

    insert: (product, events) =>
      later(() => {
        assertCategory(product.categoryId);
        // The SQL store answers every unique-key violation so, the primary key's (a deleted product's id) included.
        if (products.has(product.id)) throw skuTaken();
        assertSkuFree(product.sku);
        // Events first: if the outbox refuses them, nothing is stored either (one transaction in SQL).
        outbox.record(events);
        products.set(product.id, { ...copy(product), deletedAt: null });
        stock.set(product.id, { onHand: 0, reserved: 0 });
      }),

    findById: (id) =>
      later(() => {
        const product = findLive(id);
        return product ? toProduct(product) : undefined;
      }),

    findByIds: (ids) =>
      later(() =>
        [...new Set(ids)].flatMap((id) => {
          const product = findLive(id);
          return product ? [toProduct(product)] : [];
        }),
      ),

    modify: (id, decide) =>
      later(() => {
        const current = findLive(id);
        if (!current) return undefined;
        const { next, events } = decide(toProduct(current));
        if (next.id !== id) throw new Error(`decide changed the product's id from ${id} to ${next.id}`);
        if (next.categoryId !== current.categoryId) assertCategory(next.categoryId);
        assertSkuFree(next.sku, id);
        outbox.record(events);
        products.set(id, { ...copy(next), deletedAt: null });
        return copy(next);
      }),

    remove: (id, deletedAt, decide) =>
      later(() => {
        const current = findLive(id);
        if (!current) return false;
        const events = decide(toProduct(current));
        outbox.record(events);
        const at = new Date(deletedAt.getTime());
        products.set(id, { ...current, updatedAt: at, deletedAt: at });
        return true;
      }),

    search: (search: ProductSearch) =>
      later(() => {
        const found = live()
          .filter(
            (product) =>
              search.statuses.includes(product.status) &&
              matchesTerms(product, search.terms) &&
              (search.categoryId === undefined ||
                (product.categoryId !== null && subtree(search.categoryId).includes(product.categoryId))) &&
              (search.minPrice === undefined || product.price.amount >= search.minPrice) &&
              (search.maxPrice === undefined || product.price.amount <= search.maxPrice) &&
              // As in the SQL store, `inStock: false` filters nothing.
              (!search.inStock || isInStock(stock.get(product.id))),
          )
          .sort(ORDER[search.sort]);
        const offset = (search.page - 1) * search.pageSize;
        return { items: found.slice(offset, offset + search.pageSize).map(toProduct), total: found.length };
      }),
  };
}

const isInStock = (level: Stock | undefined) => level !== undefined && level.onHand > level.reserved;

/** The product store and the category store wired together, as they share one database. */
export interface MemoryCatalogue {
  readonly products: MemoryProductRepository;
  readonly categories: MemoryCategoryRepository;
  readonly outbox: MemoryOutbox;
}

/**
 * A product store whose `categoryExists` asks the category store, and a category store whose delete sees the live
 * products and unlinks the deleted ones, with one outbox.
 */
export function memoryCatalogue(options: { readonly outbox?: MemoryOutbox } = {}): MemoryCatalogue {
  const outbox = options.outbox ?? memoryOutbox();
  const categories = memoryCategoryRepository({
    hasProducts: (categoryId) => products.hasProductsIn(categoryId),
    unlinkProducts: (categoryId) => {
      products.unlinkCategory(categoryId);
    },
  });
  const products = memoryProductRepository({
    outbox,
    categoryExists: (categoryId) => categories.categories.has(categoryId),
    subtreeOf: (categoryId) => subtreeIds([...categories.categories.values()], categoryId),
  });
  return { products, categories, outbox };
}
