import { runInNewContext } from 'node:vm';
import test from 'ava';
import { escapeNonAscii } from '../../dev/bundle';

// What esbuild leaves unescaped in a bundle: regular expressions (validator's locales) and comments.
const source = String.raw`
// ¥ and ± in a comment
exports.latin = /^[A-ZÄÖÜß]+$/i;
exports.cyrillic = /^(УНП )?\d{9}$/;
exports.astral = /^[😀-😎]$/u;
exports.astralPairs = /^😀$/;
`;

function evaluate(code: string): Record<string, RegExp> {
  const exports: Record<string, RegExp> = {};
  runInNewContext(code, { exports });
  return exports;
}

test('the escaped code is pure ASCII', (t) => {
  t.regex(source, /[\u0080-\uffff]/);
  t.notRegex(escapeNonAscii(source), /[\u0080-\uffff]/);
});

test('regular expressions match exactly what they matched before escaping', (t) => {
  const before = evaluate(source);
  const after = evaluate(escapeNonAscii(source));
  const samples = [
    'ÄÖÜSS',
    'äöüß',
    'ABC',
    'УНП 123456789',
    '123456789',
    'УНП12',
    '😃',
    '😏',
    '😀',
    '\uD83D',
    'A',
  ];
  for (const [name, pattern] of Object.entries(before)) {
    for (const sample of samples) {
      t.is(after[name]?.test(sample), pattern.test(sample), `${name} on ${sample}`);
    }
  }
});
