import { z } from 'zod';
import { AcceptedCurrencies } from '../../shared/domain/product/money';

/** The currencies the store sells in (ISO 4217, comma-separated); a price in another is refused. */
export const CurrencyEnv = z.object({ PRODUCT_CURRENCIES: AcceptedCurrencies.default(['USD']) });
