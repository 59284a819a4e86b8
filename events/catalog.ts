import type { EventDefinition } from './event-definition';
import {
  InventoryAdjusted,
  InventoryCommitted,
  InventoryLow,
  InventoryRejected,
  InventoryReleased,
  InventoryReserved,
} from './inventory-events';
import { OrderCancelled } from './order-cancelled';
import { OrderChanged, OrderDelivered, OrderPaid } from './order-events';
import { OrderPlaced } from './order-placed';
import { OrderShipped } from './order-shipped';
import { PaymentCaptured, PaymentFailed, PaymentRefunded, RefundRequested } from './payment-events';
import { ProductCreated } from './product-created';
import { ProductDeleted } from './product-deleted';
import { ProductPriceChanged } from './product-price-changed';
import { UserRegistered } from './user-registered';

/** Every event type of the product, by type name. The deployment generator and the docs read it. */
export const EVENT_CATALOG: Readonly<Record<string, EventDefinition>> = Object.fromEntries(
  [
    UserRegistered,
    ProductCreated,
    ProductPriceChanged,
    ProductDeleted,
    OrderPlaced,
    OrderPaid,
    OrderCancelled,
    OrderShipped,
    OrderDelivered,
    OrderChanged,
    PaymentCaptured,
    PaymentFailed,
    PaymentRefunded,
    RefundRequested,
    InventoryReserved,
    InventoryRejected,
    InventoryReleased,
    InventoryCommitted,
    InventoryAdjusted,
    InventoryLow,
  ].map((definition) => [definition.type, definition]),
);
