import qs from 'node:querystring';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { invalid, type FieldError } from '../errors.js';
import { csrfTokenIsValid } from './csrf.js';

/**
 * The one place input is read, for every route: bodies and queries must be valid UTF-8, and no text
 * may hold a character PostgreSQL cannot store or the audit trail's JSON cannot carry (NUL and the
 * other C0 controls, except tab, line feed and carriage return; a lone half of a surrogate pair).
 * Each is refused with a 400 naming the field, before any handler runs, so nothing is written.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true });

const NOT_UTF8 = 'What was sent is not valid UTF-8 text. Send it again as UTF-8.';
const UNSTORABLE = 'This contains a character that cannot be stored (a control character such as NUL, or half of a character pair). Remove it and try again.';

/** U+0000–U+001F except tab, LF and CR; and any surrogate not in a pair. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const BAD_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const BAD_CHARACTERS = new RegExp(BAD_CHARACTER.source, 'g');

function decodeStrictly(body: Buffer): string {
  try {
    return utf8.decode(body);
  } catch {
    throw invalid('REQUEST.NOT_UTF8', [{ field: 'form', message: NOT_UTF8 }], NOT_UTF8);
  }
}

/** Percent-decoding of a query or form that would have replaced broken UTF-8 with U+FFFD is refused instead. */
function refuseBrokenPercentEncoding(encoded: string): void {
  for (const piece of encoded.split(/[&=]/)) {
    try {
      decodeURIComponent(piece.replace(/\+/g, ' '));
    } catch {
      throw invalid('REQUEST.NOT_UTF8', [{ field: fieldOfPiece(encoded, piece), message: NOT_UTF8 }], NOT_UTF8);
    }
  }
}

/** The name of the field a broken piece belongs to, where its own name can be read. */
function fieldOfPiece(encoded: string, piece: string): string {
  const pair = encoded.split('&').find((p) => p.split('=').includes(piece));
  const name = pair?.split('=')[0];
  try {
    return name && name !== piece ? decodeURIComponent(name.replace(/\+/g, ' ')) : 'form';
  } catch {
    return 'form';
  }
}

type Found = { field: string };

/** The first string (or object key) holding a character that cannot be stored, with its field's name. */
export function findUnstorable(value: unknown, path: string[] = []): Found | null {
  if (typeof value === 'string') return BAD_CHARACTER.test(value) ? { field: path.join('.') || 'form' } : null;
  if (Array.isArray(value)) {
    // A repeated form field is one field to the person who filled it in.
    for (const item of value) {
      const found = findUnstorable(item, path);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (BAD_CHARACTER.test(key)) return { field: [...path, key.replace(BAD_CHARACTERS, '')].join('.') };
      const found = findUnstorable(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

/** The same value without those characters: what the form shows again, and the flash message can store. */
export function withoutUnstorable(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(BAD_CHARACTERS, '');
  if (Array.isArray(value)) return value.map(withoutUnstorable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key.replace(BAD_CHARACTERS, ''), withoutUnstorable(item)]));
  }
  return value;
}

function refuseUnstorable(request: FastifyRequest): void {
  const sources: [string, unknown][] = [
    ['params', request.params],
    ['query', request.query],
    ['body', request.body],
  ];
  for (const [, value] of sources) {
    const found = findUnstorable(value);
    if (!found) continue;
    const problem: FieldError = { field: found.field, message: UNSTORABLE };
    // The refusal puts the form back as typed, less what cannot be stored (a NUL would fail the save of the message itself).
    request.body = withoutUnstorable(request.body);
    throw invalid('REQUEST.UNSTORABLE_CHARACTER', [problem], `‘${found.field}’ contains a character that cannot be stored. Remove it and try again.`);
  }
}

/**
 * Registers the body parsers (JSON and urlencoded forms, decoded strictly) and the check of every
 * route's query, params and body.
 */
export function registerInputGuard(app: FastifyInstance, cookieSecure: boolean): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    try {
      const text = decodeStrictly(body as Buffer);
      parseJson(request, text, done);
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      const text = decodeStrictly(body as Buffer);
      refuseBrokenPercentEncoding(text);
      done(null, qs.parse(text));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.addHook('preValidation', async (request) => {
    const query = request.url.indexOf('?');
    if (query >= 0) refuseBrokenPercentEncoding(request.url.slice(query + 1));
    // A form posted without its CSRF token is refused by its route (403) before anything is read or kept.
    const spec = (request.routeOptions.config as { spec?: { kind?: string } } | undefined)?.spec;
    if (spec?.kind === 'page' && request.method !== 'GET' && !csrfTokenIsValid(request, cookieSecure)) return;
    refuseUnstorable(request);
  });
}
