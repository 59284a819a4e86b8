import type { Client } from 'cassandra-driver';
import { inStatementSpan } from './statement-span';

type Execute = (...args: unknown[]) => unknown;

/**
 * Gives each statement a cassandra-driver client executes its own span (statement-span.ts). Our stores pass values
 * as parameters, never in the CQL, and the shape strips any literal anyway. Only the promise form is traced: a call
 * with a callback passes through.
 */
export function traceCqlStatements(client: Client, keyspace: string | undefined): void {
  const execute = client.execute.bind(client) as Execute;
  const traced: Execute = (...args) => {
    const [query] = args;
    if (typeof args.at(-1) === 'function' || typeof query !== 'string') return execute(...args);
    return inStatementSpan(
      { system: 'cassandra', namespace: keyspace },
      query,
      () => execute(...args) as Promise<unknown>,
    );
  };
  Object.assign(client, { execute: traced });
}
