import type { NewDomainEvent } from '../domain-event';
import type { Category } from './category';
import type { StockLevels } from './inventory';
import type { Product } from './product';
import type { ProductSearch } from './product-search';
import type { OrderReservation, ProductStock, ReservationChange } from './reservation';

/** What a change decides from the current state: the next state and the events that record it. */
export interface Decision<T> {
  readonly next: T;
  readonly events: readonly NewDomainEvent[];
}

/** The catalogue's products. Deleted products are never found, listed or searched. */
export interface ProductRepository {
  /** Stores a new product with its events, atomically; a taken SKU is 409 PRODUCT.SKU_TAKEN. */
  insert(product: Product, events: readonly NewDomainEvent[]): Promise<void>;
  findById(id: string): Promise<Product | undefined>;
  /** The live products among `ids` (any order; unknown and deleted ones left out). */
  findByIds(ids: readonly string[]): Promise<readonly Product[]>;
  /**
   * Reads the product under a lock, lets `decide` compute its next state, and stores it with its events in one
   * transaction. Undefined when there is no such product. A SKU taken by another product is 409.
   */
  modify(id: string, decide: (current: Product) => Decision<Product>): Promise<Product | undefined>;
  /** Deletes (softly) under a lock, with the events `decide` gives; false when there is no such product. */
  remove(
    id: string,
    deletedAt: Date,
    decide: (current: Product) => readonly NewDomainEvent[],
  ): Promise<boolean>;
  search(search: ProductSearch): Promise<{ readonly items: readonly Product[]; readonly total: number }>;
}

/** The category tree. Changes to its shape run one at a time, so two moves cannot make a cycle together. */
export interface CategoryRepository {
  all(): Promise<readonly Category[]>;
  findById(id: string): Promise<Category | undefined>;
  /** Adds a category under `parentId` (checked to exist in the same transaction); a missing parent is
   * 400 CATEGORY.PARENT_NOT_FOUND. */
  insert(category: Category): Promise<void>;
  /**
   * Reads every category under the tree's lock, lets `decide` compute the next state of `id` (it may refuse with an
   * AppError), and stores it. Undefined when there is no such category.
   */
  modify(
    id: string,
    decide: (current: Category, all: readonly Category[]) => Category,
  ): Promise<Category | undefined>;
  /** Deletes a category with no subcategories and no products (409 otherwise); false when there is none. */
  remove(id: string): Promise<boolean>;
}

/** Stock levels and the orders' reservations. Every change locks the product rows it reads, in product-id order. */
export interface InventoryStore {
  /** The levels of a product that exists (deleted ones do not); undefined otherwise. */
  levels(productId: string): Promise<StockLevels | undefined>;
  /** The levels of the products among `productIds` that have an inventory row, by product id. */
  levelsOf(productIds: readonly string[]): Promise<ReadonlyMap<string, StockLevels>>;
  /**
   * Reads the product's stock under its row lock, lets `decide` compute the next levels (it may refuse with an
   * AppError), and stores them with the events in one transaction. Undefined when there is no such product.
   */
  adjust(
    productId: string,
    decide: (current: ProductStock) => Decision<StockLevels>,
  ): Promise<StockLevels | undefined>;
  /**
   * One saga step of an order, in one transaction: reads the order's reservation record (if any) and, under row
   * locks, the stock of `productIds` and of the record's lines; lets `decide` compute the change, and stores the
   * record, the levels and the events. Undefined when `decide` finds nothing to do. Two deliveries of one step at
   * once apply it once: the second finds the record the first stored.
   */
  changeForOrder(
    orderId: string,
    productIds: readonly string[],
    decide: (
      current: OrderReservation | undefined,
      stock: ReadonlyMap<string, ProductStock>,
    ) => ReservationChange | undefined,
  ): Promise<ReservationChange | undefined>;
}
