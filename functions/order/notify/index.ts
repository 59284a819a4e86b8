// notify's process entry: reads the config (a bad value stops the process), wires the adapters, serves the handler.
// Tests import notify-handler.ts instead, so importing this file is what starts the function.
import { loadConfig } from '../../../shared/config/load-config';
import { startFunction } from '../../../shared/runtime/start-function';
import { definition } from './function';
import { NotifyEnv } from './notify-config';
import { notifyDependencies } from './notify-dependencies';
import { createNotifyHandler } from './notify-handler';

startFunction(definition, (logger) => createNotifyHandler(notifyDependencies(loadConfig(NotifyEnv)), logger));
