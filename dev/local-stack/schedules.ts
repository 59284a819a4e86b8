import type { FunctionDefinition } from '../../shared/kit/function-definition';
import type { Logger } from '../../shared/log/logger';

/** Minutes between runs of a PingSource schedule: `* * * * *` and `*\/N * * * *` are what the functions use. */
export function everyMinutes(schedule: string): number {
  if (schedule.trim() === '* * * * *') return 1;
  const match = /^\*\/(\d+) \* \* \* \*$/.exec(schedule.trim());
  if (!match?.[1])
    throw new Error(`The local stack runs "* * * * *" and "*/N * * * *" schedules, not "${schedule}"`);
  return Number(match[1]);
}

/**
 * What the PingSources do on the cluster: POST a ping CloudEvent to each schedule function, once at start (so
 * what an earlier run left is published at once) and then on its schedule. Returns a function that stops them.
 */
export function runSchedules(
  functions: readonly { readonly definition: FunctionDefinition; readonly url: string }[],
  logger: Logger,
): () => void {
  const timers: NodeJS.Timeout[] = [];
  for (const { definition, url } of functions) {
    if (definition.trigger.kind !== 'schedule') continue;
    const ping = () => {
      fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'ce-specversion': '1.0',
          'ce-id': crypto.randomUUID(),
          'ce-type': 'dev.knative.sources.ping',
          'ce-source': `/apis/v1/namespaces/ecom/pingsources/${definition.name}-schedule`,
        },
        body: '{}',
      }).then(
        async (response) => {
          await response.arrayBuffer();
          if (!response.ok) logger.warn(`${definition.name} answered ${response.status} to its schedule`);
        },
        (error: unknown) => {
          logger.warn(`${definition.name} did not answer its schedule`, { error });
        },
      );
    };
    ping();
    const timer = setInterval(ping, everyMinutes(definition.trigger.schedule) * 60_000);
    timer.unref();
    timers.push(timer);
  }
  return () => {
    for (const timer of timers) clearInterval(timer);
  };
}
