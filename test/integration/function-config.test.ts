// Config comes from each function's declaration: the generator mounts exactly the variables the function reads
// when it starts (its stores', its token checks' and its own), secrets from the Secret and the rest from the
// ConfigMap. Checked against what the runtime really reads, recorded through the environment it is given.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import test from 'ava';
import { parseAllDocuments } from 'yaml';
import { functionFolders } from '../../dev/build';
import { EMBEDDED_ONLY_VARIABLES, KAFKA_AUTH_SECRET } from '../../dev/deploy/deploy-settings';
import { functionFile } from '../../dev/deploy/render-knative';
import { createFunctionInstance } from '../../shared/kit/function-instance';
import { registeredFunction } from '../../shared/kit/register';
import { createLogger } from '../../shared/log/logger';

const root = path.resolve(__dirname, '../..');
const load = createRequire(__filename);
const logger = createLogger('function-config-test', { level: 'silent' });

interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { configMapKeyRef?: { key: string }; secretKeyRef?: { name: string; key: string } };
}

/** The variables a function's committed Knative Service sets, by where they come from. */
function mounted(name: string): {
  configMap: string[];
  secret: string[];
  kafkaAuth: string[];
  literal: string[];
} {
  const text = readFileSync(path.join(root, functionFile(name)), 'utf8');
  const service = parseAllDocuments(text)
    .map((document) => document.toJS() as { kind: string; spec: unknown })
    .find((document) => document.kind === 'Service') as {
    spec: { template: { spec: { containers: { env: EnvVar[] }[] } } };
  };
  const env = service.spec.template.spec.containers[0]?.env ?? [];
  return {
    configMap: env.filter((v) => v.valueFrom?.configMapKeyRef).map((v) => v.name),
    secret: env
      .filter((v) => v.valueFrom?.secretKeyRef && v.valueFrom.secretKeyRef.name !== KAFKA_AUTH_SECRET)
      .map((v) => v.name),
    // Kafka's credentials, from the Secret the Kafka broker reads, under its keys.
    kafkaAuth: env
      .filter((v) => v.valueFrom?.secretKeyRef?.name === KAFKA_AUTH_SECRET)
      .map((v) => `${v.name}=${v.valueFrom?.secretKeyRef?.key ?? ''}`),
    literal: env.filter((v) => v.value !== undefined).map((v) => v.name),
  };
}

/** Builds a function as its process would, recording every variable it reads from its environment. */
async function variablesRead(name: string, folderEntry: string): Promise<Set<string>> {
  load(folderEntry);
  const read = new Set<string>();
  // Every store at a closed port: login makes its admin exist as it starts, and must reach no real database.
  const closed = {
    MYSQL_PORT: '1',
    KAFKA_BROKERS: '127.0.0.1:1',
    CASSANDRA_CONTACT_POINTS: '127.0.0.1:1',
    USER_GRPC_ADDRESS: '127.0.0.1:1',
    PRODUCT_GRPC_ADDRESS: '127.0.0.1:1',
  };
  const env = new Proxy<NodeJS.ProcessEnv>(closed, {
    get(target, key) {
      if (typeof key === 'string') read.add(key);
      return Reflect.get(target, key) as unknown;
    },
  });
  const instance = await createFunctionInstance(registeredFunction(name), { env, logger });
  await instance.close();
  return read;
}

for (const folder of functionFolders()) {
  test(`${folder.name}: the deployment mounts exactly the variables the function reads`, async (t) => {
    const read = await variablesRead(folder.name, folder.entry);
    const { configMap, secret, kafkaAuth, literal } = mounted(folder.name);
    // NODE_ENV is set in the manifest itself; LOG_LEVEL is read by the logger from the process's own environment.
    t.deepEqual(literal, ['NODE_ENV']);
    const expected = [...read, 'LOG_LEVEL']
      .filter((variable) => variable !== 'NODE_ENV' && !EMBEDDED_ONLY_VARIABLES.includes(variable))
      .sort();
    const credentials = kafkaAuth.map((pair) => pair.split('=')[0] ?? '');
    t.deepEqual([...configMap, ...secret, ...credentials].sort(), [...new Set(expected)]);
  });
}

test('a function is given only the secrets it reads', (t) => {
  t.deepEqual(mounted('register').secret, ['MYSQL_PASSWORD']);
  t.deepEqual(mounted('login').secret, ['ADMIN_PASSWORD', 'JWT_PRIVATE_KEY', 'MYSQL_PASSWORD']);
  t.deepEqual(mounted('user-query').secret, ['MYSQL_PASSWORD']);
  t.deepEqual(mounted('notify').secret, ['INTERNAL_TOKEN', 'MYSQL_PASSWORD', 'SMTP_URL']);
  t.deepEqual(mounted('user-grpc').secret, ['INTERNAL_TOKEN', 'MYSQL_PASSWORD']);
  t.false(mounted('user-query').configMap.includes('KAFKA_BROKERS'), 'user-query publishes nothing');
  t.false(mounted('login').configMap.includes('KAFKA_BROKERS'), 'login publishes nothing');
  t.true(mounted('register').configMap.includes('KAFKA_BROKERS'), 'register publishes');
  t.deepEqual(mounted('register').kafkaAuth, [
    'KAFKA_CA_CERT=ca.crt',
    'KAFKA_SASL_MECHANISM=sasl.mechanism',
    'KAFKA_SASL_PASSWORD=password',
    'KAFKA_SASL_USER=user',
    'KAFKA_SECURITY_PROTOCOL=protocol',
  ]);
  t.deepEqual(mounted('login').kafkaAuth, [], 'login talks to no Kafka');
});
