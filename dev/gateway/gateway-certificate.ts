import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from 'selfsigned';

/** The key and certificate (PEM) the gateway's HTTPS port serves; the certificate is also what a client trusts. */
export interface GatewayTls {
  readonly key: string;
  readonly cert: string;
}

/** The names a client on this machine uses for the gateway. */
const LOCAL_NAMES = { dns: ['localhost'], ips: ['127.0.0.1', '::1'] } as const;

/** A year: long enough not to bother anyone, short enough for browsers that refuse longer-lived certificates. */
const VALID_DAYS = 365;

/** Renewed when it has less than this left, so a stack never starts with a certificate about to expire. */
const RENEW_BEFORE_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * A self-signed certificate for localhost, 127.0.0.1 and ::1 (EC P-256, made with the `selfsigned` package in
 * Node alone: `npm start` needs no openssl). Marked as a CA of itself so that the one file can be trusted as is,
 * by a browser's or the system's store, curl's `--cacert` or Node's NODE_EXTRA_CA_CERTS.
 */
export async function createGatewayCertificate(now: Date = new Date()): Promise<GatewayTls> {
  const pems = await generate([{ name: 'commonName', value: 'ecom dev gateway (localhost)' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: now,
    notAfterDate: new Date(now.getTime() + VALID_DAYS * 24 * 60 * 60 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...LOCAL_NAMES.dns.map((value) => ({ type: 2 as const, value })),
          ...LOCAL_NAMES.ips.map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

/** Where a data folder keeps the gateway's certificate and key. */
export function gatewayCertificateFiles(dir: string): { readonly cert: string; readonly key: string } {
  return { cert: path.join(dir, 'gateway-tls.crt'), key: path.join(dir, 'gateway-tls.key') };
}

/**
 * The certificate kept in `dir` (made there on first use, and again when it nears its end): the same one on every
 * `npm start`, so a browser or system store that trusts it once keeps trusting it.
 */
export async function loadOrCreateGatewayCertificate(
  dir: string,
  now: Date = new Date(),
): Promise<GatewayTls & { readonly created: boolean; readonly certFile: string }> {
  const files = gatewayCertificateFiles(dir);
  if (existsSync(files.cert) && existsSync(files.key)) {
    const kept = { cert: readFileSync(files.cert, 'utf8'), key: readFileSync(files.key, 'utf8') };
    const validTo = Date.parse(new X509Certificate(kept.cert).validTo);
    if (validTo - now.getTime() > RENEW_BEFORE_MS) return { ...kept, created: false, certFile: files.cert };
  }
  const made = await createGatewayCertificate(now);
  mkdirSync(dir, { recursive: true });
  writeFileSync(files.key, made.key, { mode: 0o600 });
  writeFileSync(files.cert, made.cert);
  return { ...made, created: true, certFile: files.cert };
}
