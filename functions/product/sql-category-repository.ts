import type { Category } from '../../shared/domain/product/category';
import type { CategoryRepository } from '../../shared/domain/product/product-ports';
import { AppError } from '../../shared/errors/app-error';
import type { ServiceDatabase } from '../../shared/kit/service-stores';
import { inTransaction } from '../../shared/sql/in-transaction';
import { productModels, type CategoryRow } from './product-models';

function toCategory(row: CategoryRow): Category {
  return {
    id: row.id,
    name: row.name,
    parentId: row.parentId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const parentMissing = () =>
  new AppError('invalid', 'CATEGORY.PARENT_NOT_FOUND', 'No such parent category.', [
    { field: 'parentId', message: 'names no category' },
  ]);

/**
 * The category tree on the service's SQL database. A change of the tree's shape locks every category row first
 * (the table is small), so two concurrent moves are decided one after the other and cannot make a cycle together.
 */
export function sqlCategoryRepository({ sequelize }: ServiceDatabase): CategoryRepository {
  const { Category, Product } = productModels(sequelize);
  return {
    async all() {
      return (await Category.findAll({ order: [['id', 'ASC']] })).map(toCategory);
    },

    async findById(id) {
      const row = await Category.findByPk(id);
      return row ? toCategory(row) : undefined;
    },

    async insert(category) {
      await inTransaction(sequelize, async (transaction) => {
        if (category.parentId !== null) {
          const parent = await Category.findByPk(category.parentId, {
            transaction,
            lock: transaction.LOCK.SHARE,
          });
          if (!parent) throw parentMissing();
        }
        await Category.create({ ...category }, { transaction });
      });
    },

    async modify(id, decide) {
      return inTransaction(sequelize, async (transaction) => {
        const rows = await Category.findAll({
          transaction,
          lock: transaction.LOCK.UPDATE,
          order: [['id', 'ASC']],
        });
        const row = rows.find((candidate) => candidate.id === id);
        if (!row) return undefined;
        const all = rows.map(toCategory);
        const next = decide(toCategory(row), all);
        if (next.parentId !== null && !all.some((category) => category.id === next.parentId)) {
          throw parentMissing();
        }
        row.set({ name: next.name, parentId: next.parentId, updatedAt: next.updatedAt });
        await row.save({ transaction });
        return next;
      });
    },

    async remove(id) {
      return inTransaction(sequelize, async (transaction) => {
        const row = await Category.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
        if (!row) return false;
        const children = await Category.count({ where: { parentId: id }, transaction });
        const products = await Product.count({ where: { categoryId: id, deletedAt: null }, transaction });
        if (children > 0 || products > 0) {
          throw new AppError(
            'conflict',
            'CATEGORY.NOT_EMPTY',
            'A category with subcategories or products cannot be deleted; move or delete them first.',
          );
        }
        // Deleted products may still name it; they are never shown again, so they are unlinked.
        await Product.update({ categoryId: null }, { where: { categoryId: id }, transaction });
        await row.destroy({ transaction });
        return true;
      });
    },
  };
}
