/** What a consumer did with an event: applied it, or recognised it as already applied. */
export type Handled = 'processed' | 'duplicate';

/**
 * The port of idempotent consumption, for use cases: runs `effect` unless this consumer already applied the event
 * with this id, and says which happened. Two concurrent deliveries of one event run the effect once; a failed
 * effect is not recorded, so a redelivery runs it again. sql-once-per-event.ts implements it.
 *
 * Without an effect it only records the event, for a consumer with nothing to guard (its work is idempotent by
 * itself) that still tells a duplicate apart: one statement rather than a transaction around an empty effect. A
 * record made while another delivery's effect runs waits for that effect, as a second effect would.
 */
export type OncePerEvent = (eventId: string, effect?: () => Promise<void>) => Promise<Handled>;
