import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

type Mount = { prefix: string; folder: string; only?: string[] };

/** Concord serves its own assets (no CDN): GOV.UK and MOJ Frontend, the compiled stylesheet, the enhancement script. */
const MOUNTS: Mount[] = [
  { prefix: '/assets/govuk/', folder: 'node_modules/govuk-frontend/dist/govuk/assets' },
  { prefix: '/assets/moj/', folder: 'node_modules/@ministryofjustice/frontend/moj/assets' },
  { prefix: '/assets/build/', folder: 'public/build' },
  { prefix: '/assets/app/', folder: 'src/platform/assets', only: ['init.mjs'] },
  { prefix: '/assets/js/govuk/', folder: 'node_modules/govuk-frontend/dist/govuk', only: ['govuk-frontend.min.js'] },
  { prefix: '/assets/js/moj/', folder: 'node_modules/@ministryofjustice/frontend/moj', only: ['moj-frontend.min.js'] },
];

export async function registerAssets(app: FastifyInstance) {
  for (const mount of MOUNTS) {
    await app.register(fastifyStatic, {
      root: path.join(root, mount.folder),
      prefix: mount.prefix,
      decorateReply: false,
      index: false,
      list: false,
      maxAge: '1h',
      allowedPath: mount.only ? (pathName) => mount.only!.includes(pathName.replace(/^\//, '')) : undefined,
    });
  }
}
