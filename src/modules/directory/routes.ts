import type { RouteSpec } from '../../platform/http/route-table.js';
import type { Services } from '../../services.js';
import { directoryApi } from './api.js';
import { directoryPages } from './pages.js';

/**
 * The partnership directory: agencies, their teams, users and the roles each team membership gives.
 * Pages for people (pages.ts) and the /api/v1 endpoints for partner systems (api.ts) call the same
 * DirectoryService, which applies the agency scope and writes the audit trail.
 */
export function directoryRoutes(services: Services): RouteSpec[] {
  return [...directoryPages(services), ...directoryApi(services)];
}
