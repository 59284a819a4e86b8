import type { HistoryStore } from '../../../shared/domain/history-store';
import type { Mailer } from '../../../shared/domain/mailer';
import { createSmtpMailer } from '../../../shared/mail/smtp-mailer';
import type { OncePerEvent } from '../../../shared/domain/once-per-event';
import { orderConnections } from '../order-connections';
import { sqlOncePerEvent } from '../sql-once-per-event';
import { NOTIFY_CONCURRENCY } from './function';
import type { NotifyEnv } from './notify-config';

/** What the notify handler needs; every member opens its connection on first use. */
export interface NotifyDependencies {
  readonly notifications: () => Promise<HistoryStore>;
  readonly once: OncePerEvent;
  readonly mailer: Mailer | undefined;
}

/** The name notify records processed events under (shared/inbox): one record per event for this consumer. */
export const NOTIFY_CONSUMER = 'notify';

/** Builds notify's adapters from its config, without I/O. */
export function notifyDependencies(env: NotifyEnv): NotifyDependencies {
  // Every event in flight holds a connection for its processed-event record: one per concurrent request.
  const connections = orderConnections(env, { pool: { max: NOTIFY_CONCURRENCY } });
  return {
    notifications: connections.notifications,
    once: sqlOncePerEvent(connections.database, NOTIFY_CONSUMER),
    mailer:
      env.SMTP_URL === undefined ? undefined : createSmtpMailer({ url: env.SMTP_URL, from: env.MAIL_FROM }),
  };
}
