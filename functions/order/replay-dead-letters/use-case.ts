import { z } from 'zod';
import { isPending, type DeadLetter, type DeadLetterStore } from '../../../shared/domain/dead-letter';
import type { Logger } from '../../../shared/domain/logger';
import { PageQuery, type Page } from '../../../shared/domain/pagination';
import { AppError } from '../../../shared/errors/app-error';

/** One kept dead letter as the API answers it: never the event's data, which may hold personal data. */
export const DeadLetterView = z
  .object({
    id: z.uuid(),
    eventId: z.string(),
    type: z.string().meta({ description: 'The event type, `com.ecom.order.placed`, ...' }),
    source: z.string(),
    subject: z.string().optional(),
    subscriber: z.string().meta({
      description:
        'The function that could not take the event, or where the broker sent it when that is no function of the shop.',
    }),
    status: z
      .number()
      .int()
      .optional()
      .meta({ description: "The subscriber's last status; absent when it never answered." }),
    problemCode: z
      .string()
      .optional()
      .meta({ description: 'The problem code of that answer, when it was one.' }),
    deadLetteredAt: z.iso.datetime().meta({ description: 'When the broker last gave it up.' }),
    replayedAt: z.iso.datetime().optional().meta({ description: 'When it was last published again.' }),
    pending: z.boolean().meta({ description: 'Not published again since the broker last gave it up.' }),
    replayable: z.boolean().meta({
      description:
        'Whether it can be published again: an event without a subject or JSON data, or with attributes longer than the outbox holds, cannot.',
    }),
  })
  .meta({ id: 'DeadLetter' });
export type DeadLetterView = z.infer<typeof DeadLetterView>;

/** The filters of the list, beside its page. */
export const DeadLetterQuery = PageQuery.extend({
  subscriber: z.string().min(1).max(200).optional().meta({ description: 'Only those of this function.' }),
  type: z.string().min(1).max(200).optional().meta({ description: 'Only events of this type.' }),
  pending: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .meta({
      description: '`true`: only those not published again since; `false`: only those published again.',
    }),
}).strict();
export type DeadLetterQuery = z.infer<typeof DeadLetterQuery>;

export const DeadLetterIdParams = z.object({ id: z.uuid() });

/** How many letters one bulk replay publishes again at most; the answer says how many are left. */
export const REPLAY_BATCH = 100;

/** Which pending letters a bulk replay publishes again: a subscriber's, a type's, or both. */
export const ReplayFilter = z
  .strictObject({
    subscriber: z.string().min(1).max(200).optional().meta({ description: 'Only those of this function.' }),
    type: z.string().min(1).max(200).optional().meta({ description: 'Only events of this type.' }),
  })
  .refine((filter) => filter.subscriber !== undefined || filter.type !== undefined, {
    message: 'Name a subscriber, a type, or both: a replay of every letter at once is never an accident.',
  })
  .meta({ id: 'DeadLetterReplayFilter' });
export type ReplayFilter = z.infer<typeof ReplayFilter>;

/** What a bulk replay did. */
export const ReplayedLetters = z
  .object({
    replayed: z.array(DeadLetterView),
    remaining: z
      .number()
      .int()
      .meta({ description: 'Pending letters of the filter still to publish again.' }),
  })
  .meta({ id: 'ReplayedDeadLetters' });
export type ReplayedLetters = z.infer<typeof ReplayedLetters>;

/** What publishing letters again needs. */
export interface ReplayPorts {
  readonly letters: DeadLetterStore;
  readonly now: () => Date;
  readonly logger: Logger;
}

export function deadLetterView(letter: DeadLetter): DeadLetterView {
  return {
    id: letter.id,
    eventId: letter.eventId,
    type: letter.type,
    source: letter.source,
    ...(letter.subject === undefined ? {} : { subject: letter.subject }),
    subscriber: letter.subscriber,
    ...(letter.status === undefined ? {} : { status: letter.status }),
    ...(letter.problemCode === undefined ? {} : { problemCode: letter.problemCode }),
    deadLetteredAt: letter.deadLetteredAt.toISOString(),
    ...(letter.replayedAt === undefined ? {} : { replayedAt: letter.replayedAt.toISOString() }),
    pending: isPending(letter),
    replayable: letter.replayable,
  };
}

/** The kept dead letters, newest first, filtered. */
export async function listDeadLetters(
  letters: DeadLetterStore,
  query: DeadLetterQuery,
): Promise<Page<DeadLetterView>> {
  const { items, total } = await letters.list(query);
  return { items: items.map(deadLetterView), page: query.page, pageSize: query.pageSize, total };
}

/**
 * Publishes again, oldest first, up to {@link REPLAY_BATCH} pending letters of a subscriber or a type that can be: what
 * an operator does once a function is well again after an outage. Each goes as {@link replayDeadLetter} sends one, in
 * its own transaction; a letter another replay took meanwhile is left out. The answer says how many are left.
 */
export async function replayDeadLetters(ports: ReplayPorts, filter: ReplayFilter): Promise<ReplayedLetters> {
  const { ids, total } = await ports.letters.replayableIds(filter, REPLAY_BATCH);
  const replayed: DeadLetterView[] = [];
  for (const id of ids) {
    const letter = await ports.letters.replay(id, ports.now());
    if (typeof letter !== 'string') replayed.push(deadLetterView(letter));
  }
  ports.logger.info('dead letters published again', { ...filter, replayed: replayed.length });
  return { replayed, remaining: Math.max(0, total - ids.length) };
}

/**
 * Publishes a pending dead letter's event again, as it was (its id, so the subscribers that took it ignore it), to
 * every Trigger of its type: the one that gave it up takes it now, or it comes back as a dead letter. 404 for an
 * unknown id, 409 when it was published again since the broker last gave it up, or cannot be.
 */
export async function replayDeadLetter(ports: ReplayPorts, id: string): Promise<DeadLetterView> {
  const replayed = await ports.letters.replay(id, ports.now());
  if (replayed === 'not-found')
    throw new AppError('not-found', 'DEAD_LETTER.NOT_FOUND', 'No such dead letter.');
  if (replayed === 'not-pending') {
    throw new AppError(
      'conflict',
      'DEAD_LETTER.NOT_PENDING',
      'It was published again after the broker last gave it up.',
    );
  }
  if (replayed === 'not-replayable') {
    throw new AppError(
      'conflict',
      'DEAD_LETTER.NOT_REPLAYABLE',
      'Its event has no subject, no JSON data, or attributes longer than the outbox holds: it cannot be published again.',
    );
  }
  ports.logger.info('dead letter published again', {
    eventId: replayed.eventId,
    eventType: replayed.type,
    subscriber: replayed.subscriber,
  });
  return deadLetterView(replayed);
}
