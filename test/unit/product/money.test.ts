import test from 'ava';
import {
  AcceptedCurrencies,
  assertAcceptedCurrency,
  formatMoney,
  Money,
} from '../../../shared/domain/product/money';
import { AppError } from '../../../shared/errors/app-error';

/** The fields a refused value's issues name (one field may have several issues). */
const refusedFields = (value: unknown) => {
  const result = Money.safeParse(value);
  return result.success ? [] : [...new Set(result.error.issues.map((issue) => issue.path.join('.')))];
};

test('Money takes whole minor units from 0 to MAX_SAFE_INTEGER and an upper-case ISO 4217 code', (t) => {
  for (const money of [
    { amount: 0, currency: 'USD' },
    { amount: 1999, currency: 'EUR' },
    { amount: Number.MAX_SAFE_INTEGER, currency: 'JPY' },
  ]) {
    t.deepEqual(Money.parse(money), money);
  }
});

test('Money refuses an amount that is fractional, negative, a string, not finite or above MAX_SAFE_INTEGER', (t) => {
  for (const amount of [
    19.99,
    0.5,
    -1,
    -0.01,
    '1999',
    Number.MAX_SAFE_INTEGER + 1,
    1e20,
    NaN,
    Infinity,
    null,
  ]) {
    t.deepEqual(refusedFields({ amount, currency: 'USD' }), ['amount'], String(amount));
  }
});

test('Money refuses a currency in lower or mixed case, of 2 or 4 letters, with digits, or missing', (t) => {
  for (const currency of ['usd', 'Usd', 'US', 'USDT', 'U5D', ' USD', 'USD ', '', 840, undefined]) {
    t.deepEqual(refusedFields({ amount: 100, currency }), ['currency'], String(currency));
  }
});

test('Money refuses unknown keys rather than dropping them', (t) => {
  const result = Money.safeParse({ amount: 100, currency: 'USD', decimals: 2 });
  t.false(result.success);
  t.deepEqual(
    result.error?.issues.map((issue) => ({ code: issue.code, path: issue.path })),
    [{ code: 'unrecognized_keys', path: [] }],
  );
});

test('AcceptedCurrencies parses a comma-separated list of codes, spaces around them ignored', (t) => {
  t.deepEqual(AcceptedCurrencies.parse('USD'), ['USD']);
  t.deepEqual(AcceptedCurrencies.parse('USD,EUR'), ['USD', 'EUR']);
  t.deepEqual(AcceptedCurrencies.parse(' USD , EUR,GBP '), ['USD', 'EUR', 'GBP']);
});

test('AcceptedCurrencies refuses an empty list, an empty entry, and codes that are not upper-case ISO 4217', (t) => {
  for (const list of ['', ' ', 'USD,', ',USD', 'USD,,EUR', 'usd', 'USD,eur', 'US', 'USD;EUR', 'USD EUR']) {
    t.false(AcceptedCurrencies.safeParse(list).success, JSON.stringify(list));
  }
});

test('assertAcceptedCurrency accepts a listed currency', (t) => {
  t.notThrows(() => {
    assertAcceptedCurrency('USD', ['USD']);
  });
  t.notThrows(() => {
    assertAcceptedCurrency('EUR', ['USD', 'EUR']);
  });
});

test('assertAcceptedCurrency refuses any other, case included, as a 400 naming the accepted ones', (t) => {
  for (const currency of ['GBP', 'usd', 'US', '']) {
    const error = t.throws(
      () => {
        assertAcceptedCurrency(currency, ['USD', 'EUR']);
      },
      { instanceOf: AppError },
      currency,
    );
    t.is(error.kind, 'invalid');
    t.is(error.code, 'PRODUCT.CURRENCY_NOT_ACCEPTED');
    t.is(error.message, 'Prices are in USD or EUR.');
    t.deepEqual(error.fields, [{ field: 'price.currency', message: 'must be one of USD, EUR' }]);
  }
});

test("formatMoney writes the minor units by each currency's own digits, whichever currencies came before", (t) => {
  // Alternating currencies: each answer must follow its own currency, not the one formatted before it.
  for (let round = 0; round < 2; round++) {
    t.is(formatMoney({ amount: 6499, currency: 'USD' }), '64.99 USD');
    t.is(formatMoney({ amount: 6499, currency: 'JPY' }), '6499 JPY');
    t.is(formatMoney({ amount: 6499, currency: 'BHD' }), '6.499 BHD');
    t.is(formatMoney({ amount: 5, currency: 'EUR' }), '0.05 EUR');
    t.is(formatMoney({ amount: 0, currency: 'JPY' }), '0 JPY');
  }
});
