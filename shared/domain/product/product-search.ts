import { z } from 'zod';
import { AppError } from '../../errors/app-error';
import type { ProductStatus } from './product';

/**
 * The words of a search: letters and digits, as a full-text index splits text (everything else separates words),
 * lower-cased, repeats dropped (the last one kept), in the order typed. Every word must appear in the name or the description; the
 * last may be the start of a word (the user is still typing it).
 */
export interface SearchTerms {
  readonly words: readonly string[];
  readonly lastIsPrefix: boolean;
}

export function searchTerms(q: string): SearchTerms {
  const typed = q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  // Repeats dropped keeping the last one, so the word being typed stays last ("teapot ceramic tea").
  const words = [...new Set(typed.reverse())].reverse();
  // A trailing separator ("red shoe ") means the last word is complete.
  const lastIsPrefix = words.length > 0 && /[\p{L}\p{N}]$/u.test(q);
  return { words, lastIsPrefix };
}

/**
 * What a full-text index keeps: InnoDB skips words shorter than `innodb_ft_min_token_size` (3 by default) and its
 * stop words, so a required word it never indexed would match nothing at all. Such words are matched another way
 * (see the SQL store); a search must hold at least one word the index keeps, or it would scan the catalogue.
 */
export interface IndexedWords {
  readonly minLength: number;
  readonly stopWords: ReadonlySet<string>;
}

/** InnoDB's defaults (`innodb_ft_min_token_size`, `INFORMATION_SCHEMA.INNODB_FT_DEFAULT_STOPWORD`). */
export const INNODB_INDEXED_WORDS: IndexedWords = {
  minLength: 3,
  stopWords: new Set(
    'a about an are as at be by com de en for from how i in is it la of on or that the this to was what when where who will with und www'.split(
      ' ',
    ),
  ),
};

export function isIndexed(word: string, rules: IndexedWords): boolean {
  // Characters, not UTF-16 units, as InnoDB counts them.
  return (word.match(/./gsu)?.length ?? 0) >= rules.minLength && !rules.stopWords.has(word);
}

/** Throws a 400 for a search with no word the index keeps ("a", "of the"): it would not narrow anything. */
export function assertSearchable(terms: SearchTerms, rules: IndexedWords): void {
  if (terms.words.length > 0 && !terms.words.some((word) => isIndexed(word, rules))) {
    throw new AppError(
      'invalid',
      'PRODUCT.SEARCH_TOO_VAGUE',
      `Search with at least one word of ${String(rules.minLength)} or more letters that is not a common word.`,
      [{ field: 'q', message: 'has no word specific enough to search by' }],
    );
  }
}

export const ProductSort = z.enum(['price', '-price', 'name', '-createdAt']);
export type ProductSort = z.infer<typeof ProductSort>;

/** A catalogue search as the stores run it. */
export interface ProductSearch {
  readonly terms: SearchTerms;
  /** Products of this category or of any category below it, at any depth; undefined: any category. */
  readonly categoryId?: string;
  readonly minPrice?: number;
  readonly maxPrice?: number;
  readonly inStock?: boolean;
  readonly statuses: readonly ProductStatus[];
  readonly sort: ProductSort;
  readonly page: number;
  readonly pageSize: number;
}
