import { DataTypes, Model, type Sequelize } from 'sequelize';
import type { ProductStatus } from '../../shared/domain/product/product';
import type { ReservationState } from '../../shared/domain/product/reservation';

export class ProductRow extends Model {
  declare id: string;
  declare sku: string;
  declare skuKey: string | null;
  declare name: string;
  declare description: string;
  declare priceAmount: number | string;
  declare currency: string;
  declare categoryId: string | null;
  declare imageUrl: string | null;
  declare status: ProductStatus;
  declare reorderLevel: number;
  declare createdAt: Date;
  declare updatedAt: Date;
  declare deletedAt: Date | null;
}

export class CategoryRow extends Model {
  declare id: string;
  declare name: string;
  declare parentId: string | null;
  declare createdAt: Date;
  declare updatedAt: Date;
}

export class InventoryRow extends Model {
  declare productId: string;
  declare onHand: number;
  declare reserved: number;
  declare updatedAt: Date;
}

export class OrderReservationRow extends Model {
  declare orderId: string;
  declare state: ReservationState;
  declare createdAt: Date;
  declare updatedAt: Date;
}

export class ReservationLineRow extends Model {
  declare orderId: string;
  declare productId: string;
  declare quantity: number;
}

export interface ProductModels {
  readonly Product: typeof ProductRow;
  readonly Category: typeof CategoryRow;
  readonly Inventory: typeof InventoryRow;
  readonly OrderReservation: typeof OrderReservationRow;
  readonly ReservationLine: typeof ReservationLineRow;
}

const bound = new WeakMap<Sequelize, ProductModels>();

/** The product service's models bound to one Sequelize instance (a model class binds to exactly one). */
export function productModels(sequelize: Sequelize): ProductModels {
  const existing = bound.get(sequelize);
  if (existing) return existing;
  const options = { sequelize, underscored: true, timestamps: false } as const;
  const Product = class extends ProductRow {}.init(
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      sku: DataTypes.STRING(64),
      skuKey: DataTypes.STRING(64),
      name: DataTypes.STRING(200),
      description: DataTypes.TEXT,
      // BIGINT comes back as a number: mysql2 runs with supportBigNumbers and bigNumberStrings off, and amounts
      // are held to Number.MAX_SAFE_INTEGER by the API.
      priceAmount: DataTypes.BIGINT,
      currency: DataTypes.CHAR(3),
      categoryId: DataTypes.STRING(36),
      imageUrl: DataTypes.STRING(2048),
      status: DataTypes.STRING(10),
      reorderLevel: DataTypes.INTEGER,
      createdAt: DataTypes.DATE(3),
      updatedAt: DataTypes.DATE(3),
      deletedAt: DataTypes.DATE(3),
    },
    { ...options, modelName: 'products', tableName: 'products' },
  );
  const Category = class extends CategoryRow {}.init(
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      name: DataTypes.STRING(100),
      parentId: DataTypes.STRING(36),
      createdAt: DataTypes.DATE(3),
      updatedAt: DataTypes.DATE(3),
    },
    { ...options, modelName: 'categories', tableName: 'categories' },
  );
  const Inventory = class extends InventoryRow {}.init(
    {
      productId: { type: DataTypes.STRING(36), primaryKey: true },
      onHand: DataTypes.INTEGER,
      reserved: DataTypes.INTEGER,
      updatedAt: DataTypes.DATE(3),
    },
    { ...options, modelName: 'inventory', tableName: 'inventory' },
  );
  const OrderReservation = class extends OrderReservationRow {}.init(
    {
      orderId: { type: DataTypes.STRING(36), primaryKey: true },
      state: DataTypes.STRING(10),
      createdAt: DataTypes.DATE(3),
      updatedAt: DataTypes.DATE(3),
    },
    { ...options, modelName: 'order_reservations', tableName: 'order_reservations' },
  );
  const ReservationLine = class extends ReservationLineRow {}.init(
    {
      orderId: { type: DataTypes.STRING(36), primaryKey: true },
      productId: { type: DataTypes.STRING(36), primaryKey: true },
      quantity: DataTypes.INTEGER,
    },
    { ...options, modelName: 'reservation_lines', tableName: 'reservation_lines' },
  );
  const models = { Product, Category, Inventory, OrderReservation, ReservationLine };
  bound.set(sequelize, models);
  return models;
}
