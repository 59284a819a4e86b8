import { randomUUID } from 'node:crypto';
import test from 'ava';
import { notifyUserRegistered } from '../../../functions/order/notify/use-case';
import { welcomeMail } from '../../../functions/order/notify/welcome-notification';
import { AppError } from '../../../shared/errors/app-error';
import { memoryHistoryStore } from '../../support/memory/memory-history-store';
import { memoryLogger } from '../../support/memory/memory-logger';
import { memoryMailer } from '../../support/memory/memory-mailer';
import { memoryOncePerEvent } from '../../support/memory/memory-once-per-event';

const REGISTERED_AT = '2030-01-01T08:15:30.125Z';
const WELCOME_BODY =
  'Your account is ready. Browse the catalogue and place your first order whenever you like; ' +
  'we will keep you posted here about every step of it.';

function setup(withMailer = true) {
  const inbox = memoryHistoryStore();
  const mailer = memoryMailer();
  const { once, processed } = memoryOncePerEvent();
  const logger = memoryLogger();
  const userId = randomUUID();
  // The user service's record of the user: what notify must use, whatever the event says.
  const directory = new Map<string, { email: string; name: string }>([
    [userId, { email: 'ada@example.com', name: 'Ada Lovelace' }],
  ]);
  const contactOf = (id: string) => Promise.resolve(directory.get(id));
  const ports = { contactOf, inbox, mailer: withMailer ? mailer : undefined, once, logger };
  const event = {
    id: randomUUID(),
    data: {
      userId,
      email: 'mallory@example.net',
      name: 'Mallory <a href="https://evil.example">',
      registeredAt: REGISTERED_AT,
    },
  };
  const deliver = () => notifyUserRegistered(ports, event);
  /** The welcome entry every delivery of `event` writes. */
  const entry = {
    id: event.id,
    time: new Date(REGISTERED_AT),
    kind: 'welcome',
    data: { title: 'Welcome, Ada Lovelace!', body: WELCOME_BODY },
  };
  const readInbox = () => inbox.read(event.data.userId);
  return { inbox, mailer, processed, logger, event, deliver, entry, readInbox, directory, ports };
}

test('an event about a user the user service does not know notifies nobody, and is done', async (t) => {
  const { mailer, processed, logger, event, deliver, readInbox, directory } = setup();
  directory.clear();
  t.is(await deliver(), 'processed');
  t.deepEqual(await readInbox(), { items: [] });
  t.deepEqual(mailer.sent, []);
  t.deepEqual([...processed], [event.id]);
  t.is(logger.lines.length, 1);
});

test('a name is plain text on one line: line breaks and direction overrides become spaces', async (t) => {
  const { mailer, event, deliver, directory } = setup();
  directory.set(event.data.userId, { email: 'ada@example.com', name: 'Ada\r\n\r\nClick http://x\u202Eevil' });
  await deliver();
  t.regex(mailer.sent[0]?.text ?? '', /^Hello Ada {4}Click http:\/\/x evil,\n\n/);
});

test('welcomes the user: an inbox entry keyed by event id and registration time, and one e-mail', async (t) => {
  const { mailer, processed, logger, event, deliver, entry, readInbox } = setup();
  t.is(await deliver(), 'processed');
  t.deepEqual(await readInbox(), { items: [entry] });
  t.deepEqual(mailer.sent, [
    {
      to: 'ada@example.com',
      subject: 'Welcome to the shop',
      text: welcomeMail({ name: 'Ada Lovelace', email: 'ada@example.com' }).text,
    },
  ]);
  t.regex(mailer.sent[0]?.text ?? '', /^Hello Ada Lovelace,\n/);
  t.deepEqual([...processed], [event.id]);
  t.deepEqual(logger.lines, []);
});

test('a redelivery writes the same entry and sends no second e-mail', async (t) => {
  const { inbox, mailer, event, deliver, entry, readInbox } = setup();
  t.is(await deliver(), 'processed');
  t.is(await deliver(), 'duplicate');
  t.deepEqual(await readInbox(), { items: [entry] });
  t.is(await inbox.count(event.data.userId), 1);
  t.is(mailer.attempts.length, 1);
});

test('of two concurrent deliveries of one event, one sends the e-mail', async (t) => {
  const { mailer, deliver, entry, readInbox } = setup();
  const outcomes = await Promise.all([deliver(), deliver()]);
  t.deepEqual([...outcomes].sort(), ['duplicate', 'processed']);
  t.is(mailer.attempts.length, 1);
  t.deepEqual(await readInbox(), { items: [entry] });
});

test('a temporary mail failure fails the delivery, unrecorded, and the redelivery sends the e-mail', async (t) => {
  const { mailer, processed, event, deliver, entry, readInbox } = setup();
  mailer.failTemporarily('ada@example.com');
  const error = await t.throwsAsync(deliver(), { instanceOf: AppError });
  t.like(error, { kind: 'unavailable', code: 'MAIL.UNAVAILABLE' });
  t.deepEqual(await readInbox(), { items: [entry] }, 'the inbox entry is written before the mail');
  t.deepEqual(mailer.sent, []);
  t.false(processed.has(event.id));

  t.is(await deliver(), 'processed');
  t.is(mailer.sent.length, 1);
  t.deepEqual(await readInbox(), { items: [entry] });
  t.true(processed.has(event.id));
});

test('a permanent refusal keeps the inbox entry, records the event and logs a warning', async (t) => {
  const { mailer, processed, logger, event, deliver, entry, readInbox } = setup();
  mailer.refuse('ada@example.com');
  t.is(await deliver(), 'processed');
  t.deepEqual(await readInbox(), { items: [entry] });
  t.deepEqual(mailer.sent, []);
  t.deepEqual(logger.lines, [
    {
      level: 'warn',
      msg: "the mail server refuses the user's address; e-mail not sent",
      fields: { userId: event.data.userId, kind: 'welcome' },
    },
  ]);
  t.true(processed.has(event.id));
  t.is(await deliver(), 'duplicate', 'a redelivery does not try again');
  t.is(mailer.attempts.length, 1);
});

test('without a mail server the inbox is the only channel, still once per event', async (t) => {
  const { mailer, processed, event, deliver, entry, readInbox } = setup(false);
  t.is(await deliver(), 'processed');
  t.is(await deliver(), 'duplicate');
  t.deepEqual(await readInbox(), { items: [entry] });
  t.deepEqual(mailer.attempts, []);
  t.deepEqual([...processed], [event.id]);
});
