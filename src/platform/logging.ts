import type { FastifyRequest } from 'fastify';

/**
 * Logs carry request ids, methods, routes and timings, never personal data: no query strings
 * (searches contain names), no bodies, no cookies or tokens.
 */
export function loggerOptions(level: string) {
  return {
    level,
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'], censor: '[redacted]' },
    serializers: {
      req(request: FastifyRequest) {
        return { id: request.id, method: request.method, path: request.url.split('?')[0] };
      },
    },
  };
}
