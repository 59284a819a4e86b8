// `npm start`: the whole product on this machine. Embedded by default (SQLite and an in-process broker log under
// .data/embedded or DEV_DATA_DIR, nothing else needed); `npm start -- --infra` uses MariaDB, Kafka and Cassandra
// instead (started with the project's own scripts), and Zipkin with them: every request is traced there.
// `npm start -- --traces` traces the embedded stack too (it starts Zipkin alone, which needs Java). Ctrl-C stops
// everything; the data stays for the next start.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../shared/config/load-config';
import { createLogger } from '../shared/log/logger';
import { buildFunctions } from './build';
import { jwtKeyFiles, loadOrCreateJwtKeyPair } from './local-stack/jwt-key-pair';
import { loadOrCreateGatewayCertificate } from './gateway/gateway-certificate';
import { startLocalStack, type LocalStack } from './local-stack/local-stack';
import { DOCS_PATH } from './docs/docs-site';
import { infraEnv } from './infra/infra-env';

const StartEnv = z.object({
  DEV_GATEWAY_PORT: z.coerce.number().int().min(1).max(65535).default(8000),
  DEV_GATEWAY_HTTPS_PORT: z.coerce.number().int().min(1).max(65535).default(8443),
  DEV_BROKER_PORT: z.coerce.number().int().min(1).max(65535).default(8081),
  DEV_DATA_DIR: z.string().min(1).optional(),
  ADMIN_EMAIL: z.string().default('admin@shop.local'),
  // Only whether it is set: the banner says where the password comes from, never the password.
  ADMIN_PASSWORD: z.string().optional(),
});

const root = path.resolve(__dirname, '..');

function printWhereEverythingIs(
  stack: LocalStack,
  env: z.infer<typeof StartEnv>,
  mode: string,
  keys: { readonly file: string; readonly created: boolean },
  certificate: { readonly file: string; readonly created: boolean },
  tracesUi: string | undefined,
): void {
  // The functions read ADMIN_PASSWORD from this environment; unset, login falls back to its dev default.
  const passwordFrom =
    env.ADMIN_PASSWORD === undefined
      ? 'DEV_ADMIN_PASSWORD in functions/user/user-config.ts (ADMIN_PASSWORD is not set)'
      : 'ADMIN_PASSWORD in your environment';
  const lines = [
    '',
    `The shop runs (${mode}).`,
    `  API gateway (routes and plugins of kong/kong.yml)  ${stack.gateway.url}`,
    `    plain HTTP (redirects to HTTPS, as Kong does)     ${stack.gateway.httpUrl}`,
    `    gRPC (grpcs, the sidecars by kong.yml's routes)   ${stack.gateway.url.replace('https://', '')}`,
    `  API reference (OpenAPI, events, gRPC)               ${stack.gateway.url}${DOCS_PATH}`,
    ...(tracesUi ? [`  traces (Zipkin)                                     ${tracesUi}`] : []),
    `  broker ingress (K_SINK)                             ${stack.broker.ingressUrl}`,
    `  dead letters                                        ${stack.broker.url}/dead-letters`,
    ...stack.functions.map((fn) => {
      const kind = fn.definition.trigger.kind === 'grpc' ? `grpc://127.0.0.1:${fn.port}` : fn.url;
      return `  ${fn.definition.name.padEnd(50)} ${kind}`;
    }),
    '',
    `Access tokens are signed with the key pair ${keys.created ? 'made now' : 'kept'} in ${keys.file}.`,
    '',
    `The gateway's HTTPS certificate (localhost, 127.0.0.1, ::1) is ${certificate.created ? 'made now' : 'kept'} in ${certificate.file}.`,
    '  Trust it once: curl --cacert <that file>; Node clients NODE_EXTRA_CA_CERTS=<that file>; for a browser,',
    "  add it to the system's or the browser's trusted certificates (it stays the same across starts).",
    '',
    `Sign in as the admin: ${env.ADMIN_EMAIL}, password from ${passwordFrom}:`,
    `  curl -s --cacert ${certificate.file} ${stack.gateway.url}/v1/auth/login -H 'content-type: application/json' \\`,
    `    -d '{"email":"${env.ADMIN_EMAIL}","password":"<the admin password>"}'`,
    '',
    'Ctrl-C stops everything; the data stays for the next start.',
  ];
  console.log(lines.join('\n'));
}

async function main(): Promise<void> {
  const infra = process.argv.includes('--infra');
  const traced = infra || process.argv.includes('--traces');
  const env = loadConfig(StartEnv);
  const logger = createLogger('local-stack');
  if (traced) {
    // All of it with --infra; Zipkin alone for an embedded stack with --traces.
    const up = spawnSync('npm', ['run', '--silent', 'infra:up', ...(infra ? [] : ['zipkin'])], {
      cwd: root,
      stdio: 'inherit',
    });
    if (up.status !== 0) throw new Error('The infrastructure did not start (see above).');
  }
  const zipkin = infraEnv.zipkin;
  await buildFunctions();
  const dataDir = path.resolve(env.DEV_DATA_DIR ?? path.join(root, '.data', 'embedded'));
  // A key pair of this machine's own rather than the committed dev keys, which anyone can sign tokens with.
  const jwt = loadOrCreateJwtKeyPair(dataDir);
  const certificate = await loadOrCreateGatewayCertificate(dataDir);
  const stack = await startLocalStack({
    jwtKeys: jwt.keys,
    mode: infra ? 'infra' : 'embedded',
    dataDir,
    gatewayPort: env.DEV_GATEWAY_PORT,
    gatewayHttpsPort: env.DEV_GATEWAY_HTTPS_PORT,
    gatewayTls: certificate,
    brokerPort: env.DEV_BROKER_PORT,
    ...(traced ? { tracing: { zipkinSpansEndpoint: zipkin.spansEndpoint } } : {}),
    logger,
  });
  printWhereEverythingIs(
    stack,
    env,
    infra ? 'MariaDB, Kafka and Cassandra' : `embedded: SQLite under ${dataDir}`,
    { file: jwtKeyFiles(dataDir).privateKey, created: jwt.created },
    { file: certificate.certFile, created: certificate.created },
    traced ? `${zipkin.url}/zipkin/` : undefined,
  );
  let stopping = false;
  const stop = () => {
    // A second Ctrl-C while stopping is ignored: dying half-way would leave functions running, and stopping is
    // bounded (each function gets 15 s before SIGKILL). `npm start` runs node with tsx's loader rather than tsx's
    // CLI, whose wrapper relays a signal again, or SIGKILLs, when this process is slow to acknowledge it.
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    stack.stop().then(
      () => {
        console.log('Stopped.');
        process.exit(0);
      },
      (error: unknown) => {
        console.error('Stopping failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
