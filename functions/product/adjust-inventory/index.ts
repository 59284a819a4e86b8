// adjust-inventory (admins only): GET /v1/products/{id}/inventory, GET .../inventory/movements, and
// POST .../inventory/adjustments -> 200 with the new levels.
import { registerHttp } from '../../../shared/kit/register';
import { defineRoute } from '../../../shared/runtime/http-function';
import { productStores } from '../product-stores';
import { STOCK_LEDGER } from '../service';
import { adjustInventoryRoute, definition, inventoryRoute, movementsRoute } from './function';
import { adjustStock, stockLevels, stockMovements } from './use-case';

registerHttp(definition, ({ stores }) => {
  const { inventory } = productStores(stores);
  return [
    defineRoute({
      route: inventoryRoute,
      handle: async ({ params }) => ({ status: 200, body: await stockLevels(await inventory(), params.id) }),
    }),
    defineRoute({
      route: movementsRoute,
      async handle({ params, query }) {
        const ports = { inventory: await inventory(), ledger: await stores.history(STOCK_LEDGER) };
        return { status: 200, body: await stockMovements(ports, params.id, query) };
      },
    }),
    defineRoute({
      route: adjustInventoryRoute,
      handle: async ({ params, body }) => ({
        status: 200,
        body: await adjustStock({ inventory: await inventory(), now: () => new Date() }, params.id, body),
      }),
    }),
  ];
});
