import type { GrpcService } from '../grpc/grpc-service';
import type { LoadedProto } from '../grpc/load-proto';
import type { Subscription } from '../runtime/cloud-event-function';
import type { DeadLetterHandle } from '../runtime/dead-letter-function';
import type { RouteHandler } from '../runtime/http-function';
import type { FunctionDefinition } from './function-definition';
import type { FunctionKit, RegisteredFunction } from './function-instance';

/**
 * The functions registered in this process, by name. A function's index.ts registers itself when imported, as
 * functions-framework's `http(name, handler)` does: its bundle's entry then starts it (dev/bundle.ts), and tests
 * import index.ts to serve it in process (test/support/functions.ts). One process usually holds one.
 */
const registry = new Map<string, RegisteredFunction>();

function register(registered: RegisteredFunction, kind: FunctionDefinition['trigger']['kind']): void {
  const { definition } = registered;
  if (definition.trigger.kind !== kind) {
    throw new Error(`${definition.name} has a ${definition.trigger.kind} trigger, not ${kind}`);
  }
  registry.set(definition.name, registered);
}

/** The function registered under `name`; throws when none is (its index.ts was not imported). */
export function registeredFunction(name: string): RegisteredFunction {
  const found = registry.get(name);
  if (!found) throw new Error(`No function ${name} is registered: import its index.ts first`);
  return found;
}

/** An HTTP function: its routes, built from the kit (each route declares its input schemas and handler). */
export function registerHttp<Config>(
  definition: FunctionDefinition<Config>,
  routes: (kit: FunctionKit<Config>) => readonly RouteHandler[],
): void {
  register({ kind: 'http', definition, routes: (kit) => routes(kit as FunctionKit<Config>) }, 'http');
}

/** A CloudEvent function: what it does with each event type its Triggers deliver. */
export function registerEvents<Config>(
  definition: FunctionDefinition<Config>,
  subscriptions: (kit: FunctionKit<Config>) => readonly Subscription[],
): void {
  register(
    { kind: 'events', definition, subscriptions: (kit) => subscriptions(kit as FunctionKit<Config>) },
    'cloudevent',
  );
}

/** A gRPC sidecar: its services over the proto its trigger names (the health service is added). */
export function registerGrpc<Config>(
  definition: FunctionDefinition<Config>,
  services: (kit: FunctionKit<Config>, proto: LoadedProto) => readonly GrpcService[],
): void {
  register(
    { kind: 'grpc', definition, services: (kit, proto) => services(kit as FunctionKit<Config>, proto) },
    'grpc',
  );
}

/** A function a PingSource runs on its schedule: each ping runs the job once (the order service's expiry sweep). */
export function registerSchedule<Config>(
  definition: FunctionDefinition<Config>,
  job: (kit: FunctionKit<Config>) => () => Promise<void>,
): void {
  register({ kind: 'scheduled', definition, job: (kit) => job(kit as FunctionKit<Config>) }, 'schedule');
}

/** The function the dead-letter topic's KafkaSource delivers to: what it does with each dead letter. */
export function registerDeadLetters<Config>(
  definition: FunctionDefinition<Config>,
  handle: (kit: FunctionKit<Config>) => DeadLetterHandle,
): void {
  register(
    { kind: 'dead-letters', definition, handle: (kit) => handle(kit as FunctionKit<Config>) },
    'dead-letters',
  );
}

/** A service's outbox relay (function-definition.ts, defineOutboxRelay): the kit does all of it. */
export function registerOutboxRelay(definition: FunctionDefinition): void {
  register({ kind: 'relay', definition }, 'schedule');
}
