import type { RouteSpec } from '../../platform/http/route-table.js';
import type { Services } from '../../services.js';
import { notesApi } from './api.js';
import { notesPages } from './pages.js';

/**
 * Notes on a person's record (NOTE-1, NOTE-2), each shared or hidden by its category and owning agency
 * (CON-2, CON-3). Pages and /api/v1 endpoints call the same NotesService, which decides access and audits.
 */
export function notesRoutes(services: Services): RouteSpec[] {
  return [...notesPages(services), ...notesApi(services)];
}
