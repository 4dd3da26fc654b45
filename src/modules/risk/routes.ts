import type { RouteSpec } from '../../platform/http/route-table.js';
import type { Services } from '../../services.js';
import { riskApi } from './api.js';
import { riskPages } from './pages.js';

/**
 * Risk on a person's record (RISK-1, RISK-2, RISK-6 to RISK-9): risk reviews and the level of risk over
 * time. Pages and /api/v1 endpoints call the same RiskService, which decides access and audits.
 */
export function riskRoutes(services: Services): RouteSpec[] {
  return [...riskPages(services), ...riskApi(services)];
}
