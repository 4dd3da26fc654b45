import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/**
 * Logs carry request ids, methods, routes and timings, never personal data: no query strings
 * (searches contain names), no bodies, no cookies or tokens, and no error's message or values.
 */
export function loggerOptions(level: string) {
  return {
    level,
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'], censor: '[redacted]' },
    serializers: {
      req(request: FastifyRequest) {
        return { id: request.id, method: request.method, path: request.url.split('?')[0] };
      },
      err: safeError,
    },
  };
}

/**
 * Errors whose messages name code, never data ("x.map is not a function"). Every other message may
 * quote a value: drizzle's "Failed query: … params: …" lists every parameter, PostgreSQL's
 * 'invalid input syntax for type uuid: "…"' quotes the input, JSON.parse quotes the text it read, and
 * a trigger's RAISE says whatever its author wrote.
 */
const MESSAGE_IS_CODE = new Set(['TypeError', 'ReferenceError', 'RangeError']);

/**
 * PostgreSQL's error fields that name things (SQLSTATE, constraint, table, column), never values. Left
 * out on purpose: `detail` ("Key (nhs_number)=(…) already exists"), `hint`, `where` and `internalQuery`,
 * which can quote the row, and `position`, useless without the text.
 */
const DATABASE_NAMES = ['code', 'severity', 'schema', 'table', 'column', 'dataType', 'constraint', 'routine'] as const;

export type SafeError = {
  type: string;
  message: string;
  /** The failed statement's fingerprint: for a prepared statement, its name (`concord_…`). */
  statement?: string;
  stack?: string;
  cause?: SafeError;
} & Partial<Record<(typeof DATABASE_NAMES)[number], string>>;

/** What a log may say about an error: its kind, codes and names, and where in the code it was raised. */
export function safeError(error: unknown, depth = 0): SafeError {
  if (!(error instanceof Error)) return { type: typeof error, message: '[withheld: may quote data]' };
  const type = error.constructor?.name ?? error.name;
  const safe: SafeError = { type, message: MESSAGE_IS_CODE.has(type) ? error.message : '[withheld: may quote data]' };
  const fields = error as unknown as Record<string, unknown>;
  for (const name of DATABASE_NAMES) {
    if (typeof fields[name] === 'string' || typeof fields[name] === 'number') safe[name] = String(fields[name]);
  }
  if (typeof fields.query === 'string') safe.statement = statementFingerprint(fields.query);
  const frames = framesOf(error.stack);
  if (frames) safe.stack = frames;
  if (error.cause !== undefined && depth < 3) safe.cause = safeError(error.cause, depth + 1);
  return safe;
}

/** The same name `prepare()` gives a statement, so a failed prepared statement is found by its name. */
export function statementFingerprint(sql: string) {
  return `concord_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
}

/** The stack without its first lines, which repeat the message. */
function framesOf(stack: string | undefined) {
  if (!stack) return undefined;
  const frames = stack.split('\n').filter((line) => /^\s+at /.test(line));
  return frames.length ? frames.join('\n') : undefined;
}
