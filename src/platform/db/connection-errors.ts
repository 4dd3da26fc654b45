/**
 * Errors that mean the database could not be reached or dropped the connection, rather than that
 * the statement was wrong: the server shut down or crashed, an administrator or a failover ended
 * the session, or the socket broke. Such a request may succeed if tried again once the pool has
 * reconnected, so it is answered "unavailable, try again", never as an internal error.
 */

// admin_shutdown (pg_terminate_backend, a fast shutdown), crash_shutdown, cannot_connect_now (starting up or in recovery).
const SERVER_GONE = new Set(['57P01', '57P02', '57P03']);
// Class 08 is "connection exception" in every PostgreSQL version.
const CONNECTION_EXCEPTION_CLASS = '08';
const SOCKET_FAILURES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
// node-postgres reports a dropped or unusable connection with a message and no code.
const DRIVER_MESSAGES = [/^Connection terminated/, /not queryable/, /^timeout exceeded when trying to connect/];

/** True when `error`, or any error it was caused by (drizzle wraps the driver's), is a lost or refused connection. */
export function isConnectionLoss(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (SERVER_GONE.has(code) || SOCKET_FAILURES.has(code) || (code.length === 5 && code.startsWith(CONNECTION_EXCEPTION_CLASS)))) return true;
    const { message } = current;
    if (DRIVER_MESSAGES.some((pattern) => pattern.test(message))) return true;
  }
  return false;
}
