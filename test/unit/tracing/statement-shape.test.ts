import test from 'ava';
import fc from 'fast-check';
import { escape } from 'mysql2';
import { statementShape, statementSpanName } from '../../../shared/tracing/statement-shape';

test('a value written into the SQL is gone from its shape, whatever the value', (t) => {
  const template = (literal: string) =>
    `SELECT \`id\` FROM \`users\` AS \`User\` WHERE \`User\`.\`email\` = ${literal} AND \`n\` > ${literal} LIMIT 1;`;
  const expected = statementShape(template('?')).text;
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string({ unit: 'binary' }),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
      ),
      (value) => {
        const shape = statementShape(template(escape(value)));
        t.is(shape.text, expected);
      },
    ),
  );
});

test('lists read as one, whatever their length; identifiers and placeholders stay', (t) => {
  t.is(
    statementShape("SELECT * FROM `t1` WHERE `c2` IN (1, 'a', 0x1F) AND d = $1 AND e = ?").text,
    'SELECT * FROM `t1` WHERE `c2` IN (?) AND d = $1 AND e = ?',
  );
  t.is(
    statementShape('INSERT INTO `outbox` (`id`,`data`) VALUES (?,?),(?,?),(?,?);').text,
    'INSERT INTO `outbox` (`id`,`data`) VALUES (?);',
  );
});

test('a quote left open drops the rest of the statement', (t) => {
  t.is(
    statementShape("SELECT a FROM t WHERE b = 'secret that never ends").text,
    'SELECT a FROM t WHERE b = ?',
  );
});

test('the span is named by operation and table, as the semantic conventions ask', (t) => {
  const name = (sql: string) => statementSpanName(statementShape(sql), 'mariadb');
  t.is(name("UPDATE `orders` SET `status`='PAID' WHERE `id` = 'x'"), 'UPDATE orders');
  t.is(name('DELETE FROM processed_events WHERE processed_at < ?'), 'DELETE processed_events');
  t.is(name('INSERT INTO ks.history (a) VALUES (?)'), 'INSERT ks.history');
  t.is(name('SELECT 1+1 AS result'), 'SELECT');
  t.is(name('START TRANSACTION;'), 'START TRANSACTION');
  t.is(name('COMMIT;'), 'COMMIT');
  t.is(name(''), 'mariadb');
});
