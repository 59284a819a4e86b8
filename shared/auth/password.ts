import { randomBytes } from 'node:crypto';
import { hash, parseOptions, verify } from '@node-rs/argon2';

// Parameters from the OWASP Password Storage Cheat Sheet, Argon2id section, first recommended option:
// "m=19456 (19 MiB), t=2, p=1" (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html).
// Changing them changes new hashes only: each hash records its own parameters, so old ones still verify
// (see passwordNeedsRehash).

/** Argon2id memory cost in KiB (19 MiB), OWASP. */
export const ARGON2_MEMORY_COST_KIB = 19456;
/** Argon2id passes over memory, OWASP. */
export const ARGON2_TIME_COST = 2;
/** Argon2id lanes, OWASP; also keeps one hash on one libuv thread. */
export const ARGON2_PARALLELISM = 1;

// No `algorithm`: argon2id is the binding's default, and its `Algorithm` is an ambient const enum that
// isolatedModules cannot read. The tests check that hashes come out as `$argon2id$`.
const OPTIONS = {
  memoryCost: ARGON2_MEMORY_COST_KIB,
  timeCost: ARGON2_TIME_COST,
  parallelism: ARGON2_PARALLELISM,
};

// NIST SP 800-63B (5.1.1.2) asks verifiers to normalize Unicode passwords (NFKC or NFKD): the same password typed
// on two systems may reach us composed or decomposed ("é" as one code point or as "e" + accent) and must match.
// Decided before the first hash is stored; changing it later would lock out users with such passwords.
function normalize(password: string): string {
  return password.normalize('NFKC');
}

/**
 * Hashes a password with argon2id (PHC string, random 16-byte salt). The napi binding computes it on the libuv
 * thread pool, so the event loop keeps serving other requests meanwhile: keep using the async API.
 */
export function hashPassword(password: string): Promise<string> {
  return hash(normalize(password), OPTIONS);
}

/** Whether the password matches an argon2 hash (with the parameters recorded in the hash). */
export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, normalize(password));
}

/** Whether a stored hash was made with other parameters than today's: rehash it after a successful login. */
export function passwordNeedsRehash(passwordHash: string): boolean {
  const used = parseOptions(passwordHash);
  return (
    !passwordHash.startsWith('$argon2id$') ||
    used.memoryCost !== ARGON2_MEMORY_COST_KIB ||
    used.timeCost !== ARGON2_TIME_COST ||
    used.parallelism !== ARGON2_PARALLELISM
  );
}

// Hash of a random password nobody knows, made on first need (not at import: cold start) and shared by
// concurrent first callers.
let dummyHash: Promise<string> | undefined;

function getDummyHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(32).toString('base64url')).catch((error: unknown) => {
    dummyHash = undefined;
    throw error;
  });
  return dummyHash;
}

/**
 * Login's password check. With no stored hash (no such user) it still runs one argon2 verification, against a
 * dummy hash with the same parameters, and answers false; so an unknown e-mail and a wrong password take about
 * the same time and the answer time does not reveal which e-mails have accounts.
 */
export async function verifyPasswordOrDummy(
  passwordHash: string | undefined,
  password: string,
): Promise<boolean> {
  if (passwordHash !== undefined) return verifyPassword(passwordHash, password);
  await verifyPassword(await getDummyHash(), password);
  return false;
}
