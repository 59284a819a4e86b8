import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, ITopicConfig } from 'kafkajs';

/** What a broker answers while a new topic's partitions are not yet served; all pass on their own. */
const settling = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
  'NOT_LEADER_OR_FOLLOWER',
]);

function isSettling(error: unknown): boolean {
  return error instanceof Error && 'type' in error && settling.has(String(error.type));
}

/** Every partition of every topic has a leader in the metadata, and that leader answers for it. */
async function served(admin: Admin, names: readonly string[]): Promise<boolean> {
  const metadata = await admin.fetchTopicMetadata({ topics: [...names] });
  const led = metadata.topics.every(
    ({ partitions }) => partitions.length > 0 && partitions.every(({ leader }) => leader >= 0),
  );
  if (!led) return false;
  await Promise.all(names.map((name) => admin.fetchTopicOffsets(name)));
  return true;
}

/**
 * Creates the topics that do not exist yet and waits until every partition of each is served by its leader.
 *
 * kafkajs' own `waitForLeaders` retries only LEADER_NOT_AVAILABLE. A KRaft broker answers
 * UNKNOWN_TOPIC_OR_PARTITION until its metadata catches up with the controller, and even once the metadata names
 * a leader, that broker may still answer NOT_LEADER_FOR_PARTITION until it has taken the partition on; kafkajs'
 * admin gives up on that answer at once. So this waits until listing the offsets of each topic succeeds.
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
      if (await served(admin, names)) return;
    } catch (error) {
      if (!isSettling(error)) throw error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Topics ${names.join(', ')} are not served by a leader after ${timeoutMs} ms`);
    }
    await sleep(100);
  }
}
