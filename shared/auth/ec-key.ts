import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';

/** OpenSSL's name of NIST P-256, the only curve ES256 is defined over (RFC 7518, section 3.4). */
const P256 = 'prime256v1';

/**
 * Kubernetes env vars and .env files often carry a PEM on one line with literal `\n` sequences instead of line
 * breaks; accept both spellings.
 */
function pemFromEnv(value: string): string {
  return value.trim().replaceAll('\\n', '\n');
}

/** Names the key for an error message without echoing any of its material. */
function describe(key: KeyObject): string {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return curve ? `${key.asymmetricKeyType ?? 'unknown'} ${curve}` : (key.asymmetricKeyType ?? 'unknown');
}

function ecP256Key(visibility: 'public' | 'private') {
  const label = visibility === 'public' ? 'PUBLIC KEY' : 'PRIVATE KEY';
  return z
    .string()
    .min(1, 'is required')
    .transform((value, ctx): KeyObject => {
      const pem = pemFromEnv(value);
      // createPublicKey also accepts a private key (it derives the public half): refuse it, or the private key
      // would spread to every verifying function's environment unnoticed.
      if (visibility === 'public' && pem.includes('PRIVATE KEY')) {
        ctx.addIssue({ code: 'custom', message: 'holds a private key; verifiers get the public key only' });
        return z.NEVER;
      }
      let key: KeyObject;
      try {
        key = visibility === 'public' ? createPublicKey(pem) : createPrivateKey(pem);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: `is not a PEM ${visibility} key (-----BEGIN ${label}-----)`,
        });
        return z.NEVER;
      }
      if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== P256) {
        ctx.addIssue({
          code: 'custom',
          message: `must be an EC P-256 (prime256v1) ${visibility} key for ES256, got ${describe(key)}`,
        });
        return z.NEVER;
      }
      return key;
    });
}

/** An EC P-256 public key from a PEM (SPKI) env value, literal `\n` escapes allowed; parsed once, here. */
export const EcP256PublicKey = ecP256Key('public');

/** An EC P-256 private key from a PEM (PKCS#8 or SEC1) env value, literal `\n` escapes allowed; parsed once, here. */
export const EcP256PrivateKey = ecP256Key('private');

/** The message of a config issue that refuses a committed dev key in production. */
export function devKeyRefused(variable: string): string {
  return `is the committed DEV ONLY key (shared/auth/dev-keys.ts), refused when NODE_ENV=production; set ${variable} to the deployment's own key`;
}
