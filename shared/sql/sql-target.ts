/**
 * Where a service's relational data lives: its own MySQL database on the cluster (and in the integration
 * tests, on MariaDB), or one SQLite file in the embedded local stack.
 */
export type SqlTarget =
  | {
      readonly dialect: 'mysql';
      readonly host: string;
      readonly port: number;
      readonly user: string;
      readonly password: string;
      readonly database: string;
    }
  | { readonly dialect: 'sqlite'; readonly storage: string };
