// The simulated payment gateway (functions/order/simulated-payment-gateway.ts) on MariaDB and SQLite: each test token's
// outcome, one call per idempotency key however often it is made, and tok_processingError's one transient failure.
import { randomUUID } from 'node:crypto';
import test from 'ava';
import { QueryTypes } from 'sequelize';
import { orderService } from '../../functions/order/service';
import { simulatedPaymentGateway } from '../../functions/order/simulated-payment-gateway';
import { AppError } from '../../shared/errors/app-error';
import type { PaymentGateway } from '../../shared/domain/order/payment-ports';
import { migrateServiceDatabase } from '../../shared/kit/service-schema';
import { DIALECTS, sqlFixture } from '../support/sql-fixture';

const amount = { amount: 4200, currency: 'EUR' };

for (const dialect of DIALECTS) {
  let opened:
    | Promise<{
        gateway: PaymentGateway;
        calls: (key: string) => Promise<unknown[]>;
        close: () => Promise<void>;
      }>
    | undefined;
  const open = () =>
    (opened ??= (async () => {
      const fixture = await sqlFixture(dialect, 'test_simulated_gateway');
      const { sequelize } = fixture;
      await migrateServiceDatabase(orderService, fixture.target, sequelize);
      return {
        gateway: simulatedPaymentGateway({ sequelize, outbox: { append: () => Promise.resolve([]) } }),
        calls: (key: string) =>
          sequelize.query(
            'SELECT kind, outcome, reference, decline_code AS declineCode, failed_attempts AS failedAttempts FROM simulated_gateway_calls WHERE idempotency_key = ?',
            { replacements: [key], type: QueryTypes.SELECT },
          ),
        close: () => fixture.drop(),
      };
    })());
  test.after.always(`${dialect}: close`, async () => {
    if (opened) await (await opened).close();
  });

  test(`${dialect}: tok_visa is captured once per key: a repeated or concurrent call answers the same charge`, async (t) => {
    const { gateway, calls } = await open();
    const key = randomUUID();
    const charge = () => gateway.charge({ idempotencyKey: key, token: 'tok_visa', amount });
    const [first, concurrent] = await Promise.all([charge(), charge()]);
    t.like(first, { kind: 'captured' });
    t.deepEqual(concurrent, first);
    t.deepEqual(await charge(), first);
    t.deepEqual(
      await gateway.charge({ idempotencyKey: key, token: 'tok_chargeDeclined', amount }),
      first,
      'the key decides, not a later token',
    );
    t.like(await calls(key), [{ kind: 'charge', outcome: 'captured', failedAttempts: 0 }]);
  });

  test(`${dialect}: a declined card is declined, again on a repeated call`, async (t) => {
    const { gateway, calls } = await open();
    const key = randomUUID();
    const declined = { kind: 'declined', declineCode: 'insufficient_funds' };
    t.deepEqual(
      await gateway.charge({ idempotencyKey: key, token: 'tok_insufficientFunds', amount }),
      declined,
    );
    t.deepEqual(
      await gateway.charge({ idempotencyKey: key, token: 'tok_insufficientFunds', amount }),
      declined,
    );
    t.like(await calls(key), [{ outcome: 'declined', declineCode: 'insufficient_funds' }]);
  });

  test(`${dialect}: tok_processingError fails transiently once, then is captured, and stays captured`, async (t) => {
    const { gateway, calls } = await open();
    const key = randomUUID();
    const charge = () => gateway.charge({ idempotencyKey: key, token: 'tok_processingError', amount });
    const error = await t.throwsAsync(charge(), { instanceOf: AppError });
    t.like(error, { kind: 'unavailable', code: 'PAYMENT.GATEWAY_UNAVAILABLE' });
    t.like(await calls(key), [{ outcome: 'failed', failedAttempts: 1 }]);
    const captured = await charge();
    t.like(captured, { kind: 'captured' });
    t.deepEqual(await charge(), captured);
    t.like(await calls(key), [{ outcome: 'captured', failedAttempts: 1 }]);
  });
}
