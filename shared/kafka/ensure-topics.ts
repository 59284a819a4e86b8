import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, ITopicConfig } from 'kafkajs';

/** What a broker answers while a new topic is not yet in its metadata; both pass on their own. */
const settling = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

function isSettling(error: unknown): boolean {
  return error instanceof Error && 'type' in error && settling.has(String(error.type));
}

/**
 * Creates the topics that do not exist yet and waits until every partition of each has a leader.
 *
 * kafkajs' own `waitForLeaders` retries only LEADER_NOT_AVAILABLE; a KRaft broker answers
 * UNKNOWN_TOPIC_OR_PARTITION until its metadata catches up with the controller, and on a loaded machine that
 * window is wide enough to fail the caller.
 */
export async function ensureTopics(
  admin: Admin,
  topics: readonly ITopicConfig[],
  timeoutMs = 30_000,
): Promise<void> {
  await admin.createTopics({ topics: [...topics], waitForLeaders: false });
  const names = topics.map(({ topic }) => topic);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: names });
      const ready = metadata.topics.every(
        ({ partitions }) => partitions.length > 0 && partitions.every(({ leader }) => leader >= 0),
      );
      if (ready) return;
    } catch (error) {
      if (!isSettling(error)) throw error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Topics ${names.join(', ')} have no leader after ${timeoutMs} ms`);
    }
    await sleep(100);
  }
}
