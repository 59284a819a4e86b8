import { DataTypes, Model, type Sequelize } from 'sequelize';

export class OrderRow extends Model {
  declare id: string;
  declare customerId: string;
  declare status: string;
  declare currency: string;
  declare totalAmount: number | string;
  declare shippingAddress: string;
  declare paymentStatus: string | null;
  declare paymentAmount: number | string | null;
  declare paymentReference: string | null;
  declare cancellationReason: string | null;
  declare cancelledAt: Date | null;
  declare carrier: string | null;
  declare trackingNumber: string | null;
  declare shippedAt: Date | null;
  declare deliveredAt: Date | null;
  declare createdAt: Date;
  declare updatedAt: Date;
  /** Present when read with its lines (`include: 'lines'`). */
  declare lines?: OrderLineRow[];
}

export class OrderLineRow extends Model {
  declare orderId: string;
  declare lineNo: number;
  declare productId: string;
  declare sku: string;
  declare name: string;
  declare unitAmount: number | string;
  declare quantity: number;
}

export class PaymentTokenRow extends Model {
  declare orderId: string;
  declare token: string;
}

export class IdempotencyKeyRow extends Model {
  declare customerId: string;
  declare idempotencyKey: string;
  declare requestDigest: string;
  declare orderId: string;
  declare createdAt: Date;
}

export class PaymentRow extends Model {
  declare orderId: string;
  declare status: string;
  declare currency: string;
  declare amount: number | string;
  declare reference: string;
  declare declineCode: string | null;
  declare refundReference: string | null;
  declare settledAt: Date;
  declare refundedAt: Date | null;
}

export class GatewayCallRow extends Model {
  declare idempotencyKey: string;
  declare kind: string;
  declare outcome: string;
  declare reference: string;
  declare declineCode: string | null;
  declare currency: string;
  declare amount: number | string;
  declare failedAttempts: number;
  declare createdAt: Date;
}

export interface OrderModels {
  readonly Order: typeof OrderRow;
  readonly OrderLine: typeof OrderLineRow;
  readonly PaymentToken: typeof PaymentTokenRow;
  readonly IdempotencyKey: typeof IdempotencyKeyRow;
  readonly Payment: typeof PaymentRow;
  readonly GatewayCall: typeof GatewayCallRow;
}

const bound = new WeakMap<Sequelize, OrderModels>();

/** The order service's models bound to one Sequelize instance (a model class binds to exactly one). */
export function orderModels(sequelize: Sequelize): OrderModels {
  const existing = bound.get(sequelize);
  if (existing) return existing;
  const options = { sequelize, underscored: true, timestamps: false } as const;
  const Order = class extends OrderRow {}.init(
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      customerId: DataTypes.STRING(36),
      status: DataTypes.STRING(12),
      currency: DataTypes.CHAR(3),
      totalAmount: DataTypes.BIGINT,
      shippingAddress: DataTypes.TEXT,
      paymentStatus: DataTypes.STRING(12),
      paymentAmount: DataTypes.BIGINT,
      paymentReference: DataTypes.STRING(100),
      cancellationReason: DataTypes.STRING(20),
      cancelledAt: DataTypes.DATE(3),
      carrier: DataTypes.STRING(100),
      trackingNumber: DataTypes.STRING(100),
      shippedAt: DataTypes.DATE(3),
      deliveredAt: DataTypes.DATE(3),
      createdAt: DataTypes.DATE(3),
      updatedAt: DataTypes.DATE(3),
    },
    { ...options, modelName: 'orders', tableName: 'orders' },
  );
  const OrderLine = class extends OrderLineRow {}.init(
    {
      orderId: { type: DataTypes.STRING(36), primaryKey: true },
      lineNo: { type: DataTypes.INTEGER, primaryKey: true },
      productId: DataTypes.STRING(36),
      sku: DataTypes.STRING(64),
      name: DataTypes.STRING(200),
      unitAmount: DataTypes.BIGINT,
      quantity: DataTypes.INTEGER,
    },
    { ...options, modelName: 'order_lines', tableName: 'order_lines' },
  );
  // An order and its lines are read in one statement (a join), not two round trips.
  Order.hasMany(OrderLine, { foreignKey: 'orderId', as: 'lines', constraints: false });
  const PaymentToken = class extends PaymentTokenRow {}.init(
    {
      orderId: { type: DataTypes.STRING(36), primaryKey: true },
      token: DataTypes.STRING(200),
    },
    { ...options, modelName: 'order_payment_tokens', tableName: 'order_payment_tokens' },
  );
  const IdempotencyKey = class extends IdempotencyKeyRow {}.init(
    {
      customerId: { type: DataTypes.STRING(36), primaryKey: true },
      idempotencyKey: { type: DataTypes.STRING(100), primaryKey: true },
      requestDigest: DataTypes.STRING(64),
      orderId: DataTypes.STRING(36),
      createdAt: DataTypes.DATE(3),
    },
    { ...options, modelName: 'order_idempotency_keys', tableName: 'order_idempotency_keys' },
  );
  const Payment = class extends PaymentRow {}.init(
    {
      orderId: { type: DataTypes.STRING(36), primaryKey: true },
      status: DataTypes.STRING(12),
      currency: DataTypes.CHAR(3),
      amount: DataTypes.BIGINT,
      reference: DataTypes.STRING(100),
      declineCode: DataTypes.STRING(50),
      refundReference: DataTypes.STRING(100),
      settledAt: DataTypes.DATE(3),
      refundedAt: DataTypes.DATE(3),
    },
    { ...options, modelName: 'payments', tableName: 'payments' },
  );
  const GatewayCall = class extends GatewayCallRow {}.init(
    {
      idempotencyKey: { type: DataTypes.STRING(100), primaryKey: true },
      kind: DataTypes.STRING(10),
      outcome: DataTypes.STRING(20),
      reference: DataTypes.STRING(100),
      declineCode: DataTypes.STRING(50),
      currency: DataTypes.CHAR(3),
      amount: DataTypes.BIGINT,
      failedAttempts: DataTypes.INTEGER,
      createdAt: DataTypes.DATE(3),
    },
    { ...options, modelName: 'simulated_gateway_calls', tableName: 'simulated_gateway_calls' },
  );
  const models = { Order, OrderLine, PaymentToken, IdempotencyKey, Payment, GatewayCall };
  bound.set(sequelize, models);
  return models;
}
