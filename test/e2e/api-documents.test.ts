// The API documents at work, on the local stack over real MariaDB, Kafka and Cassandra:
// - the reference page at /docs, opened in headless Chromium as a person would: every operation of
//   docs/openapi.yaml shows, and the event catalogue and the gRPC reference are linked and served;
// - a fuzz test driven by docs/openapi.yaml: generated requests to every operation, as anonymous, customer and
//   admin, through the gateway. No 5xx; every 4xx is documented; a refused request changes nothing.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import fc from 'fast-check';
import puppeteer, { type Browser } from 'puppeteer-core';
import { parse } from 'yaml';
import { buildFunctions } from '../../dev/build';
import { DOCS_PATH } from '../../dev/docs/docs-site';
import { DEV_ADMIN_PASSWORD } from '../../functions/user/user-config';
import { createLogger } from '../../shared/log/logger';
import { documentedMisfit } from '../support/api/api-document';
import { settledFingerprint } from '../support/fuzz/database-fingerprint';
import {
  likelyRequests,
  refusedRequests,
  type FuzzRequest,
  type Operation,
} from '../support/fuzz/fuzz-requests';
import type { Components } from '../support/fuzz/schema-arbitrary';
import { startInfraStack, type InfraStack } from '../support/infra-stack';

/** Where the test leaves its screenshot of the page (README, "API documents"). */
export const SCREENSHOT = '.data/screenshots/api-reference.png';
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const root = path.resolve(__dirname, '../..');
const logger = createLogger('api-reference', { level: 'silent' });
let infra: InfraStack;
let browser: Browser;

test.before(async () => {
  await buildFunctions();
  infra = await startInfraStack({ logger });
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    // The gateway's certificate is the stack's own; root in CI needs the sandbox off.
    acceptInsecureCerts: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
});

test.after.always(async () => {
  await browser.close();
  await infra.remove();
});

interface OpenApi {
  paths: Record<string, Record<string, unknown>>;
}

test.serial(
  'the page at /docs renders every operation of the OpenAPI document, and links the other documents',
  async (t) => {
    const { gateway } = infra.stack;
    const document = parse(readFileSync(path.join(root, 'docs/openapi.yaml'), 'utf8')) as OpenApi;
    const expected = Object.entries(document.paths)
      .flatMap(([route, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${route}`))
      .sort();

    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    const answer = await page.goto(`${gateway.url}${DOCS_PATH}`, { waitUntil: 'networkidle0' });
    t.is(answer?.status(), 200);
    // Given as text: it runs in the page, where `document` is the page's.
    await page.waitForFunction(`document.querySelectorAll('.opblock').length >= ${String(expected.length)}`, {
      timeout: 30_000,
    });
    const shown = (await page.evaluate(`[...document.querySelectorAll('.opblock')].map((block) =>
      (block.querySelector('.opblock-summary-method')?.textContent ?? '').toUpperCase() + ' ' +
      (block.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? ''))`)) as string[];
    t.deepEqual(shown.sort(), expected);

    mkdirSync(path.dirname(path.join(root, SCREENSHOT)), { recursive: true });
    await page.screenshot({ path: path.join(root, SCREENSHOT), fullPage: false });

    const catalogue = (await page.evaluate(
      `document.querySelector('#event-catalogue')?.getAttribute('href')`,
    )) as string | undefined;
    const events = await gateway.fetch(`${gateway.url}${catalogue ?? 'no link'}`);
    t.is(events.status, 200);
    t.regex(await events.text(), /^asyncapi: 3\./m);
    const grpc = await gateway.fetch(`${gateway.url}${DOCS_PATH}/grpc.md`);
    t.is(grpc.status, 200);
    t.regex(await grpc.text(), /ecom\.order\.v1/);
  },
);

interface FuzzedDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Components };
}

/** Requests per operation and caller: valid or at the edges, and surely refused. Bounded to keep CI under 2 min. */
const RUNS = {
  likely: Number(process.env['FUZZ_RUNS'] ?? 5),
  refused: Number(process.env['FUZZ_RUNS'] ?? 5),
};

async function signIn(email: string, password: string): Promise<string> {
  const { gateway } = infra.stack;
  const answer = await gateway.fetch(`${gateway.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (answer.status !== 200) throw new Error(`login of ${email}: ${String(answer.status)}`);
  return ((await answer.json()) as { accessToken: string }).accessToken;
}

async function callers(): Promise<{ name: string; token: string | undefined }[]> {
  const { gateway } = infra.stack;
  const email = `fuzz-${randomUUID().slice(0, 8)}@example.com`;
  const password = 'a fuzzing customer password';
  await gateway.fetch(`${gateway.url}/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, name: 'Fuzz' }),
  });
  return [
    { name: 'anonymous', token: undefined },
    { name: 'customer', token: await signIn(email, password) },
    { name: 'admin', token: await signIn('admin@shop.local', DEV_ADMIN_PASSWORD) },
  ];
}

/**
 * What is wrong with an answer, by the document: a 5xx, or anything it does not document (status, media type, the
 * body's schema: a 4xx problem's code is one the document lists for that status).
 */
function misfit(
  method: string,
  template: string,
  answer: { status: number; contentType: string; text: string },
): string | undefined {
  if (answer.status >= 500) return `answered ${String(answer.status)}: ${answer.text.slice(0, 300)}`;
  return documentedMisfit(method, template, answer.status, answer.contentType, answer.text);
}

async function send(request: FuzzRequest, token: string | undefined) {
  const { gateway } = infra.stack;
  const answer = await gateway.fetch(`${gateway.url}${request.target}`, {
    method: request.method,
    headers: { ...request.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  return {
    status: answer.status,
    contentType: answer.headers.get('content-type') ?? '',
    text: await answer.text(),
  };
}

/** Sends every request as every caller, a few at a time; what went wrong, one line each. */
async function fuzz(
  requests: readonly { key: string; request: FuzzRequest }[],
  as: readonly { name: string; token: string | undefined }[],
  expectRefusal: boolean,
): Promise<string[]> {
  const failures: string[] = [];
  const jobs = as.flatMap((caller) => requests.map((item) => ({ caller, ...item })));
  const next = async (): Promise<void> => {
    const job = jobs.shift();
    if (!job) return;
    const [method, template] = job.key.split(' ') as [string, string];
    const answer = await send(job.request, job.caller.token).catch((error: unknown) => ({
      status: 599,
      contentType: '',
      text: `no answer: ${String((error as { cause?: unknown }).cause ?? error)}`,
    }));
    const problem =
      misfit(method, template, answer) ??
      (expectRefusal && answer.status < 400
        ? `accepted (${String(answer.status)}) a request it should refuse`
        : undefined);
    if (problem) {
      const body = job.request.body === undefined ? '' : ` ${job.request.body.slice(0, 200)}`;
      failures.push(
        `${job.caller.name} ${job.request.method} ${job.request.target}${body} (${job.request.why}): ${problem}`,
      );
    }
    return next();
  };
  await Promise.all(Array.from({ length: 4 }, next));
  return failures;
}

test.serial(
  'fuzzing every operation of the document: no 5xx, documented 4xx, refusals change nothing',
  async (t) => {
    const seed = Number(process.env['FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
    t.log(
      `fuzz seed ${String(seed)} (replay: FUZZ_SEED=${String(seed)} npx ava test/e2e/api-documents.test.ts)`,
    );
    const document = parse(readFileSync(path.join(root, 'docs/openapi.yaml'), 'utf8')) as FuzzedDocument;
    const components = document.components.schemas;
    const operations = Object.entries(document.paths).flatMap(([route, item]) =>
      Object.entries(item).map(([method, operation]) => ({
        key: `${method.toUpperCase()} ${route}`,
        operation: { ...operation, method, path: route },
      })),
    );
    const as = await callers();

    const likely = operations.flatMap(({ key, operation }, index) =>
      fc
        .sample(likelyRequests(operation, components), { seed: seed + index, numRuns: RUNS.likely })
        .map((request) => ({ key, request })),
    );
    const likelyFailures = await fuzz(likely, as, false);

    const refused = operations.flatMap(({ key, operation }, index) => {
      const arbitrary = refusedRequests(operation, components);
      return arbitrary
        ? fc
            .sample(arbitrary, { seed: seed + 1000 + index, numRuns: RUNS.refused })
            .map((request) => ({ key, request }))
        : [];
    });
    const databases = Object.values(infra.databases);
    const before = await settledFingerprint(databases);
    const refusedFailures = await fuzz(refused, as, true);
    const after = await settledFingerprint(databases);

    t.log(
      `${String(likely.length * as.length)} likely and ${String(refused.length * as.length)} refused requests`,
    );
    t.deepEqual([...likelyFailures, ...refusedFailures], [], `seed ${String(seed)}`);
    t.deepEqual(after, before, `a refused request changed a table (seed ${String(seed)})`);
  },
);
