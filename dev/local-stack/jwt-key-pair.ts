import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The ES256 key pair the local stack signs and checks access tokens with, as PEM (PKCS#8 / SPKI). */
export interface JwtKeyPair {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

/** Where a data folder keeps the stack's key pair. */
export function jwtKeyFiles(dataDir: string): { readonly privateKey: string; readonly publicKey: string } {
  return {
    privateKey: path.join(dataDir, 'jwt-es256-private.pem'),
    publicKey: path.join(dataDir, 'jwt-es256-public.pem'),
  };
}

/**
 * The key pair of `dataDir`, made on the first call and read back on later ones, so tokens signed before a
 * restart still verify. A key of its own per machine, because the committed dev keys (shared/auth/dev-keys.ts)
 * are public: anyone could sign a token the stack would take. The public key is derived from the private one on
 * reading, so the pair cannot disagree; its file is written for whoever wants to check tokens elsewhere.
 */
export function loadOrCreateJwtKeyPair(dataDir: string): {
  readonly keys: JwtKeyPair;
  readonly created: boolean;
} {
  const files = jwtKeyFiles(dataDir);
  if (existsSync(files.privateKey)) {
    const privateKeyPem = readFileSync(files.privateKey, 'utf8');
    const publicKeyPem = createPublicKey(createPrivateKey(privateKeyPem))
      .export({ type: 'spki', format: 'pem' })
      .toString();
    return { keys: { privateKeyPem, publicKeyPem }, created: false };
  }
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  mkdirSync(dataDir, { recursive: true });
  // 0600: only the owner may read the private key. `wx` refuses to overwrite a key a concurrent start just wrote.
  writeFileSync(files.privateKey, privateKey, { mode: 0o600, flag: 'wx' });
  writeFileSync(files.publicKey, publicKey, { mode: 0o644 });
  return { keys: { privateKeyPem: privateKey, publicKeyPem: publicKey }, created: true };
}
