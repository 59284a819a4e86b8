import type { ChargeOutcome, PaymentGateway } from '../../../shared/domain/order/payment-ports';
import { simulatedCharge, simulatedReference } from '../../../shared/domain/order/simulated-payments';
import { AppError } from '../../../shared/errors/app-error';

/** The simulated gateway's rules in memory, with every call it took, to count what it charged and refunded. */
export interface MemoryPaymentGateway extends PaymentGateway {
  readonly calls: readonly { readonly kind: 'charge' | 'refund'; readonly idempotencyKey: string }[];
  /** Outcomes by key: what the gateway's side remembers. */
  readonly outcomes: ReadonlyMap<
    string,
    ChargeOutcome | { readonly kind: 'refunded'; readonly reference: string }
  >;
}

export function memoryPaymentGateway(): MemoryPaymentGateway {
  const calls: { kind: 'charge' | 'refund'; idempotencyKey: string }[] = [];
  const outcomes = new Map<string, ChargeOutcome | { kind: 'refunded'; reference: string }>();
  const failures = new Map<string, number>();
  return {
    calls,
    outcomes,
    async charge({ idempotencyKey, token }) {
      await Promise.resolve();
      calls.push({ kind: 'charge', idempotencyKey });
      const earlier = outcomes.get(idempotencyKey);
      if (earlier && earlier.kind !== 'refunded') return earlier;
      const outcome = simulatedCharge(idempotencyKey, token, failures.get(idempotencyKey) ?? 0);
      if (outcome === 'transient-failure') {
        failures.set(idempotencyKey, (failures.get(idempotencyKey) ?? 0) + 1);
        throw new AppError('unavailable', 'PAYMENT.GATEWAY_UNAVAILABLE', 'The payment gateway failed.');
      }
      outcomes.set(idempotencyKey, outcome);
      return outcome;
    },
    async refund({ idempotencyKey }) {
      await Promise.resolve();
      calls.push({ kind: 'refund', idempotencyKey });
      const reference = simulatedReference('re', idempotencyKey);
      outcomes.set(idempotencyKey, { kind: 'refunded', reference });
      return { reference };
    },
  };
}
