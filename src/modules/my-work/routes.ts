import type { RouteSpec } from '../../platform/http/route-table.js';
import { actorOf } from '../../platform/http/request-actor.js';
import { hasPermission } from '../../platform/access/decide.js';
import type { Services } from '../../services.js';

/** The home page. Work queues (referrals to screen, deadlines, cases) join it as their modules arrive. */
export function myWorkRoutes(_services: Services): RouteSpec[] {
  return [
    {
      method: 'GET',
      url: '/',
      access: { permission: 'workspace.view' },
      audit: { none: 'shows the signed-in user their own work; no person’s record is read yet' },
      kind: 'page',
      summary: 'My work',
      handler: async (request, reply) => {
        const actor = actorOf(request);
        return reply.view('my-work/views/home.njk', {
          canManageDirectory: hasPermission(actor, 'directory.manage'),
          canAudit: hasPermission(actor, 'audit.view'),
        });
      },
    },
  ];
}
