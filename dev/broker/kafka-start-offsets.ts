import type { Admin } from 'kafkajs';

/** A partition and the offset a new consumer group starts it at. */
export interface StartOffset {
  readonly partition: number;
  readonly offset: string;
}

/**
 * Where a Trigger's group starts on the partitions it has no committed offset for: the end of the topic now,
 * as Knative's control plane initialises a Trigger's offsets when it becomes ready. The Trigger gets every event
 * appended from then on (also across restarts: the position is committed at once) and none of the history.
 */
export async function endOffsetsOfNewPartitions(
  admin: Admin,
  groupId: string,
  topic: string,
): Promise<StartOffset[]> {
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const unset = new Set(committed?.partitions.filter((p) => p.offset === '-1').map((p) => p.partition));
  if (unset.size === 0) return [];
  const ends = await admin.fetchTopicOffsets(topic);
  return ends.filter((p) => unset.has(p.partition)).map((p) => ({ partition: p.partition, offset: p.high }));
}
