import type { HistoryEntry, HistoryStore } from '../../../shared/domain/history-store';
import { readHistoryAtOffset } from '../../../shared/domain/history-offset-read';
import { NotificationContent } from '../../../shared/domain/notification/notification-content';

/** One notification as the API shows it. */
export interface NotificationView {
  readonly id: string;
  readonly kind: string;
  readonly title: string;
  readonly body: string;
  /** ISO 8601, UTC. */
  readonly createdAt: string;
}

export interface NotificationsPage {
  readonly items: readonly NotificationView[];
  readonly page: number;
  readonly pageSize: number;
  /** Notifications in the whole inbox. */
  readonly total: number;
}

/**
 * One page of a user's inbox, newest first. A page past the end is empty (with the real total), and costs one count:
 * the inbox is walked only up to entries that exist.
 */
export async function listNotifications(
  ports: { readonly inbox: HistoryStore },
  query: { readonly userId: string; readonly page: number; readonly pageSize: number },
): Promise<NotificationsPage> {
  const { userId, page, pageSize } = query;
  const total = await ports.inbox.count(userId);
  const offset = (page - 1) * pageSize;
  const entries =
    offset >= total ? [] : await readHistoryAtOffset(ports.inbox, userId, { offset, limit: pageSize });
  return { items: entries.map(toView), page, pageSize, total };
}

function toView(entry: HistoryEntry): NotificationView {
  // An entry this version cannot read (written by hand, or by a broken release) still shows, rather than failing
  // the whole inbox.
  const content = NotificationContent.safeParse(entry.data);
  return {
    id: entry.id,
    kind: entry.kind,
    title: content.success ? content.data.title : '',
    body: content.success ? content.data.body : '',
    createdAt: entry.time.toISOString(),
  };
}
