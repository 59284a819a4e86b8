import type { ReceivedDeadLetter } from '../domain/dead-letter';
import {
  CLOUDEVENTS_EVENT_TYPE,
  DEAD_LETTER_SUBSCRIBER,
  HTTP_RESPONSE_STATUS_CODE,
} from '../tracing/span-attributes';
import { lazyInstruments } from './meter';

const instruments = lazyInstruments((meter) => ({
  deadLettered: meter.createCounter('ecom.events.dead_lettered', {
    unit: '{event}',
    description:
      'Events the broker gave up delivering (refused at once, or retries spent), by event type, subscriber and last status.',
  }),
}));

/** Our event types (`com.ecom.*`); anything else is `_OTHER`, so a stray record cannot make up series. */
const SHOP_EVENT_TYPE = /^com\.ecom\.[a-z][a-z0-9.-]*$/;

/**
 * Counts one dead letter in `ecom.events.dead_lettered`: every event that reached the dead-letter topic, whether the
 * subscriber refused it at once or the broker's retries ran out (which no subscriber sees), by event type, the
 * function it was meant for, and that function's last status (absent when it never answered).
 */
export function deadLetterCounted(letter: Pick<ReceivedDeadLetter, 'type' | 'subscriber' | 'status'>): void {
  instruments().deadLettered.add(1, {
    [CLOUDEVENTS_EVENT_TYPE]: SHOP_EVENT_TYPE.test(letter.type) ? letter.type : '_OTHER',
    [DEAD_LETTER_SUBSCRIBER]: letter.subscriber ?? '_OTHER',
    ...(letter.status === undefined ? {} : { [HTTP_RESPONSE_STATUS_CODE]: letter.status }),
  });
}
