/** The one database interface used everywhere: PGlite (embedded) and PostgreSQL (pg) both implement it. */
export interface Queryable {
  /** One statement with $1..$n parameters; returns the rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction: committed when fn resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Calls onPayload for every NOTIFY on the channel (sent with `SELECT pg_notify(channel, payload)`, delivered when
   * the sending transaction commits) by any connection to this database, including this one; resolves once
   * listening. Returns a function that stops listening.
   */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
