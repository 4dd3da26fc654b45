import type { AuditTrail } from '../audit/trail.js';
import { forbidden } from '../errors.js';
import { auditActorOf, type Actor } from './actor.js';
import { decide, type Target } from './decide.js';
import type { Permission } from './policy.js';

/**
 * Applies `decide` and, on a refusal, writes the `access.denied` audit event in its own
 * transaction (the refused action writes nothing else) before throwing.
 */
export class AccessGuard {
  constructor(private readonly audit: AuditTrail) {}

  async require(actor: Actor | null, permission: Permission, target: Target = {}, subject?: { type: string; id: string }): Promise<void> {
    const decision = decide(actor, permission, target);
    if (decision.allowed) return;
    await this.audit.recordNow(auditActorOf(actor), {
      action: 'access.denied',
      outcome: 'denied',
      subject,
      details: { permission, reason: decision.reason, ...(target.agencyId ? { agencyId: target.agencyId } : {}) },
    });
    throw forbidden('ACCESS.DENIED', decision.reason);
  }
}
