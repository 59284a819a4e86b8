import test from 'ava';
import { z } from 'zod';
import { CassandraEnv, KafkaEnv, MysqlEnv } from '../../shared/config/env-schemas';
import { ConfigError, loadConfig } from '../../shared/config/load-config';

test('defaults apply for a laptop', (t) => {
  t.deepEqual(loadConfig(MysqlEnv, {}), {
    MYSQL_HOST: '127.0.0.1',
    MYSQL_PORT: 3306,
    MYSQL_USER: 'root',
    MYSQL_PASSWORD: '',
  });
  t.deepEqual(loadConfig(KafkaEnv, {}).KAFKA_BROKERS, ['127.0.0.1:9092']);
});

test('lists are split and trimmed', (t) => {
  const env = loadConfig(CassandraEnv, { CASSANDRA_CONTACT_POINTS: 'c1:9042, c2:9042,' });
  t.deepEqual(env.CASSANDRA_CONTACT_POINTS, ['c1:9042', 'c2:9042']);
});

test('a bad value fails fast, naming every offending variable', (t) => {
  const schema = MysqlEnv.extend({ JWT_AUDIENCE: z.string().min(1) });
  const error = t.throws(() => loadConfig(schema, { MYSQL_PORT: 'not-a-port' }), { instanceOf: ConfigError });
  t.regex(error.message, /MYSQL_PORT/);
  t.regex(error.message, /JWT_AUDIENCE/);
});
