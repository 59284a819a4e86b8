import type { EventDefinition } from '../../events/event-definition';
import type { NewDomainEvent } from '../domain/domain-event';
import type { StoreUse } from './function-env';
import type { ServiceDeclaration } from './service-declaration';

/** What one function may append to its service's outbox, from its `uses.events`. */
export interface DeclaredEvents {
  readonly functionName: string;
  /** The CloudEvent `source` of everything it emits: `/ecom/<service>/<function>`. */
  readonly source: string;
  /** The types it declared; none for an outbox relay, which only publishes what others appended. */
  readonly types: ReadonlySet<string>;
  /** It appends events others published, of any type and source, as they were (`uses.events: 'replay'`). */
  readonly replays: boolean;
}

/** The CloudEvent `source` of a function's events (ARCHITECTURE.md: `/ecom/<service>/<function>`). */
export const eventSourceOf = (service: string, functionName: string): string =>
  `/ecom/${service}/${functionName}`;

/** The event definitions a function appends as their publisher: those `uses.events` lists (none for a relay or a replay). */
export const appendedEvents = (uses: StoreUse): readonly EventDefinition[] =>
  uses.events === undefined || typeof uses.events === 'string' ? [] : uses.events;

export function declaredEvents(definition: {
  readonly name: string;
  readonly service: ServiceDeclaration;
  readonly uses: StoreUse;
}): DeclaredEvents {
  return {
    functionName: definition.name,
    source: eventSourceOf(definition.service.name, definition.name),
    types: new Set(appendedEvents(definition.uses).map((event) => event.type)),
    replays: definition.uses.events === 'replay',
  };
}

/**
 * Throws (a programming error, before anything is stored) when an event is of a type the function did not declare,
 * or names another function as its source: what a function declares is what the event catalogue and
 * docs/asyncapi.yaml say it publishes, and consumers may rely on that. A replaying function appends events as
 * they were first published, which their publishers declared.
 */
export function refuseUndeclared(declared: DeclaredEvents, events: readonly NewDomainEvent[]): void {
  if (declared.replays) return;
  for (const event of events) {
    if (!declared.types.has(event.type)) {
      throw new Error(
        `${declared.functionName} appends ${event.type} but does not declare it in uses.events (function.ts)`,
      );
    }
    if (event.source !== declared.source) {
      throw new Error(
        `${declared.functionName} appends ${event.type} from source ${event.source}; its events' source is ${declared.source}`,
      );
    }
  }
}
