import { createHash } from 'node:crypto';
import type { ChargeOutcome } from './payment-ports';

/**
 * What the simulated payment gateway does with a charge of `token` (the well-known card gateways' test tokens),
 * given how many earlier attempts with the same key failed transiently:
 * - `tok_visa` is charged;
 * - `tok_chargeDeclined` and `tok_insufficientFunds` are declined;
 * - `tok_processingError` fails transiently the first time, and is charged on a later attempt;
 * - any other token is declined as `invalid_token`, so an order with a made-up token ends instead of retrying.
 */
export function simulatedCharge(
  idempotencyKey: string,
  token: string,
  failedAttempts: number,
): ChargeOutcome | 'transient-failure' {
  switch (token) {
    case 'tok_visa':
      return { kind: 'captured', reference: simulatedReference('ch', idempotencyKey) };
    case 'tok_chargeDeclined':
      return { kind: 'declined', declineCode: 'card_declined' };
    case 'tok_insufficientFunds':
      return { kind: 'declined', declineCode: 'insufficient_funds' };
    case 'tok_processingError':
      return failedAttempts === 0
        ? 'transient-failure'
        : { kind: 'captured', reference: simulatedReference('ch', idempotencyKey) };
    default:
      return { kind: 'declined', declineCode: 'invalid_token' };
  }
}

/** A gateway reference that follows from the idempotency key: a repeated call names the same charge or refund. */
export function simulatedReference(prefix: 'ch' | 're', idempotencyKey: string): string {
  return `${prefix}_sim_${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 24)}`;
}
