import type { Actor } from '../access/actor.js';
import type { Flash, SessionRecord } from '../auth/sessions.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    session: SessionRecord | null;
    flash: Flash | null;
    /** The main menu, worked out once the actor is known. */
    navigation: { href: string; text: string }[] | null;
  }
  interface FastifyInstance {
    registeredRoutes: { method: string | string[]; url: string; spec?: import('./route-table.js').RouteSpec }[];
    /** The installation's secret that binds the sign-in form's token to its cookie (platform/http/csrf). */
    csrfSecret: string;
  }
  interface FastifyReply {
    /** Renders a Nunjucks page with the layout's context (actor, CSRF token, CSP nonce). */
    view(template: string, data?: Record<string, unknown>, status?: number): FastifyReply;
    /** Post-redirect-get: keeps a notice for the next page and redirects with 303. */
    redirectWithNotice(url: string, notice: string, kind?: 'success' | 'important'): Promise<FastifyReply>;
  }
}

export {};
