import { z } from 'zod';
import { AppError } from '../../errors/app-error';

/**
 * An amount of money in minor units (1999 is 19.99 in a two-decimal currency) and its ISO 4217 code. Integers only:
 * a float would round prices, and a string would let `"19.99"` mean something else to each reader.
 */
export const Money = z
  .object({
    amount: z.number().int('must be a whole number of minor units').min(0).max(Number.MAX_SAFE_INTEGER),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code in upper case, e.g. USD'),
  })
  .strict();
export type Money = z.infer<typeof Money>;

/** Money as the API answers it: the same two fields, without the input's refusal of others. */
export const MoneyView = z
  .object({
    amount: z
      .number()
      .int()
      .min(0)
      .meta({ description: 'Whole minor units: 1999 is 19.99 in a two-decimal currency.' }),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .meta({ description: 'ISO 4217 code.' }),
  })
  .meta({ id: 'Money' });
export type MoneyView = z.infer<typeof MoneyView>;

/** The currencies a store sells in, from its configuration: a list of ISO 4217 codes. */
export const AcceptedCurrencies = z
  .string()
  .transform((list) => list.split(',').map((code) => code.trim()))
  .pipe(z.array(z.string().regex(/^[A-Z]{3}$/, 'must be ISO 4217 codes in upper case')).min(1));

/** A price in a currency the store does not sell in is a 400, like a malformed one. */
export function assertAcceptedCurrency(currency: string, accepted: readonly string[]): void {
  if (!accepted.includes(currency)) {
    throw new AppError(
      'invalid',
      'PRODUCT.CURRENCY_NOT_ACCEPTED',
      `Prices are in ${accepted.join(' or ')}.`,
      [{ field: 'price.currency', message: `must be one of ${accepted.join(', ')}` }],
    );
  }
}

/**
 * The minor-unit digits of each currency seen, kept: notify and place-order format money for every order, and a CPU
 * profile of notify under bench/order-saga.ts found 3% of its time in building an Intl.NumberFormat to ask.
 */
const minorDigits = new Map<string, number>();

function minorDigitsOf(currency: string): number {
  let digits = minorDigits.get(currency);
  if (digits === undefined) {
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2;
    minorDigits.set(currency, digits);
  }
  return digits;
}

/** Money as people read it: `64.99 USD` (the minor units by the currency's own digits: none for JPY). */
export function formatMoney({ amount, currency }: Money): string {
  const digits = minorDigitsOf(currency);
  return `${(amount / 10 ** digits).toFixed(digits)} ${currency}`;
}
