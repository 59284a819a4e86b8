import { constants, createHmac, timingSafeEqual, verify, type KeyObject } from 'node:crypto';

/** The algorithms the dev gateway verifies, with the hash each signs over (Kong's jwt_parser also has EdDSA). */
export const JWT_ALGORITHMS = {
  HS256: 'sha256',
  HS384: 'sha384',
  HS512: 'sha512',
  RS256: 'sha256',
  RS384: 'sha384',
  RS512: 'sha512',
  PS256: 'sha256',
  PS384: 'sha384',
  PS512: 'sha512',
  ES256: 'sha256',
  ES384: 'sha384',
  ES512: 'sha512',
} as const;
export type JwtAlgorithm = keyof typeof JWT_ALGORITHMS;

/** A token split and decoded but not yet trusted. */
export interface DecodedJwt {
  readonly header: Readonly<Record<string, unknown>>;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly alg: JwtAlgorithm;
  readonly signedPart: string;
  readonly signature: Buffer;
}

function isAlgorithm(value: unknown): value is JwtAlgorithm {
  return typeof value === 'string' && Object.hasOwn(JWT_ALGORITHMS, value);
}

function jsonObject(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Kong's tokenize(token, ".", 3): the header, the claims, and everything after the second dot as the signature,
 * dots included; undefined when there are fewer than two dots.
 */
function splitToken(token: string): readonly [string, string, string] | undefined {
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  if (second < 0) return undefined;
  return [token.slice(0, first), token.slice(first + 1, second), token.slice(second + 1)];
}

/**
 * base64url as Kong's jwt_parser decodes it (nginx's decoder): it reads up to the first `=`, and refuses any
 * other character outside the alphabet and a length of 4n+1. Undefined when refused; empty input is empty.
 */
function strictBase64url(segment: string): Buffer | undefined {
  const end = segment.indexOf('=');
  const data = end < 0 ? segment : segment.slice(0, end);
  if (!/^[A-Za-z0-9_-]*$/.test(data) || data.length % 4 === 1) return undefined;
  return Buffer.from(data, 'base64url');
}

/**
 * Kong's decode_token: the failure reason is Kong's wording, shown after "Bad token; ". Like Kong, a signature
 * that is not base64url (say, a second token after the first: `a.b.c, Bearer d.e.f`) is "invalid signature",
 * and an empty one is left for the signature check to refuse.
 */
export function decodeJwt(token: string): DecodedJwt | { readonly error: string } {
  const parts = splitToken(token);
  if (parts === undefined) return { error: 'invalid JSON' };
  const [headerPart, claimsPart, signaturePart] = parts;
  const header = jsonObject(headerPart);
  const claims = jsonObject(claimsPart);
  if (header === undefined || claims === undefined) return { error: 'invalid JSON' };
  if (!isAlgorithm(header['alg'])) return { error: 'invalid alg' };
  const signature = strictBase64url(signaturePart);
  if (signature === undefined) return { error: 'invalid signature' };
  return { header, claims, alg: header['alg'], signedPart: `${headerPart}.${claimsPart}`, signature };
}

/** Checks the signature with the credential's secret (HS*) or public key (RS*, PS*, ES*). */
export function hasValidSignature(jwt: DecodedJwt, key: KeyObject | Buffer): boolean {
  const hash = JWT_ALGORITHMS[jwt.alg];
  const data = Buffer.from(jwt.signedPart);
  try {
    if (jwt.alg.startsWith('HS')) {
      if (!Buffer.isBuffer(key)) return false;
      const expected = createHmac(hash, key).update(data).digest();
      return expected.length === jwt.signature.length && timingSafeEqual(expected, jwt.signature);
    }
    if (Buffer.isBuffer(key)) return false;
    // JWS carries ECDSA signatures as raw r||s, not DER.
    if (jwt.alg.startsWith('ES'))
      return verify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, jwt.signature);
    if (jwt.alg.startsWith('PS')) {
      const padding = constants.RSA_PKCS1_PSS_PADDING;
      return verify(
        hash,
        data,
        { key, padding, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
        jwt.signature,
      );
    }
    return verify(hash, data, key, jwt.signature);
  } catch {
    // A key of the wrong type for the algorithm, or a malformed signature: not a valid signature either way.
    return false;
  }
}

/** Kong's verify_registered_claims: `{claim: reason}` for each failed claim, undefined when all pass. */
export function registeredClaimErrors(
  claims: Readonly<Record<string, unknown>>,
  toVerify: readonly ('exp' | 'nbf')[],
  nowSeconds: number,
): Record<string, string> | undefined {
  const errors: Record<string, string> = {};
  for (const name of toVerify) {
    const value = claims[name];
    if (typeof value !== 'number') errors[name] = 'must be a number';
    else if (name === 'exp' && value <= nowSeconds) errors[name] = 'token expired';
    else if (name === 'nbf' && value > nowSeconds) errors[name] = 'token not valid yet';
  }
  return Object.keys(errors).length === 0 ? undefined : errors;
}
