import type { Actor } from './actor.js';
import { PARTNERSHIP_ROLES, ROLE_PERMISSIONS, type Permission, type Role } from './policy.js';

/** What an action touches, where that narrows who may do it. */
export type Target = { agencyId?: string; grantsRoles?: readonly Role[] };

export type Decision = { allowed: true; basis: string } | { allowed: false; reason: string };

export function rolesGranting(permission: Permission): Role[] {
  return (Object.keys(ROLE_PERMISSIONS) as Role[]).filter((role) => ROLE_PERMISSIONS[role].includes(permission));
}

export function hasPermission(actor: Actor, permission: Permission): boolean {
  return actor.roles.some((role) => ROLE_PERMISSIONS[role].includes(permission));
}

/** The one decision: may this actor do this, to this target? Pure, so it is tested without a database. */
export function decide(actor: Actor | null, permission: Permission, target: Target = {}): Decision {
  if (!actor) return { allowed: false, reason: 'You need to sign in.' };
  if (!hasPermission(actor, permission)) {
    return { allowed: false, reason: `Your role in ${actor.teamName} does not allow this.` };
  }
  const partnershipWide = actor.roles.includes('partnership_administrator');
  if (permission === 'directory.manage' && !partnershipWide) {
    if (target.agencyId !== undefined && target.agencyId !== actor.agencyId) {
      return { allowed: false, reason: 'Agency administrators manage only their own agency.' };
    }
    if (target.grantsRoles?.some((role) => PARTNERSHIP_ROLES.includes(role))) {
      return { allowed: false, reason: 'Only a partnership administrator can give partnership-wide roles.' };
    }
    return { allowed: true, basis: `agency administrator for ${actor.agencyName}` };
  }
  return { allowed: true, basis: `role in ${actor.teamName}` };
}
