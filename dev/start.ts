// `npm start`: the whole product on this machine. Embedded by default (SQLite and an in-process broker log under
// .data/embedded, nothing else needed); `npm start -- --infra` uses MariaDB, Kafka and Cassandra instead
// (started with the project's own scripts). Ctrl-C stops everything; the data stays for the next start.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../shared/config/load-config';
import { createLogger } from '../shared/log/logger';
import { buildFunctions } from './build';
import { startLocalStack, type LocalStack } from './local-stack/local-stack';

const StartEnv = z.object({
  DEV_GATEWAY_PORT: z.coerce.number().int().min(1).max(65535).default(8000),
  DEV_BROKER_PORT: z.coerce.number().int().min(1).max(65535).default(8081),
  ADMIN_EMAIL: z.string().default('admin@shop.local'),
  ADMIN_PASSWORD: z.string().default('admin-password-dev'),
});

const root = path.resolve(__dirname, '..');

function printWhereEverythingIs(stack: LocalStack, env: z.infer<typeof StartEnv>, mode: string): void {
  const lines = [
    '',
    `The shop runs (${mode}).`,
    `  API gateway (routes and plugins of kong/kong.yml)  ${stack.gateway.url}`,
    `  broker ingress (K_SINK)                             ${stack.broker.ingressUrl}`,
    `  dead letters                                        ${stack.broker.url}/dead-letters`,
    ...stack.functions.map((fn) => {
      const kind = fn.definition.trigger.kind === 'grpc' ? `grpc://127.0.0.1:${fn.port}` : fn.url;
      return `  ${fn.definition.name.padEnd(50)} ${kind}`;
    }),
    '',
    'Sign in as the admin:',
    `  curl -s ${stack.gateway.url}/v1/auth/login -H 'content-type: application/json' \\`,
    `    -d '{"email":"${env.ADMIN_EMAIL}","password":"${env.ADMIN_PASSWORD}"}'`,
    '',
    'Ctrl-C stops everything; the data stays for the next start.',
  ];
  console.log(lines.join('\n'));
}

async function main(): Promise<void> {
  const infra = process.argv.includes('--infra');
  const env = loadConfig(StartEnv);
  const logger = createLogger('local-stack');
  if (infra) {
    const up = spawnSync('npm', ['run', '--silent', 'infra:up'], { cwd: root, stdio: 'inherit' });
    if (up.status !== 0) throw new Error('The infrastructure did not start (see above).');
  }
  await buildFunctions();
  const stack = await startLocalStack({
    mode: infra ? 'infra' : 'embedded',
    dataDir: path.join(root, '.data', 'embedded'),
    gatewayPort: env.DEV_GATEWAY_PORT,
    brokerPort: env.DEV_BROKER_PORT,
    logger,
  });
  printWhereEverythingIs(
    stack,
    env,
    infra ? 'MariaDB, Kafka and Cassandra' : 'embedded: SQLite under .data/embedded',
  );
  const stop = () => {
    console.log('\nStopping…');
    stack.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
