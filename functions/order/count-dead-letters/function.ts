import { defineFunction } from '../../../shared/kit/function-definition';
import { orderService } from '../service';

export const definition = defineFunction({
  name: 'count-dead-letters',
  service: orderService,
  description:
    "Counts every event the broker gave up delivering (ecom.events.dead_lettered, by type, subscriber and status) and logs where to find it: a KafkaSource delivers the dead-letter topic's records to it. Kept with the order service, whose saga the dead letters stop.",
  trigger: { kind: 'dead-letters' },
  capacity: {
    concurrency: 32,
    throughput: 3116,
    p99Ms: 43.2,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only count-dead-letters',
    measuredOn: '2026-12-02',
  },
  scaling: { maxScale: 2 },
});
