// Lower case only: Cassandra folds unquoted names to lower case, so a mixed-case name would not round-trip.
const CQL_NAME = /^[a-z][a-z0-9_]{0,47}$/;

/**
 * Checks a keyspace or table name before it is spliced into CQL (names cannot be bound as parameters): this
 * check is what keeps schema statements free of injection.
 */
export function assertCqlName(name: string, what: 'keyspace' | 'table'): void {
  if (!CQL_NAME.test(name))
    throw new Error(`Invalid Cassandra ${what} name: ${name} (want ${CQL_NAME.source})`);
}
