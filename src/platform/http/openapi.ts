import { z } from 'zod';
import { PERMISSIONS } from '../access/policy.js';
import { IDEMPOTENCY_KEY_HOURS } from './idempotency.js';
import type { RouteSpec } from './route-table.js';

const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string', description: 'What went wrong, in words a practitioner understands' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', description: 'Stable error code, e.g. DIRECTORY.DUPLICATE' },
    errors: {
      type: 'array',
      description: 'One entry per field that was not acceptable',
      items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } },
    },
    reference: { type: 'string', description: 'Quote this to support (internal errors only)' },
  },
};

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });

function jsonSchema(schema: z.ZodType, io: 'input' | 'output') {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

const IDEMPOTENCY_KEY_PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    `Makes a retry safe: the first answer is kept for ${IDEMPOTENCY_KEY_HOURS} hours with the change it made, and a retry with the same key ` +
    'gets it again (same status and body, with `Idempotent-Replayed: true`) without acting twice. The same key with a different ' +
    'method, address or body is refused (422); a key is yours alone. 1 to 255 printable ASCII characters: a new UUID per request is a good choice.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7E]+$' },
};

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
export function buildOpenApiDocument(routes: RouteSpec[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    if (route.kind !== 'api' || !route.api) continue;
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [location, schema] of [['path', route.api.params], ['query', route.api.query]] as const) {
      if (!schema) continue;
      const shape = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, property] of Object.entries(shape.properties ?? {})) {
        parameters.push({ name, in: location, required: location === 'path' || (shape.required ?? []).includes(name), schema: property });
      }
    }
    if (route.method === 'POST') parameters.push(IDEMPOTENCY_KEY_PARAMETER);
    const permission = 'permission' in route.access ? route.access.permission : null;
    const success = String(route.api.successStatus ?? 200);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      summary: route.summary,
      tags: route.api.tags,
      description: permission ? `Needs the permission \`${permission}\` (${PERMISSIONS[permission]}).` : undefined,
      operationId: `${route.method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      parameters: parameters.length ? parameters : undefined,
      requestBody: route.api.body ? { required: true, content: { 'application/json': { schema: jsonSchema(route.api.body, 'input') } } } : undefined,
      responses: {
        [success]: route.api.response
          ? { description: 'Success', content: { 'application/json': { schema: jsonSchema(route.api.response, 'output') } } }
          : { description: 'Success' },
        400: problem('What was sent is not acceptable; `errors` names each field'),
        401: problem('No valid API token'),
        403: problem('Your role or agency does not allow this'),
        404: problem('Not found, or not yours to see'),
        409: problem('Conflicts with the current state (a duplicate, or it changed since you read it)'),
        ...(route.method === 'POST' ? { 422: problem('The Idempotency-Key was used before for a different request') } : {}),
      },
      security: permission ? [{ bearerAuth: [] }] : [],
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Concord API',
      version: '1',
      description:
        'Everything a person can do in Concord’s pages can be done here, except looking after their own sign-in: ' +
        'authenticate with a personal API token sent as `Authorization: Bearer <token>`, created only in the pages ' +
        '(Your account → API tokens, signed in, with your password again). A token cannot create tokens, so a stolen ' +
        'one cannot renew itself: `POST /api/v1/tokens` is refused with 403 `TOKEN.CREATE_NEEDS_SIGN_IN`. The token acts ' +
        'for the team you were acting for when you created it, with that team’s roles. Errors are `application/problem+json`.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'A personal API token' } },
      schemas: { Problem: problemSchema },
    },
  };
}
