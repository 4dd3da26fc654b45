import type { RouteSpec } from '../../platform/http/route-table.js';
import type { Services } from '../../services.js';
import { sharingApi } from './api.js';
import { sharingPages } from './pages.js';

/**
 * Consent and sharing on a person's record (CON-1, CON-3, CON-4, CON-5). Pages (pages.ts) and the
 * /api/v1 endpoints (api.ts) call the same SharingService, which opens the record, writes once and
 * audits; these routes only parse, call and render.
 */
export function sharingRoutes(services: Services): RouteSpec[] {
  return [...sharingPages(services), ...sharingApi(services)];
}
