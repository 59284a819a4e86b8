// order-query's process entry: reads the config (a bad value stops the process), wires the adapters, serves the
// handler. Tests import order-query-handler.ts instead, so importing this file is what starts the function.
import { loadConfig } from '../../../shared/config/load-config';
import { startFunction } from '../../../shared/runtime/start-function';
import { definition } from './function';
import { OrderQueryEnv } from './order-query-config';
import { orderQueryDependencies } from './order-query-dependencies';
import { createOrderQueryHandler } from './order-query-handler';

startFunction(definition, (logger) =>
  createOrderQueryHandler(orderQueryDependencies(loadConfig(OrderQueryEnv)), logger),
);
