// The dev gateway's HTTPS certificate: what it names, that a client trusting it connects, and that `npm start` keeps
// one certificate in its data folder (trusted once, trusted on) until it nears its end.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import {
  createGatewayCertificate,
  gatewayCertificateFiles,
  loadOrCreateGatewayCertificate,
} from '../../dev/gateway/gateway-certificate';
import { trustingFetch } from '../../dev/gateway/trusting-fetch';

const DAY_MS = 24 * 60 * 60 * 1000;

function dataDir(t: ExecutionContext): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gateway-tls-'));
  t.teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

test('the certificate names localhost, 127.0.0.1 and ::1, for a year, and is its own trust anchor', async (t) => {
  const now = new Date('2026-03-01T00:00:00Z');
  const { cert, key } = await createGatewayCertificate(now);
  const x509 = new X509Certificate(cert);
  t.is(x509.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
  t.true(x509.ca);
  t.is(Date.parse(x509.validTo) - now.getTime(), 365 * DAY_MS);
  t.true(x509.checkPrivateKey(createPrivateKey(key)));
  t.is(x509.checkHost('localhost'), 'localhost');
  t.is(x509.checkIP('127.0.0.1'), '127.0.0.1');
  t.is(x509.checkHost('example.com'), undefined);
});

test('a client that trusts the certificate connects over TLS; one that does not is refused', async (t) => {
  const { cert, key } = await createGatewayCertificate();
  const server = createServer({ cert, key }, (_req, res) => res.end('over tls'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    server.closeAllConnections();
    server.close();
  });
  const url = `https://127.0.0.1:${String((server.address() as AddressInfo).port)}/`;
  const client = trustingFetch(cert);
  t.teardown(() => client.close());
  t.is(await (await client.fetch(url)).text(), 'over tls');
  await t.throwsAsync(fetch(url));
});

test('npm start keeps one certificate in its data folder, the key readable by the owner alone, and renews it near its end', async (t) => {
  const dir = dataDir(t);
  const now = new Date();
  const first = await loadOrCreateGatewayCertificate(dir, now);
  t.true(first.created);
  const files = gatewayCertificateFiles(dir);
  t.is(first.certFile, files.cert);
  t.is(readFileSync(files.cert, 'utf8'), first.cert);
  t.is(statSync(files.key).mode & 0o777, 0o600);
  const again = await loadOrCreateGatewayCertificate(dir, new Date(now.getTime() + 300 * DAY_MS));
  t.false(again.created);
  t.is(again.cert, first.cert);
  // Six days before it ends: a new one, so no start runs on a certificate about to expire.
  const renewed = await loadOrCreateGatewayCertificate(dir, new Date(now.getTime() + 359 * DAY_MS));
  t.true(renewed.created);
  t.not(renewed.cert, first.cert);
  t.is(readFileSync(files.cert, 'utf8'), renewed.cert);
});
