import test from 'ava';
import {
  assertSearchable,
  INNODB_INDEXED_WORDS,
  isIndexed,
  searchTerms,
} from '../../../shared/domain/product/product-search';
import { AppError } from '../../../shared/errors/app-error';

test('searchTerms splits on everything but letters and digits, lower-cased, in the order typed', (t) => {
  t.deepEqual(searchTerms('Red  ceramic TEAPOT'), {
    words: ['red', 'ceramic', 'teapot'],
    lastIsPrefix: true,
  });
  t.deepEqual(searchTerms('t-shirt,size:XL/2024'), {
    words: ['t', 'shirt', 'size', 'xl', '2024'],
    lastIsPrefix: true,
  });
  t.deepEqual(searchTerms("o'brien's café_crème"), {
    words: ['o', 'brien', 's', 'café', 'crème'],
    lastIsPrefix: true,
  });
});

test('searchTerms keeps letters and digits of every script', (t) => {
  t.deepEqual(searchTerms('Ἀθῆναι 東京 Москва ٣٤ ①'), {
    words: ['ἀθῆναι', '東京', 'москва', '٣٤', '①'],
    lastIsPrefix: true,
  });
  t.deepEqual(searchTerms('ÉCOLE Straße'), { words: ['école', 'straße'], lastIsPrefix: true });
});

test('searchTerms drops repeated words, whatever their case, keeping the last, so the word typed last stays last', (t) => {
  t.deepEqual(searchTerms('mug Red MUG red cup'), { words: ['mug', 'red', 'cup'], lastIsPrefix: true });
  t.deepEqual(searchTerms('teapot ceramic teapot'), { words: ['ceramic', 'teapot'], lastIsPrefix: true });
});

test('searchTerms: the last word is a prefix unless a separator follows it', (t) => {
  t.deepEqual(searchTerms('red shoe'), { words: ['red', 'shoe'], lastIsPrefix: true });
  t.deepEqual(searchTerms('red shoe '), { words: ['red', 'shoe'], lastIsPrefix: false });
  t.deepEqual(searchTerms('red shoe.'), { words: ['red', 'shoe'], lastIsPrefix: false });
  t.deepEqual(searchTerms('red shoe\t'), { words: ['red', 'shoe'], lastIsPrefix: false });
});

test('searchTerms of nothing to search is no words and no prefix', (t) => {
  for (const q of ['', '   ', '-- ,;! ?']) {
    t.deepEqual(searchTerms(q), { words: [], lastIsPrefix: false }, JSON.stringify(q));
  }
});

test('isIndexed: InnoDB keeps words of 3 characters or more that are not stop words', (t) => {
  t.is(INNODB_INDEXED_WORDS.minLength, 3);
  for (const word of ['mug', 'cup', 'teapot', '123', 'tür', '東京都'])
    t.true(isIndexed(word, INNODB_INDEXED_WORDS), word);
  for (const word of ['', 'a', 'tv', 'xl', '42', '東京'])
    t.false(isIndexed(word, INNODB_INDEXED_WORDS), word);
  for (const word of ['the', 'and', 'for', 'with', 'about', 'www', 'und', 'what']) {
    t.is(isIndexed(word, INNODB_INDEXED_WORDS), word === 'and', word);
  }
});

test('isIndexed counts characters, not UTF-16 units', (t) => {
  // Two astral characters are four UTF-16 units but two characters: too short.
  t.false(isIndexed('𝒜𝒝', INNODB_INDEXED_WORDS));
  t.true(isIndexed('𝒜𝒝𝒞', INNODB_INDEXED_WORDS));
});

const tooVague = { kind: 'invalid', code: 'PRODUCT.SEARCH_TOO_VAGUE' } as const;

test('assertSearchable refuses a search with no word the index keeps', (t) => {
  for (const q of ['a', 'of the', 'tv', 'to be or', 'A TV OF THE']) {
    const error = t.throws(
      () => {
        assertSearchable(searchTerms(q), INNODB_INDEXED_WORDS);
      },
      { instanceOf: AppError },
      q,
    );
    t.like(
      error,
      { ...tooVague, fields: [{ field: 'q', message: 'has no word specific enough to search by' }] },
      q,
    );
  }
});

test('assertSearchable accepts a search with one good word among vague ones, and an empty search', (t) => {
  for (const q of ['mug', 'of the mug', 'a tv stand', 'XL t-shirt', '', '  ']) {
    t.notThrows(() => {
      assertSearchable(searchTerms(q), INNODB_INDEXED_WORDS);
    }, q);
  }
});
