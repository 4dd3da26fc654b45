import type { RouteSpec } from '../../platform/http/route-table.js';
import type { Services } from '../../services.js';
import { assessmentsApi } from './api.js';
import { assessmentsPages } from './pages.js';

/**
 * The holistic assessment (ASSESS-1 … ASSESS-5): pages and /api/v1 endpoints call the same
 * AssessmentsService, which opens the record, decides access domain by domain and audits.
 */
export function assessmentsRoutes(services: Services): RouteSpec[] {
  return [...assessmentsPages(services), ...assessmentsApi(services)];
}
