import http from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions, LightMyRequestResponse } from 'fastify';
import { newSecret } from '../auth/tokens.js';

/**
 * Some requests fail before Fastify gives them to Concord: headers too large (431) or too slow (408)
 * are refused by Node's parser, a malformed URL by the router. Fastify answers those itself, in its
 * own JSON and with none of the security headers. Here each such refusal is replayed through the
 * app as a request that fails at once with the same status: it gets exactly the headers, the error
 * format (problem+json on /api, a GOV.UK page otherwise) and the error handler every other refusal
 * gets. The replay carries a secret of this instance, so no client can ask for one; it carries none
 * of the original's headers, so it reads and writes nothing.
 */
export function clientErrors() {
  const secret = newSecret();
  let app: FastifyInstance | undefined;

  const replay = async (status: number, method: string, url: string) => {
    const response = await app!.inject({ method: method === 'HEAD' ? 'GET' : method, url: routable(url), headers: { [REPLAY_HEADER]: `${secret} ${status}` } });
    return { status: response.statusCode, headers: replayedHeaders(response), body: response.rawPayload };
  };

  const options: Pick<FastifyServerOptions, 'clientErrorHandler' | 'frameworkErrors'> = {
    clientErrorHandler(error: ConnectionError, socket: Socket) {
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
      // Node hands over the bytes read so far as a Buffer (Fastify's type says otherwise).
      const [method, url] = requestLineOf(Buffer.isBuffer(error.rawPacket) ? error.rawPacket : undefined);
      void replay(status, method, url)
        .then(({ headers, body }) => {
          if (!socket.writable) return;
          const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
          socket.write(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n${lines.join('\r\n')}\r\nconnection: close\r\ncontent-length: ${body.length}\r\n\r\n`);
          socket.write(body);
        })
        .catch(() => undefined)
        .finally(() => socket.destroy());
    },
    frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
      const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
      // The URL could not be read, so the replay goes to the root of the same part: the API or the pages.
      const url = request.raw.url?.startsWith('/api/') ? '/api/' : '/';
      void replay(status, request.raw.method ?? 'GET', url).then(
        ({ headers, body }) => reply.code(status).headers(headers).send(body),
        () => reply.code(status).send(),
      );
    },
  };

  return {
    options,
    /** An onRequest hook, after the security headers and before anything that reads the database. */
    setUp(instance: FastifyInstance) {
      app = instance;
      instance.addHook('onRequest', async (request) => {
        const asked = request.headers[REPLAY_HEADER];
        if (typeof asked !== 'string') return;
        const [given, status] = asked.split(' ');
        if (given !== secret) return;
        throw Object.assign(new Error(http.STATUS_CODES[Number(status)] ?? 'Bad Request'), { statusCode: Number(status) });
      });
    },
  };
}

const REPLAY_HEADER = 'x-concord-client-error';
/** Set per response by the HTTP layer, or meaningless on a replayed answer (a cookie for a form that was never shown). */
const NOT_REPLAYED = new Set(['content-length', 'connection', 'transfer-encoding', 'keep-alive', 'date', 'set-cookie']);

function replayedHeaders(response: LightMyRequestResponse): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined || NOT_REPLAYED.has(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return headers;
}

/** The method and path of a request whose headers could not be parsed, if its first line arrived whole. */
function requestLineOf(packet: Buffer | undefined): [string, string] {
  const line = packet?.subarray(0, 8192).toString('latin1').split('\r\n', 1)[0] ?? '';
  const match = /^([A-Z]{3,7}) (\/\S*) HTTP\/1\.[01]$/.exec(line);
  return match ? [match[1]!, match[2]!] : ['GET', '/'];
}

/** Only the path survives the replay: the query string may hold anything. */
function routable(url: string) {
  const path = url.split('?')[0]!;
  return /^\/[\w\-./~%]*$/.test(path) ? path : '/';
}
