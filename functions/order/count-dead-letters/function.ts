import { defineFunction } from '../../../shared/kit/function-definition';
import { orderService } from '../service';

export const definition = defineFunction({
  name: 'count-dead-letters',
  service: orderService,
  description:
    "Keeps every event the broker gave up delivering, once per event and subscriber, for replay-dead-letters to list and publish again; counts it (ecom.events.dead_lettered, by type, subscriber and status) and logs where to find it. A KafkaSource delivers the dead-letter topic's records to it. Kept with the order service, whose saga the dead letters stop.",
  trigger: { kind: 'dead-letters' },
  uses: { database: true },
  capacity: {
    concurrency: 32,
    throughput: 1714,
    p99Ms: 127.0,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only count-dead-letters',
    measuredOn: '2026-12-04',
  },
  scaling: { maxScale: 2 },
});
