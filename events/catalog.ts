import type { EventDefinition } from './event-definition';
import { ProductCreated } from './product-created';
import { ProductDeleted } from './product-deleted';
import { ProductPriceChanged } from './product-price-changed';
import { UserRegistered } from './user-registered';

/** Every event type of the product, by type name. The deployment generator and the docs read it. */
export const EVENT_CATALOG: Readonly<Record<string, EventDefinition>> = Object.fromEntries(
  [UserRegistered, ProductCreated, ProductPriceChanged, ProductDeleted].map((definition) => [
    definition.type,
    definition,
  ]),
);
