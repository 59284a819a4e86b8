// The function images as CI builds them (dev/image): each image is built from dist/ on the offline base
// (dev/image/base-image.sh), started with buildah as the Knative Service would start it (the image's own command,
// user and environment, plus the deployment's variables), and must answer a real request from inside the container:
// a catalogue read (product-query), a sign-in that hashes and verifies with the argon2 addon (login), and the standard
// health check of a gRPC sidecar (user-grpc). Its process must run as the image's unprivileged user, and stop with
// exit 0 on SIGTERM. Each image's size is logged.
// chroot isolation shares the host's network, so the functions reach MariaDB on the host, and the test reaches them.
// Needs root, buildah and mmdebstrap (.ci/run installs them); elsewhere the image tests are skipped, never in CI.
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { credentials } from '@grpc/grpc-js';
import test, { type ExecutionContext } from 'ava';
import { createConnection } from 'mysql2/promise';
import { z } from 'zod';
import { buildFunctions } from '../../dev/build';
import {
  BUILDAH,
  buildah,
  buildFunctionImage,
  describeImage,
  ensureBaseImage,
  imageConfig,
  imageName,
  runtimeBase,
} from '../../dev/image/build-image';
import { freePort } from '../../dev/local-stack/free-port';
import { MysqlEnv } from '../../shared/config/env-schemas';
import { loadConfig } from '../../shared/config/load-config';
import { HEALTH_PROTO, HEALTH_SERVICE_NAME } from '../../shared/grpc/health-service';
import { loadProto } from '../../shared/grpc/load-proto';
import { callUnary } from '../fixtures/grpc/call-unary';
import { uniqueName } from '../support/unique-name';

const root = path.resolve(__dirname, '../..');
const FUNCTIONS = ['product-query', 'login', 'user-grpc'] as const;
/** The uid of the node images' `node` user, which the Dockerfile's `USER node` names. */
const NODE_UID = 1000;

function onPath(tool: string): boolean {
  return (process.env['PATH'] ?? '').split(':').some((dir) => dir !== '' && existsSync(path.join(dir, tool)));
}

/** Why images cannot be built here, if they cannot. */
const cannotBuild = ((): string | undefined => {
  if (process.getuid?.() !== 0) return 'building images with buildah here needs root';
  const missing = ['buildah', 'mmdebstrap'].filter((tool) => !onPath(tool));
  return missing.length > 0
    ? `${missing.join(' and ')} missing: apt-get install -y mmdebstrap buildah`
    : undefined;
})();
const inCi = process.env['CI'] === 'true';
// CI must prove the images: there a machine that cannot build them fails the test instead of skipping it.
const imageTest = cannotBuild !== undefined && !inCi ? test.serial.skip : test.serial;

const mysql = loadConfig(MysqlEnv);
const databases = { user: uniqueName('image_user'), product: uniqueName('image_product') };
const keys = generateKeyPairSync('ec', {
  namedCurve: 'P-256',
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const admin = { email: 'admin@image-test.local', password: randomBytes(18).toString('base64url') };

/**
 * What the deployment gives a function (its ConfigMap and Secret): the image itself says NODE_ENV=production, so the
 * committed dev keys, token and admin password are refused and each is set here.
 */
function deploymentEnv(database: string): Record<string, string> {
  return {
    MYSQL_HOST: mysql.MYSQL_HOST,
    MYSQL_PORT: String(mysql.MYSQL_PORT),
    MYSQL_USER: mysql.MYSQL_USER,
    MYSQL_PASSWORD: mysql.MYSQL_PASSWORD,
    MYSQL_DATABASE: database,
    JWT_PUBLIC_KEY: keys.publicKey,
    JWT_PRIVATE_KEY: keys.privateKey,
    INTERNAL_TOKEN: randomBytes(24).toString('hex'),
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    // Sessions are confirmed with user-grpc only for a token sent, and these requests send none.
    USER_GRPC_ADDRESS: '127.0.0.1:1',
  };
}

test.before(async () => {
  if (cannotBuild !== undefined) {
    // Elsewhere the image tests are skipped (imageTest), and there is nothing to prepare for them.
    if (!inCi) return;
    throw new Error(`the function images cannot be built: ${cannotBuild}`);
  }
  // Made once per machine (.ci/run's phase does it before the tests); a no-op when it is up to date.
  await ensureBaseImage();
  // The bundles the images are built from, rebuilt only where their sources changed.
  await buildFunctions(FUNCTIONS);
});

test.after.always(async () => {
  if (cannotBuild !== undefined) return;
  const connection = await createConnection({
    host: mysql.MYSQL_HOST,
    port: mysql.MYSQL_PORT,
    user: mysql.MYSQL_USER,
    password: mysql.MYSQL_PASSWORD,
  });
  for (const database of Object.values(databases))
    await connection.query(`DROP DATABASE IF EXISTS ${database}`);
  await connection.end();
});

interface RunningImage {
  readonly port: number;
  readonly output: () => string;
  /** Whether `buildah run` has ended: the function's process exited. */
  readonly ended: () => boolean;
  /** The function's own process (the image's command), as the host sees it. */
  readonly pid: () => Promise<number>;
  /** SIGTERM to the function's process, as Kubernetes stops a pod; the exit code `buildah run` passes on. */
  readonly stop: () => Promise<number | null>;
}

const Command = z.array(z.string()).min(1);

/** Builds `fn`'s image (logging its size), and starts a container of it with the deployment's `env` on a free port. */
async function buildAndStart(
  t: ExecutionContext,
  fn: string,
  env: Record<string, string>,
): Promise<RunningImage> {
  const image = await buildFunctionImage(fn);
  t.log(describeImage(image));
  const container = `ecom-image-test-${fn}-${randomBytes(4).toString('hex')}`;
  await buildah(['from', '--name', container, '--pull=never', image.name]);
  // Teardowns run last first: this one after the processes' below.
  t.teardown(() => buildah(['rm', container]).catch(() => undefined));
  // buildah run needs the command: the image's own (its CMD), so what runs is what the cluster would run.
  const config = await imageConfig(image.name);
  t.is(config.User, 'node', "the image's user");
  const command = Command.parse(config.Cmd);
  const port = await freePort();
  // Finds the function's process among the host's: chroot isolation keeps the host's PID namespace.
  const marker = `ECOM_IMAGE_TEST=${container}`;
  const variables = { ...env, PORT: String(port), ECOM_IMAGE_TEST: container };
  // No --user: the container runs as the image's USER.
  const running = spawn(
    BUILDAH,
    [
      'run',
      '--isolation',
      'chroot',
      ...Object.entries(variables).flatMap(([name, value]) => ['--env', `${name}=${value}`]),
      container,
      '--',
      ...command,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  running.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  running.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => running.once('close', resolve));
  t.teardown(async () => {
    // The container's processes first: killing `buildah run` alone would leave them running, orphaned.
    for (const pid of processesWith(marker)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // It ended meanwhile.
      }
    }
    running.kill('SIGKILL');
    await exited;
  });
  const pid = async (): Promise<number> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = processesWith(marker, path.basename(command[0] ?? 'node'));
      if (found.length === 1 && found[0] !== undefined) return found[0];
      if (Date.now() > deadline)
        throw new Error(`${fn}: ${String(found.length)} processes of the image found`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return {
    port,
    output: () => output,
    ended: () => running.exitCode !== null || running.signalCode !== null,
    pid,
    stop: async () => {
      if (running.exitCode === null) process.kill(await pid(), 'SIGTERM');
      const killer = setTimeout(() => running.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(killer);
      return code;
    },
  };
}

/** The pids of the processes whose environment holds `marker` (and whose program is `program`, if given). */
function processesWith(marker: string, program?: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0')[0] ?? '';
        return (
          (program === undefined || path.basename(argv0) === program) &&
          readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(marker)
        );
      } catch {
        return false; // gone meanwhile, or a kernel thread
      }
    })
    .map(Number);
}

/** Retries `attempt` until it answers true; fails with the container's output if it never does or the process ends. */
async function untilAnswered(
  fn: string,
  running: RunningImage,
  attempt: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await attempt().catch(() => false)) return;
    if (running.ended())
      throw new Error(`${fn}'s container stopped before it answered:\n${running.output()}`);
    if (Date.now() > deadline) {
      throw new Error(`${fn}'s image did not answer within ${String(timeoutMs)} ms:\n${running.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The function's process runs in the container, as the image's unprivileged user; and it stops cleanly. */
async function checkProcessAndStop(t: ExecutionContext, running: RunningImage): Promise<void> {
  const pid = await running.pid();
  const uids = /^Uid:\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  t.deepEqual(
    uids?.slice(1).map(Number),
    [NODE_UID, NODE_UID, NODE_UID, NODE_UID],
    'real, effective, saved, fs uid',
  );
  t.not(readlinkSync(`/proc/${pid}/root`), '/', "in the container's root, not the host's");
  t.is(await running.stop(), 0, `SIGTERM stops it with exit 0:\n${running.output()}`);
}

imageTest('product-query: its image answers a catalogue search from MariaDB, as uid 1000', async (t) => {
  const running = await buildAndStart(t, 'product-query', deploymentEnv(databases.product));
  let answer: unknown;
  await untilAnswered('product-query', running, async () => {
    const response = await fetch(`http://127.0.0.1:${String(running.port)}/v1/products?q=teapot`);
    answer = await response.json();
    return response.status === 200;
  });
  t.deepEqual(answer, { items: [], page: 1, pageSize: 20, total: 0 });
  await checkProcessAndStop(t, running);
});

imageTest(
  'login: its image signs in the configured admin (argon2 hash and verify), as uid 1000',
  async (t) => {
    const running = await buildAndStart(t, 'login', deploymentEnv(databases.user));
    let answer: unknown;
    await untilAnswered('login', running, async () => {
      const response = await fetch(`http://127.0.0.1:${String(running.port)}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(admin),
      });
      answer = await response.json();
      return response.status === 200;
    });
    const tokens = z
      .object({ accessToken: z.string().min(1), refreshToken: z.string().min(1) })
      .safeParse(answer);
    t.true(tokens.success, JSON.stringify(answer));
    await checkProcessAndStop(t, running);
  },
);

imageTest('user-grpc: its image answers the standard gRPC health check, as uid 1000', async (t) => {
  const running = await buildAndStart(t, 'user-grpc', deploymentEnv(databases.user));
  const Health = (await loadProto(HEALTH_PROTO)).client(HEALTH_SERVICE_NAME);
  const client = new Health(`127.0.0.1:${String(running.port)}`, credentials.createInsecure());
  t.teardown(() => {
    client.close();
  });
  const check = async (service: string) => (await callUnary(client, Health, 'Check', { service })).response;
  await untilAnswered('user-grpc', running, async () => {
    const answer = await check('');
    return z.object({ status: z.literal('SERVING') }).safeParse(answer).success;
  });
  t.deepEqual(await check('ecom.user.v1.UserService'), { status: 'SERVING' });
  await checkProcessAndStop(t, running);
});

/** The instructions of a Dockerfile's last stage that shape how the function runs. */
function runtimeInstructions(file: string): string[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const lastFrom = lines.findLastIndex((line) => /^FROM\s/i.test(line));
  return lines
    .slice(lastFrom + 1)
    .filter((line) => /^(ENV|WORKDIR|USER|EXPOSE|CMD|ENTRYPOINT)\s/i.test(line));
}

test("the CI image's runtime stage is the Dockerfile's: same base, environment, user, port and command", (t) => {
  const dockerfile = path.join(root, 'Dockerfile');
  const prebuilt = path.join(root, 'dev/image/Dockerfile.prebuilt');
  t.deepEqual(runtimeInstructions(prebuilt), runtimeInstructions(dockerfile));
  t.regex(runtimeBase(dockerfile), /^node:\d+-[a-z]+-slim$/, 'the base base-image.sh can stand in for');
  t.is(imageName('login'), 'dev.local/ecom/login:ci');
});
