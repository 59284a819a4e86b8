import { z } from 'zod';

/** Shortest password accepted, in Unicode code points (NIST SP 800-63B asks for at least 8; we ask for 10). */
export const PASSWORD_MIN_LENGTH = 10;

/** Longest password accepted, in code points: generous for passphrases, and bounds the work of one hash. */
export const PASSWORD_MAX_LENGTH = 128;

/** Length as a person counts it: code points, so an emoji or a non-BMP letter counts once, not twice. */
function codePoints(value: string): number {
  // The string iterator walks code points, where `.length` counts UTF-16 units.
  return Array.from(value).length;
}

/**
 * The policy for a password a user chooses (register, change password): 10 to 128 characters, not all
 * whitespace. No composition rules, as NIST advises. Do not apply it at login: a password that an older policy
 * accepted must still work, and the answer must not reveal the policy.
 */
export const NewPassword = z
  .string()
  .refine((value) => codePoints(value) >= PASSWORD_MIN_LENGTH, {
    message: `must be at least ${PASSWORD_MIN_LENGTH} characters`,
    abort: true,
  })
  .refine((value) => codePoints(value) <= PASSWORD_MAX_LENGTH, {
    message: `must be at most ${PASSWORD_MAX_LENGTH} characters`,
    abort: true,
  })
  .refine((value) => value.trim() !== '', { message: 'must not be only whitespace' });
export type NewPassword = z.infer<typeof NewPassword>;
