import { DataTypes } from 'sequelize';
import type { Migration } from '../../shared/sql/migrate';

const categories: Migration = {
  name: '0010-categories',
  async up({ queryInterface }) {
    await queryInterface.createTable('categories', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      name: { type: DataTypes.STRING(100), allowNull: false },
      parent_id: { type: DataTypes.STRING(36), allowNull: true },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
      updated_at: { type: DataTypes.DATE(3), allowNull: false },
    });
    await queryInterface.addIndex('categories', ['parent_id'], { name: 'categories_parent' });
  },
};

const products: Migration = {
  name: '0011-products',
  async up({ queryInterface, sequelize }) {
    await queryInterface.createTable('products', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      sku: { type: DataTypes.STRING(64), allowNull: false },
      // The upper-cased SKU while the product exists, NULL once deleted: unique among live products only, so a
      // deleted product's SKU can be given to a new one.
      sku_key: { type: DataTypes.STRING(64), allowNull: true, unique: true },
      name: { type: DataTypes.STRING(200), allowNull: false },
      description: { type: DataTypes.TEXT, allowNull: false },
      price_amount: { type: DataTypes.BIGINT, allowNull: false },
      currency: { type: DataTypes.CHAR(3), allowNull: false },
      category_id: { type: DataTypes.STRING(36), allowNull: true },
      image_url: { type: DataTypes.STRING(2048), allowNull: true },
      status: { type: DataTypes.STRING(10), allowNull: false },
      reorder_level: { type: DataTypes.INTEGER, allowNull: false },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
      updated_at: { type: DataTypes.DATE(3), allowNull: false },
      deleted_at: { type: DataTypes.DATE(3), allowNull: true },
    });
    // The listings: visible products by status, then by each sort key.
    await queryInterface.addIndex('products', ['status', 'deleted_at', 'created_at'], {
      name: 'products_status_created',
    });
    await queryInterface.addIndex('products', ['status', 'deleted_at', 'price_amount'], {
      name: 'products_status_price',
    });
    await queryInterface.addIndex('products', ['category_id'], { name: 'products_category' });
    if (sequelize.getDialect() === 'mysql') {
      // InnoDB FULLTEXT over the words of the name and the description, searched in boolean mode.
      await sequelize.query('ALTER TABLE products ADD FULLTEXT INDEX products_text (name, description)');
    } else {
      // SQLite: an FTS5 table kept in step with products by triggers. It holds the product id rather than sharing
      // the rowid, which VACUUM may renumber in a table whose key is not an integer.
      await sequelize.query(
        "CREATE VIRTUAL TABLE products_text USING fts5(product_id UNINDEXED, name, description, tokenize='unicode61')",
      );
      await sequelize.query(`CREATE TRIGGER products_text_insert AFTER INSERT ON products BEGIN
        INSERT INTO products_text(product_id, name, description) VALUES (new.id, new.name, new.description);
      END`);
      await sequelize.query(`CREATE TRIGGER products_text_update AFTER UPDATE OF name, description ON products BEGIN
        DELETE FROM products_text WHERE product_id = old.id;
        INSERT INTO products_text(product_id, name, description) VALUES (new.id, new.name, new.description);
      END`);
      await sequelize.query(`CREATE TRIGGER products_text_delete AFTER DELETE ON products BEGIN
        DELETE FROM products_text WHERE product_id = old.id;
      END`);
    }
  },
};

const inventory: Migration = {
  name: '0012-inventory',
  async up({ queryInterface }) {
    // One row per product, made with it: units on hand, and units reserved for orders not yet shipped.
    await queryInterface.createTable('inventory', {
      product_id: { type: DataTypes.STRING(36), primaryKey: true },
      on_hand: { type: DataTypes.INTEGER, allowNull: false },
      reserved: { type: DataTypes.INTEGER, allowNull: false },
      updated_at: { type: DataTypes.DATE(3), allowNull: false },
    });
  },
};

const reservations: Migration = {
  name: '0013-reservations',
  async up({ queryInterface }) {
    // One record per order: where it stands with the stock (reserved, rejected, released, committed).
    await queryInterface.createTable('order_reservations', {
      order_id: { type: DataTypes.STRING(36), primaryKey: true },
      state: { type: DataTypes.STRING(10), allowNull: false },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
      updated_at: { type: DataTypes.DATE(3), allowNull: false },
    });
    // The units a reservation holds or held, per product.
    await queryInterface.createTable('reservation_lines', {
      order_id: { type: DataTypes.STRING(36), primaryKey: true },
      product_id: { type: DataTypes.STRING(36), primaryKey: true },
      quantity: { type: DataTypes.INTEGER, allowNull: false },
    });
  },
};

/** The product service's own tables, in order (the kit adds the outbox and processed events before them). */
export const PRODUCT_MIGRATIONS: readonly Migration[] = [categories, products, inventory, reservations];
