import { DataTypes } from 'sequelize';
import type { Migration } from '../../shared/sql/migrate';

const orders: Migration = {
  name: '0010-orders',
  async up({ queryInterface }) {
    // One row per order: where it stands in the saga, its total, address, payment, shipment and cancellation.
    await queryInterface.createTable('orders', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      customer_id: { type: DataTypes.STRING(36), allowNull: false },
      status: { type: DataTypes.STRING(12), allowNull: false },
      currency: { type: DataTypes.CHAR(3), allowNull: false },
      total_amount: { type: DataTypes.BIGINT, allowNull: false },
      shipping_address: { type: DataTypes.TEXT, allowNull: false },
      payment_status: { type: DataTypes.STRING(12), allowNull: true },
      payment_amount: { type: DataTypes.BIGINT, allowNull: true },
      payment_reference: { type: DataTypes.STRING(100), allowNull: true },
      cancellation_reason: { type: DataTypes.STRING(20), allowNull: true },
      cancelled_at: { type: DataTypes.DATE(3), allowNull: true },
      carrier: { type: DataTypes.STRING(100), allowNull: true },
      tracking_number: { type: DataTypes.STRING(100), allowNull: true },
      shipped_at: { type: DataTypes.DATE(3), allowNull: true },
      delivered_at: { type: DataTypes.DATE(3), allowNull: true },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
      updated_at: { type: DataTypes.DATE(3), allowNull: false },
    });
    await queryInterface.addIndex('orders', ['customer_id', 'created_at'], {
      name: 'orders_customer_created',
    });
    await queryInterface.addIndex('orders', ['status', 'created_at'], { name: 'orders_status_created' });
    // Its lines as priced when it was placed: the catalogue may change, an order does not.
    await queryInterface.createTable('order_lines', {
      order_id: { type: DataTypes.STRING(36), primaryKey: true },
      line_no: { type: DataTypes.INTEGER, primaryKey: true },
      product_id: { type: DataTypes.STRING(36), allowNull: false },
      sku: { type: DataTypes.STRING(64), allowNull: false },
      name: { type: DataTypes.STRING(200), allowNull: false },
      unit_amount: { type: DataTypes.BIGINT, allowNull: false },
      quantity: { type: DataTypes.INTEGER, allowNull: false },
    });
    // The payment token, apart, so that it can be deleted once the charge settles.
    await queryInterface.createTable('order_payment_tokens', {
      order_id: { type: DataTypes.STRING(36), primaryKey: true },
      token: { type: DataTypes.STRING(200), allowNull: false },
    });
    // A customer's idempotency keys: the order the first request with each made, and that request's digest.
    await queryInterface.createTable('order_idempotency_keys', {
      customer_id: { type: DataTypes.STRING(36), primaryKey: true },
      idempotency_key: { type: DataTypes.STRING(100), primaryKey: true },
      request_digest: { type: DataTypes.STRING(64), allowNull: false },
      order_id: { type: DataTypes.STRING(36), allowNull: false },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    });
  },
};

const payments: Migration = {
  name: '0020-payments',
  async up({ queryInterface }) {
    // One row per order whose charge settled: its outcome, then its refund (capture-payment, refund-payment).
    await queryInterface.createTable('payments', {
      order_id: { type: DataTypes.STRING(36), primaryKey: true },
      status: { type: DataTypes.STRING(12), allowNull: false },
      currency: { type: DataTypes.CHAR(3), allowNull: false },
      amount: { type: DataTypes.BIGINT, allowNull: false },
      reference: { type: DataTypes.STRING(100), allowNull: false },
      decline_code: { type: DataTypes.STRING(50), allowNull: true },
      refund_reference: { type: DataTypes.STRING(100), allowNull: true },
      settled_at: { type: DataTypes.DATE(3), allowNull: false },
      refunded_at: { type: DataTypes.DATE(3), allowNull: true },
    });
    // The simulated payment gateway's own record of the calls it took, by idempotency key: it stands in for the
    // gateway's side, which remembers keys and counts what it charged (simulated-payment-gateway.ts).
    await queryInterface.createTable('simulated_gateway_calls', {
      idempotency_key: { type: DataTypes.STRING(100), primaryKey: true },
      kind: { type: DataTypes.STRING(10), allowNull: false },
      outcome: { type: DataTypes.STRING(20), allowNull: false },
      reference: { type: DataTypes.STRING(100), allowNull: false },
      decline_code: { type: DataTypes.STRING(50), allowNull: true },
      currency: { type: DataTypes.CHAR(3), allowNull: false },
      amount: { type: DataTypes.BIGINT, allowNull: false },
      failed_attempts: { type: DataTypes.INTEGER, allowNull: false },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    });
  },
};

const idempotencyKeysAge: Migration = {
  name: '0030-idempotency-keys-age',
  async up({ queryInterface }) {
    // The keys by age: the outbox relay deletes those older than a key is kept (service.ts, expiring).
    await queryInterface.addIndex('order_idempotency_keys', ['created_at'], {
      name: 'order_idempotency_keys_age',
    });
  },
  async down({ queryInterface }) {
    await queryInterface.removeIndex('order_idempotency_keys', 'order_idempotency_keys_age');
  },
};

const deadLetters: Migration = {
  name: '0040-dead-letters',
  async up({ queryInterface, sequelize }) {
    // MEDIUMTEXT on MySQL (TEXT stops at 64 KB), as the outbox's data; SQLite has one TEXT type.
    const text = sequelize.getDialect() === 'mysql' ? DataTypes.TEXT('medium') : DataTypes.TEXT;
    // Every event the broker gave up delivering, once per event and subscriber (count-dead-letters keeps them), with
    // the event itself for replay-dead-letters to publish again. Kept with the order service, whose saga they stop.
    await queryInterface.createTable('dead_letters', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      event_id: { type: DataTypes.STRING(200), allowNull: false },
      // The function's name, or where the broker sent it when that is no Service of the shop.
      subscriber: { type: DataTypes.STRING(200), allowNull: false },
      type: { type: DataTypes.STRING(200), allowNull: false },
      source: { type: DataTypes.STRING(500), allowNull: false },
      subject: { type: DataTypes.STRING(200), allowNull: true },
      status: { type: DataTypes.INTEGER, allowNull: true },
      problem_code: { type: DataTypes.STRING(100), allowNull: true },
      // The event as published (JSON), to publish again; null when it cannot be.
      event: { type: text, allowNull: true },
      dead_lettered_at: { type: DataTypes.DATE(3), allowNull: false },
      replayed_at: { type: DataTypes.DATE(3), allowNull: true },
    });
    await queryInterface.addIndex('dead_letters', ['event_id', 'subscriber'], {
      name: 'dead_letters_event_subscriber',
      unique: true,
    });
    // Newest first for the list, and by age for the outbox relay's deletion (service.ts, expiring).
    await queryInterface.addIndex('dead_letters', ['dead_lettered_at'], { name: 'dead_letters_age' });
  },
  async down({ queryInterface }) {
    await queryInterface.dropTable('dead_letters');
  },
};

/** The order service's own tables, in order (the kit adds the outbox and processed events before them). */
export const ORDER_MIGRATIONS: readonly Migration[] = [orders, payments, idempotencyKeysAge, deadLetters];
