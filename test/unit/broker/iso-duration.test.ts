import test from 'ava';
import { parseIsoDurationMs } from '../../../dev/broker/iso-duration';

test('durations as Knative writes them, in milliseconds, each unit and all together', (t) => {
  const cases: [string, number][] = [
    ['PT0.2S', 200],
    ['PT1S', 1000],
    ['PT1M', 60_000],
    ['PT1H', 3_600_000],
    ['P1D', 86_400_000],
    ['P1W', 604_800_000],
    ['P2W3DT4H5M6.5S', 2 * 604_800_000 + 3 * 86_400_000 + 4 * 3_600_000 + 5 * 60_000 + 6500],
    ['PT1.5M', 90_000],
    ['PT0S', 0],
    // Several digits, before and after the point, in every unit.
    ['P12W', 12 * 604_800_000],
    ['P0.25W', 151_200_000],
    ['P10D', 864_000_000],
    ['P0.25D', 21_600_000],
    ['PT10H', 36_000_000],
    ['PT0.25H', 900_000],
    ['PT10M', 600_000],
    ['PT0.25M', 15_000],
    ['PT10S', 10_000],
    ['PT0.25S', 250],
  ];
  for (const [text, ms] of cases) t.is(parseIsoDurationMs(text), ms, text);
});

test('fractions of a millisecond round to the nearest', (t) => {
  t.is(parseIsoDurationMs('PT0.0004S'), 0);
  t.is(parseIsoDurationMs('PT0.0006S'), 1);
  t.is(parseIsoDurationMs('PT1.2345S'), 1235);
});

test('anything else is refused: calendar units, signs, empty parts, other spellings', (t) => {
  for (const text of [
    '',
    'P',
    'PT',
    'P1DT',
    'P1Y',
    'P1M',
    'PT-1S',
    '1S',
    'PT1S ',
    ' PT1S',
    'pt1s',
    'PT1.S',
    'PT.5S',
    'PT1S1M',
    'P1D1W',
    'PT1H1H',
    'P1.xW',
    'P1.xD',
    'PT1.xH',
    'PT1.xM',
    'PT1.xS',
  ]) {
    t.is(parseIsoDurationMs(text), undefined, JSON.stringify(text));
  }
});
