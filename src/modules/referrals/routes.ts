import type { RouteSpec } from '../../platform/http/route-table.js';
import type { Services } from '../../services.js';
import { referralApi } from './api.js';
import { referralPages } from './pages.js';
import { serviceSettingsRoutes } from './settings.js';

/**
 * The referral journey, from intake to allocation (REF-1 to REF-8, ELIG-1 to ELIG-3, WAIT-1,
 * COORD-1 to COORD-3): pages for people (pages.ts) and /api/v1 endpoints for partner systems
 * (api.ts), both thin over ReferralsService, which checks access, moves the state and audits.
 */
export function referralRoutes(services: Services): RouteSpec[] {
  return [...serviceSettingsRoutes(services), ...referralPages(services), ...referralApi(services)];
}
