import { QueryTypes, UniqueConstraintError } from 'sequelize';
import type { ChargeOutcome, PaymentGateway } from '../../shared/domain/order/payment-ports';
import { simulatedCharge, simulatedReference } from '../../shared/domain/order/simulated-payments';
import { AppError } from '../../shared/errors/app-error';
import type { ServiceDatabase } from '../../shared/kit/service-stores';
import { sqlTime } from '../../shared/sql/sql-time';
import { orderModels, type GatewayCallRow } from './order-models';

const outcomeOf = (row: GatewayCallRow): ChargeOutcome =>
  row.outcome === 'captured'
    ? { kind: 'captured', reference: row.reference }
    : { kind: 'declined', declineCode: row.declineCode ?? 'declined' };

const gatewayUnavailable = () =>
  new AppError(
    'unavailable',
    'PAYMENT.GATEWAY_UNAVAILABLE',
    'The payment gateway failed; try again shortly.',
  );

/**
 * The default payment gateway: a simulation with the test tokens of shared/domain/order/simulated-payments.ts and
 * no money behind it. It keeps the gateway's side in the table `simulated_gateway_calls` of the order database: the
 * calls it took by idempotency key, so a repeated key answers the first outcome (as a real gateway does) and the
 * charges can be counted, and the transient failures `tok_processingError` owes.
 */
export function simulatedPaymentGateway({ sequelize }: ServiceDatabase): PaymentGateway {
  const { GatewayCall } = orderModels(sequelize);
  /**
   * Stores a call's outcome under its key, in one statement (the model's create costs more CPU than the round trip):
   * true, or false when the key has one already (stored earlier, or by a concurrent call with the same key).
   */
  const store = async (values: GatewayCallValues): Promise<boolean> => {
    try {
      await sequelize.query(INSERT_CALL, {
        type: QueryTypes.INSERT,
        replacements: { declineCode: null, ...values, createdAt: sqlTime(sequelize, new Date()) },
      });
      return true;
    } catch (error) {
      if (error instanceof UniqueConstraintError) return false;
      throw error;
    }
  };
  /** Stores the outcome of a key's call: the charge's, its transient failure's (then thrown), or a decline's. */
  const settle = async (
    idempotencyKey: string,
    outcome: ChargeOutcome | 'transient-failure',
    money: { readonly currency: string; readonly amount: number },
  ): Promise<boolean> =>
    store({
      idempotencyKey,
      kind: 'charge',
      failedAttempts: outcome === 'transient-failure' ? 1 : 0,
      ...money,
      ...settled(outcome),
    });

  return {
    async charge({ idempotencyKey, token, amount }) {
      const money = { currency: amount.currency, amount: amount.amount };
      // Nearly every charge is its key's first call: stored at once, with no read before. A key that has a call
      // already is answered from it, as a real gateway answers a repeated key.
      const first = simulatedCharge(idempotencyKey, token, 0);
      if (await settle(idempotencyKey, first, money)) {
        if (first === 'transient-failure') throw gatewayUnavailable();
        return first;
      }
      const earlier = await GatewayCall.findByPk(idempotencyKey);
      if (earlier && earlier.outcome !== 'failed') return outcomeOf(earlier);
      const outcome = simulatedCharge(idempotencyKey, token, earlier?.failedAttempts ?? 0);
      if (outcome === 'transient-failure') {
        // Stored unless a concurrent call stored the same failure: either way the attempt failed.
        await settle(idempotencyKey, outcome, money);
        throw gatewayUnavailable();
      }
      if (earlier) {
        await GatewayCall.update(settled(outcome), { where: { idempotencyKey, outcome: 'failed' } });
      } else {
        await settle(idempotencyKey, outcome, money);
      }
      return outcome;
    },

    async refund({ idempotencyKey, amount }) {
      const reference = simulatedReference('re', idempotencyKey);
      await store({
        idempotencyKey,
        kind: 'refund',
        outcome: 'refunded',
        reference,
        failedAttempts: 0,
        currency: amount.currency,
        amount: amount.amount,
      });
      return { reference };
    },
  };
}

/** A row of `simulated_gateway_calls`, as its INSERT names its values; `store` adds the time of the call. */
interface GatewayCallValues {
  readonly idempotencyKey: string;
  readonly kind: 'charge' | 'refund';
  readonly outcome: string;
  readonly reference: string;
  readonly declineCode?: string | null;
  readonly currency: string;
  readonly amount: number;
  readonly failedAttempts: number;
}

const INSERT_CALL = `
  INSERT INTO simulated_gateway_calls
    (idempotency_key, kind, outcome, reference, decline_code, currency, amount, failed_attempts, created_at)
  VALUES
    (:idempotencyKey, :kind, :outcome, :reference, :declineCode, :currency, :amount, :failedAttempts, :createdAt)`;

/** The columns that say how a charge ended: its outcome, the gateway's reference, and a decline's code. */
function settled(outcome: ChargeOutcome | 'transient-failure') {
  if (outcome === 'transient-failure') return { outcome: 'failed', reference: '', declineCode: null };
  return {
    outcome: outcome.kind,
    reference: outcome.kind === 'captured' ? outcome.reference : '',
    declineCode: outcome.kind === 'declined' ? outcome.declineCode : null,
  };
}
