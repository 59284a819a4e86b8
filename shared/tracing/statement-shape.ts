/** What a span may say about one SQL or CQL statement: its text with every literal value taken out, and its kind. */
export interface StatementShape {
  /** The statement with each literal (string, number, hex) as `?`, and a list of them as one `?`. */
  readonly text: string;
  /** The first keyword, upper case: SELECT, INSERT, UPDATE, DELETE, START TRANSACTION, COMMIT... */
  readonly operation: string;
  /** The table the statement reads or writes first, when its form names one. */
  readonly collection: string | undefined;
}

/** Longer statements are cut: a trace view needs the shape, not a page of generated columns. */
const MAX_TEXT_LENGTH = 2_000;

// One pass over the statement, so a quote inside an identifier (or a digit inside a string) is read in its place:
// quoted identifiers stay, string literals ('' and \' escapes; "…" is a string in MySQL), hex and numbers go. A
// number glued to a word or a `$1` bind position is not a literal; a sign after an operator or a space is the number's.
const TOKEN =
  /`(?:[^`]|``)*`|'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|\b0x[0-9a-f]+\b|(?<![\w$.)`])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?\b/gi;
// `IN (?, ?, ?)` and `VALUES (?, ?), (?, ?)` read as one list whatever their length.
const LIST = /\(\s*\?(?:\s*,\s*\?)*\s*\)(?:\s*,\s*\(\s*\?(?:\s*,\s*\?)*\s*\))*/g;
const IDENTIFIER = String.raw`((?:\x60(?:[^\x60]|\x60\x60)*\x60|[A-Za-z_][\w$]*)(?:\.(?:\x60(?:[^\x60]|\x60\x60)*\x60|[A-Za-z_][\w$]*))?)`;
const COLLECTION: Readonly<Record<string, RegExp>> = {
  SELECT: new RegExp(String.raw`\bFROM\s+${IDENTIFIER}`, 'i'),
  DELETE: new RegExp(String.raw`\bFROM\s+${IDENTIFIER}`, 'i'),
  INSERT: new RegExp(String.raw`\bINTO\s+${IDENTIFIER}`, 'i'),
  REPLACE: new RegExp(String.raw`\bINTO\s+${IDENTIFIER}`, 'i'),
  UPDATE: new RegExp(String.raw`^\s*UPDATE\s+(?:LOW_PRIORITY\s+|IGNORE\s+)*${IDENTIFIER}`, 'i'),
};

/**
 * The shape of a statement, safe to put on a span: Sequelize writes the values of a model query into its SQL, and a
 * value may be an e-mail address, a token hash or a customer's search words. The statement is read as it is sent,
 * so what is left is the query's form, the same for every value.
 */
export function statementShape(statement: string): StatementShape {
  let text = statement.trim().replace(TOKEN, (token) => (token.startsWith('`') ? token : '?'));
  // A quote the pass could not close (a statement cut short) would leave a value behind: drop the rest.
  const open = text.search(/['"]/);
  if (open >= 0) text = `${text.slice(0, open)}?`;
  text = text.replace(LIST, '(?)').replace(/\s+/g, ' ');
  if (text.length > MAX_TEXT_LENGTH) text = `${text.slice(0, MAX_TEXT_LENGTH)}…`;
  const words = /^\s*([A-Za-z]+)(?:\s+([A-Za-z]+))?/.exec(text);
  const first = (words?.[1] ?? '').toUpperCase();
  const operation =
    first === 'START' || first === 'SET' ? `${first} ${(words?.[2] ?? '').toUpperCase()}`.trim() : first;
  const collection = COLLECTION[first]?.exec(text)?.[1]?.replace(/`/g, '');
  return { text, operation, collection };
}

/** The span name semantic conventions ask for: `{operation} {collection}`, or the operation alone. */
export function statementSpanName(shape: StatementShape, system: string): string {
  if (!shape.operation) return system;
  return shape.collection ? `${shape.operation} ${shape.collection}` : shape.operation;
}
