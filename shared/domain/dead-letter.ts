import type { DomainEvent } from './domain-event';

/**
 * An event the broker gave up delivering, as the dead-letter topic keeps it: the event's attributes and what Knative
 * wrote beside them about the failure, and the event itself as it can be published again.
 */
export interface ReceivedDeadLetter {
  readonly id: string;
  readonly type: string;
  readonly source: string;
  readonly subject: string | undefined;
  /** Where the broker last tried to deliver it (Knative's `knativeerrordest`); undefined when it does not say. */
  readonly destination: string | undefined;
  /** The function's name when the destination is a Knative Service's address (`http://<name>.<namespace>.svc…`). */
  readonly subscriber: string | undefined;
  /** The destination's last status (`knativeerrorcode`); undefined when it never answered. */
  readonly status: number | undefined;
  /** The problem code of that answer when it was one of ours (`knativeerrordata`, problem+json). */
  readonly problemCode: string | undefined;
  /**
   * The event as its publisher published it (same id, so the subscribers that took it ignore it again), without
   * Knative's extensions; undefined when it is not one this shop could publish again: no subject, or data that is
   * not a JSON object.
   */
  readonly event: DomainEvent | undefined;
}

/** A kept dead letter, as an operator sees it: never the event's data, which may hold personal data. */
export interface DeadLetter {
  readonly id: string;
  readonly eventId: string;
  readonly type: string;
  readonly source: string;
  readonly subject: string | undefined;
  /** The function that could not take it, or where the broker sent it when that is no Service of the shop. */
  readonly subscriber: string;
  readonly status: number | undefined;
  readonly problemCode: string | undefined;
  /** When the broker last gave it up. */
  readonly deadLetteredAt: Date;
  /** When it was last published again; a letter dead-lettered after that is pending again. */
  readonly replayedAt: Date | undefined;
  /** Whether it can be published again (see {@link ReceivedDeadLetter.event}). */
  readonly replayable: boolean;
}

/** Not published again since the broker last gave it up. */
export const isPending = (letter: DeadLetter): boolean =>
  letter.replayedAt === undefined || letter.replayedAt < letter.deadLetteredAt;

/** Letters of a subscriber, of a type, or both; neither means all. */
export interface DeadLetterSelection {
  readonly subscriber?: string | undefined;
  readonly type?: string | undefined;
}

export interface DeadLetterFilter extends DeadLetterSelection {
  /** Only those not published again since they were last given up. */
  readonly pending?: boolean | undefined;
  readonly page: number;
  readonly pageSize: number;
}

/** Why a letter was not published again. */
export type ReplayRefusal = 'not-found' | 'not-pending' | 'not-replayable';

/** The dead letters a service keeps, for an operator to find and publish again. */
export interface DeadLetterStore {
  /** Keeps a letter, once per event and subscriber: a letter given up again is updated, and pending again. */
  keep(letter: ReceivedDeadLetter, at: Date): Promise<void>;
  /** Newest first. */
  list(filter: DeadLetterFilter): Promise<{ readonly items: DeadLetter[]; readonly total: number }>;
  /**
   * Appends a pending letter's event to the outbox, as it was, and marks the letter replayed, in one transaction:
   * the broker then delivers it to every Trigger that takes its type, and those that took it before ignore it.
   */
  replay(id: string, at: Date): Promise<DeadLetter | ReplayRefusal>;
  /** The ids of pending letters that can be published again, of a subscriber and a type when given, oldest first. */
  replayableIds(
    selection: DeadLetterSelection,
    limit: number,
  ): Promise<{ readonly ids: string[]; readonly total: number }>;
}
