import type pg from 'pg';
import type { RouteSpec } from './route-table.js';
import { buildOpenApiDocument } from './openapi.js';
import { createReadinessProbe, type ReadinessProbe } from './readiness.js';

/** Health checks for a load balancer, and the API's description. */
export function systemRoutes(pool: pg.Pool, apiRoutes: () => RouteSpec[], readiness: ReadinessProbe = createReadinessProbe(pool)): RouteSpec[] {
  let document: unknown;
  return [
    {
      method: 'GET',
      url: '/health/live',
      access: { public: 'load balancers check it without credentials' },
      audit: { none: 'reads nothing' },
      kind: 'system',
      summary: 'The process is running',
      handler: async (_request, reply) => reply.send({ status: 'live' }),
    },
    {
      method: 'GET',
      url: '/health/ready',
      access: { public: 'load balancers check it without credentials' },
      audit: { none: 'reads nothing but "select 1"' },
      kind: 'system',
      summary: 'The process can serve requests: the database answers (busy is still ready)',
      handler: async (_request, reply) => {
        const ready = await readiness.isReady();
        return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'database unavailable' });
      },
    },
    {
      method: 'GET',
      url: '/api/openapi.json',
      access: { public: 'the description of the API holds no data' },
      audit: { none: 'reads no data' },
      kind: 'system',
      summary: 'OpenAPI 3.1 description of /api/v1',
      handler: async (_request, reply) => {
        document ??= buildOpenApiDocument(apiRoutes());
        return reply.type('application/json').send(document);
      },
    },
  ];
}
