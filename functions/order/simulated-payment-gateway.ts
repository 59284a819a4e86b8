import { UniqueConstraintError } from 'sequelize';
import type { ChargeOutcome, PaymentGateway } from '../../shared/domain/order/payment-ports';
import { simulatedCharge, simulatedReference } from '../../shared/domain/order/simulated-payments';
import { AppError } from '../../shared/errors/app-error';
import type { ServiceDatabase } from '../../shared/kit/service-stores';
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
  /** Stores a call's outcome once per key; a concurrent call with the same key stored the same outcome. */
  const store = async (values: Record<string, unknown>) => {
    try {
      await GatewayCall.create({ ...values, createdAt: new Date() });
    } catch (error) {
      if (!(error instanceof UniqueConstraintError)) throw error;
    }
  };
  return {
    async charge({ idempotencyKey, token, amount }) {
      const earlier = await GatewayCall.findByPk(idempotencyKey);
      if (earlier && earlier.outcome !== 'failed') return outcomeOf(earlier);
      const outcome = simulatedCharge(idempotencyKey, token, earlier?.failedAttempts ?? 0);
      const money = { currency: amount.currency, amount: amount.amount };
      if (outcome === 'transient-failure') {
        await store({
          idempotencyKey,
          kind: 'charge',
          outcome: 'failed',
          reference: '',
          failedAttempts: 1,
          ...money,
        });
        throw gatewayUnavailable();
      }
      const settled = {
        outcome: outcome.kind,
        reference: outcome.kind === 'captured' ? outcome.reference : '',
        declineCode: outcome.kind === 'declined' ? outcome.declineCode : null,
      };
      if (earlier) {
        await GatewayCall.update(settled, { where: { idempotencyKey, outcome: 'failed' } });
      } else {
        await store({ idempotencyKey, kind: 'charge', failedAttempts: 0, ...settled, ...money });
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
