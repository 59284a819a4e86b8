import { QueryTypes, UniqueConstraintError, type Sequelize } from 'sequelize';
import type { Product } from '../../shared/domain/product/product';
import { skuKey, skuTaken } from '../../shared/domain/product/product';
import { unknownCategory } from '../../shared/domain/product/category';
import type { ProductRepository } from '../../shared/domain/product/product-ports';
import {
  INNODB_INDEXED_WORDS,
  isIndexed,
  type ProductSearch,
  type ProductSort,
} from '../../shared/domain/product/product-search';
import type { ServiceDatabase } from '../../shared/kit/service-stores';
import { inTransaction } from '../../shared/sql/in-transaction';
import { productModels } from './product-models';

/** A product's columns as a model instance or a search row holds them: SQLite gives a raw row's dates as text. */
type ProductColumns = Omit<SearchRow, 'total'>;

function toProduct(row: ProductColumns): Product {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    description: row.description,
    // A BIGINT may come back as a string, depending on the driver.
    price: { amount: Number(row.priceAmount), currency: row.currency },
    categoryId: row.categoryId,
    imageUrl: row.imageUrl,
    status: row.status,
    reorderLevel: row.reorderLevel,
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
  };
}

function toRow(product: Product) {
  return {
    id: product.id,
    sku: product.sku,
    skuKey: skuKey(product.sku),
    name: product.name,
    description: product.description,
    priceAmount: product.price.amount,
    currency: product.price.currency,
    categoryId: product.categoryId,
    imageUrl: product.imageUrl,
    status: product.status,
    reorderLevel: product.reorderLevel,
    createdAt: product.createdAt,
    updatedAt: product.updatedAt,
  };
}

/** The catalogue on the service's SQL database; every change's events go to its outbox in the same transaction. */
export function sqlProductRepository({ sequelize, outbox }: ServiceDatabase): ProductRepository {
  const { Product, Category, Inventory } = productModels(sequelize);
  const live = (id: string) => ({ id, deletedAt: null });
  return {
    async insert(product, events) {
      try {
        await inTransaction(sequelize, async (transaction) => {
          // The category is read under a shared lock, so a concurrent delete of it waits for this product.
          if (product.categoryId !== null) {
            const category = await Category.findByPk(product.categoryId, {
              transaction,
              lock: transaction.LOCK.SHARE,
            });
            if (!category) throw unknownCategory('categoryId');
          }
          await Product.create(toRow(product), { transaction });
          await Inventory.create(
            { productId: product.id, onHand: 0, reserved: 0, updatedAt: product.createdAt },
            { transaction },
          );
          await outbox.append(transaction, events);
        });
      } catch (error) {
        if (error instanceof UniqueConstraintError) throw skuTaken();
        throw error;
      }
    },

    async findById(id) {
      const row = await Product.findOne({ where: live(id) });
      return row ? toProduct(row) : undefined;
    },

    async findByIds(ids) {
      if (ids.length === 0) return [];
      const rows = await Product.findAll({ where: { id: [...new Set(ids)], deletedAt: null } });
      return rows.map(toProduct);
    },

    async modify(id, decide) {
      try {
        return await inTransaction(sequelize, async (transaction) => {
          const row = await Product.findOne({ where: live(id), transaction, lock: transaction.LOCK.UPDATE });
          if (!row) return undefined;
          const { next, events } = decide(toProduct(row));
          if (next.categoryId !== null && next.categoryId !== row.categoryId) {
            const category = await Category.findByPk(next.categoryId, {
              transaction,
              lock: transaction.LOCK.SHARE,
            });
            if (!category) throw unknownCategory('categoryId');
          }
          row.set(toRow(next));
          await row.save({ transaction });
          await outbox.append(transaction, events);
          return next;
        });
      } catch (error) {
        if (error instanceof UniqueConstraintError) throw skuTaken();
        throw error;
      }
    },

    async remove(id, deletedAt, decide) {
      return inTransaction(sequelize, async (transaction) => {
        const row = await Product.findOne({ where: live(id), transaction, lock: transaction.LOCK.UPDATE });
        if (!row) return false;
        const events = decide(toProduct(row));
        row.set({ deletedAt, updatedAt: deletedAt, skuKey: null });
        await row.save({ transaction });
        await outbox.append(transaction, events);
        return true;
      });
    },

    async search(search) {
      const { where, replacements } = searchFilter(sequelize, search);
      // The page and the total in one statement: a search is one round trip, not a page query, a count and a
      // fetch of the rows by id. The inner query sorts narrow rows (id and sort keys) and only the page's rows
      // are read whole: a fifth less work for MariaDB than sorting every match with its description.
      const rows = await sequelize.query<SearchRow>(
        `SELECT ${SEARCH_COLUMNS}, page.total FROM (
           SELECT p.id, COUNT(*) OVER () AS total FROM products p WHERE ${where}
           ORDER BY ${ORDER[search.sort]} LIMIT :limit OFFSET :offset
         ) page JOIN products p ON p.id = page.id
         ORDER BY ${ORDER[search.sort]}`,
        {
          type: QueryTypes.SELECT,
          replacements: {
            ...replacements,
            limit: search.pageSize,
            offset: (search.page - 1) * search.pageSize,
          },
        },
      );
      const first = rows[0];
      if (first) return { items: rows.map(toProduct), total: Number(first.total) };
      // A page past the end holds no row to carry the total; the first page empty means there is none.
      if (search.page === 1) return { items: [], total: 0 };
      const [counted] = await sequelize.query<{ total: number | string }>(
        `SELECT COUNT(*) AS total FROM products p WHERE ${where}`,
        { type: QueryTypes.SELECT, replacements },
      );
      return { items: [], total: Number(counted?.total ?? 0) };
    },
  };
}

/** A product as the search selects it, named as the model's attributes, with the number of all matches. */
interface SearchRow {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly priceAmount: number | string;
  readonly currency: string;
  readonly categoryId: string | null;
  readonly imageUrl: string | null;
  readonly status: Product['status'];
  readonly reorderLevel: number;
  // MariaDB gives a Date; SQLite the text Sequelize stored.
  readonly createdAt: Date | string;
  readonly updatedAt: Date | string;
  readonly total: number | string;
}

const SEARCH_COLUMNS = [
  'p.id',
  'p.sku',
  'p.name',
  'p.description',
  'p.price_amount AS priceAmount',
  'p.currency',
  'p.category_id AS categoryId',
  'p.image_url AS imageUrl',
  'p.status',
  'p.reorder_level AS reorderLevel',
  'p.created_at AS createdAt',
  'p.updated_at AS updatedAt',
].join(', ');

/** Every order ends with the id, so a page boundary never splits products of equal keys two ways. */
const ORDER: Record<ProductSort, string> = {
  price: 'p.price_amount ASC, p.id ASC',
  '-price': 'p.price_amount DESC, p.id ASC',
  name: 'p.name ASC, p.id ASC',
  '-createdAt': 'p.created_at DESC, p.id ASC',
};

/** The WHERE clause of a search and its named replacements (nothing typed by a user is put into the SQL text). */
function searchFilter(sequelize: Sequelize, search: ProductSearch) {
  const where = ['p.deleted_at IS NULL', 'p.status IN (:statuses)'];
  const replacements: Record<string, unknown> = { statuses: search.statuses };
  const { words, lastIsPrefix } = search.terms;
  if (words.length > 0) {
    const isLast = (index: number) => index === words.length - 1;
    if (sequelize.getDialect() === 'mysql') {
      // Words InnoDB indexed are matched by the FULLTEXT index in boolean mode, each one required (+), the last as
      // a prefix (*) while it is being typed. Words it never indexes (too short, stop words) would make a required
      // term match nothing, so they are checked on the rows the index found, as whole words (or a word's start).
      const indexed = words.flatMap((word, index) =>
        isIndexed(word, INNODB_INDEXED_WORDS) ? [`+${word}${isLast(index) && lastIsPrefix ? '*' : ''}`] : [],
      );
      where.push('MATCH(p.name, p.description) AGAINST (:match IN BOOLEAN MODE)');
      replacements['match'] = indexed.join(' ');
      words.forEach((word, index) => {
        if (isIndexed(word, INNODB_INDEXED_WORDS)) return;
        const pattern = `(^|[^[:alnum:]])${word}${isLast(index) && lastIsPrefix ? '' : '([^[:alnum:]]|$)'}`;
        where.push(`(p.name REGEXP :word${String(index)} OR p.description REGEXP :word${String(index)})`);
        replacements[`word${String(index)}`] = pattern;
      });
    } else {
      // FTS5 indexes every word: each one quoted (nothing in it is query syntax), all required, the last a prefix.
      const terms = words.map((word, index) => `"${word}"${isLast(index) && lastIsPrefix ? '*' : ''}`);
      where.push('p.id IN (SELECT product_id FROM products_text WHERE products_text MATCH :match)');
      replacements['match'] = terms.join(' AND ');
    }
  }
  if (search.categoryId !== undefined) {
    // The category's subtree in the same statement. UNION, not UNION ALL: a cycle in stored data still ends.
    where.push(`p.category_id IN (
      WITH RECURSIVE subtree (id) AS (
        SELECT id FROM categories WHERE id = :categoryId
        UNION SELECT c.id FROM categories c JOIN subtree s ON c.parent_id = s.id
      ) SELECT id FROM subtree)`);
    replacements['categoryId'] = search.categoryId;
  }
  if (search.minPrice !== undefined) {
    where.push('p.price_amount >= :minPrice');
    replacements['minPrice'] = search.minPrice;
  }
  if (search.maxPrice !== undefined) {
    where.push('p.price_amount <= :maxPrice');
    replacements['maxPrice'] = search.maxPrice;
  }
  if (search.inStock) {
    where.push('EXISTS (SELECT 1 FROM inventory i WHERE i.product_id = p.id AND i.on_hand > i.reserved)');
  }
  return { where: where.join(' AND '), replacements };
}
