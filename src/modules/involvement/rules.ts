import { z } from 'zod';
import { versionField } from '../directory/rules.js';

/**
 * The agencies involved in a person's care (COORD-6, REC-1): what each covers, which aspects it leads
 * on and through whom, and how the agencies talk to each other ("don't assume, ask and verify").
 * Pure: the service hands in the involvements it read and gets back a decision or a refusal.
 */

/** The aspects of a person's life that agencies divide between them. */
export const LIFE_DOMAINS = [
  'mental_health',
  'physical_health',
  'substance_use',
  'housing',
  'money',
  'daily_living',
  'family',
  'offending',
  'work_learning',
  'safety',
] as const;
export type LifeDomain = (typeof LIFE_DOMAINS)[number];

export const DOMAIN_NAMES: Record<LifeDomain, string> = {
  mental_health: 'Mental health',
  physical_health: 'Physical health',
  substance_use: 'Drug and alcohol use',
  housing: 'Housing',
  money: 'Money and benefits',
  daily_living: 'Daily living and personal care',
  family: 'Family and children',
  offending: 'Offending and justice',
  work_learning: 'Work and learning',
  safety: 'Safety and risk',
};

/** A coordinator adds a partner or the lead agency; receiving a referral and referring are the referral's doing. */
export const ADDED_ROLES = ['partner', 'lead_agency'] as const;
export type AddedRole = (typeof ADDED_ROLES)[number];

export const ROLE_NAMES = {
  referrer: 'Referred',
  receiving_service: 'Received a referral',
  lead_agency: 'Lead agency',
  partner: 'Partner agency',
} as const;
export type InvolvementRoleCode = keyof typeof ROLE_NAMES;

/** Aspects of care as a sentence says them: "housing, money and benefits and safety and risk". */
export const domainList = (domains: readonly string[]) => {
  const names = domains.map((d) => (DOMAIN_NAMES[d as LifeDomain] ?? d).toLowerCase());
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? '');
};

// ---- Input ----------------------------------------------------------------------------------------

const optionalText = (label: string, max: number) =>
  z
    .string({ error: `${label} must be text` })
    .trim()
    .max(max, `${label} must be ${max} characters or fewer`)
    .optional()
    .nullable()
    .transform((v) => (v ? v : null));

const domains = z
  .array(z.enum(LIFE_DOMAINS, { error: 'Select aspects of care from the list' }), { error: 'Select which aspects of care the agency covers' })
  .min(1, 'Select which aspects of care the agency covers');
const leadDomains = z.array(z.enum(LIFE_DOMAINS, { error: 'Select aspects of care from the list' }), { error: 'Select from the list' }).default([]);

/** Who to ask at the agency and how they and the others keep in touch (COORD-6). */
const details = {
  domains,
  leadDomains,
  contactName: optionalText('The key contact’s name', 200),
  contactRole: optionalText('The key contact’s role', 200),
  contactPhone: optionalText('The key contact’s telephone number', 200),
  communication: optionalText('How the agencies communicate', 1000),
};

/** COORD-6: an agency leads only on aspects it covers. */
const leadsWithinCover = <T extends { domains: LifeDomain[]; leadDomains: LifeDomain[] }>(schema: z.ZodType<T>) =>
  schema.superRefine((value, ctx) => {
    const outside = value.leadDomains.filter((d) => !value.domains.includes(d));
    if (outside.length) {
      ctx.addIssue({ code: 'custom', path: ['leadDomains'], message: `An agency can only lead on what it covers: also select ${domainList(outside)} under what it covers, or do not make it the lead` });
    }
  });

export const addInput = leadsWithinCover(
  z.object({
    agencyId: z.uuid({ error: 'Select the agency' }),
    teamId: z
      .union([z.uuid({ error: 'Select a team from the list' }), z.literal(''), z.null()], { error: 'Select a team from the list' })
      .optional()
      .transform((v) => (v ? v.toLowerCase() : null)),
    role: z.enum(ADDED_ROLES, { error: 'Select whether the agency is a partner or the lead agency' }),
    ...details,
  }),
);
export type AddInput = z.infer<typeof addInput>;

/** A change or an end names the version of the involvement it was made against, so a change made since is refused, not overwritten. */
const version = versionField.describe('The involvement’s `version` when you read it. If it has changed since, the answer is 409 INVOLVEMENT.CHANGED');

export const changeInput = leadsWithinCover(z.object({ ...details, version }));
export type ChangeInput = z.infer<typeof changeInput>;

export const endInput = z.object({
  version,
  reason: z
    .string({ error: 'Enter why the agency’s involvement is ending' })
    .trim()
    .min(1, 'Enter why the agency’s involvement is ending')
    .max(1000, 'The reason must be 1000 characters or fewer'),
});

// ---- Who leads on what ------------------------------------------------------------------------------

export type InvolvementFacts = {
  id: string;
  agencyName: string;
  role: InvolvementRoleCode;
  domains: readonly string[];
  leadDomains: readonly string[];
  sourceType: string;
  active: boolean;
};

/**
 * COORD-6: one agency leads each aspect of care at a time. Another agency that wants the lead is
 * refused, naming the one that has it: the coordinator changes theirs first, so the handover is
 * deliberate rather than two agencies each assuming the other leads.
 */
export function leadClashes(current: readonly InvolvementFacts[], changing: string | null, wantsToLead: readonly string[]): string[] {
  const problems: string[] = [];
  for (const domain of wantsToLead) {
    const holder = current.find((i) => i.active && i.id !== changing && i.leadDomains.includes(domain));
    if (holder) {
      problems.push(`${holder.agencyName} already leads on ${domainList([domain])}: change ${holder.agencyName}’s involvement first, then make this agency the lead`);
    }
  }
  return problems;
}

export type DomainLead = { domain: LifeDomain; name: string; lead: InvolvementFacts | null; coveredBy: InvolvementFacts[] };

/** Every aspect of care with the agency leading on it, if any, and who else covers it: what a coordinator checks for gaps. */
export function whoLeads<T extends InvolvementFacts>(involvements: readonly T[]): (DomainLead & { lead: T | null; coveredBy: T[] })[] {
  const active = involvements.filter((i) => i.active);
  return LIFE_DOMAINS.map((domain) => ({
    domain,
    name: DOMAIN_NAMES[domain],
    lead: active.find((i) => i.leadDomains.includes(domain)) ?? null,
    coveredBy: active.filter((i) => i.domains.includes(domain)),
  }));
}

/**
 * Why an involvement cannot be ended from the agencies page, or null when it can. The involvements a
 * referral or a case started end with them (a referral closed, a case discharged), so access and the
 * referral's or case's state never disagree. Every involvement a referral or case started is ended by
 * those steps, so one still active is still tied to an open referral or case.
 */
export function endRefusal(involvement: Pick<InvolvementFacts, 'role' | 'sourceType' | 'active' | 'agencyName'>): string | null {
  if (!involvement.active) return `${involvement.agencyName}’s involvement has already ended.`;
  if (involvement.role === 'receiving_service' && involvement.sourceType === 'referral') {
    return `${involvement.agencyName} received a referral for this person that is still open: its involvement ends when the referral is closed (signposted, not eligible or withdrawn) or, once allocated, when the case is discharged.`;
  }
  if (involvement.role === 'lead_agency' && involvement.sourceType === 'case') {
    return `${involvement.agencyName} is the lead agency for an open case: its involvement ends when the case is discharged, or passes to another agency by a transfer of care.`;
  }
  if (involvement.role === 'referrer') return `${involvement.agencyName} made a referral: it sees that referral’s status until the referral closes.`;
  return null;
}

/** What changed, field by field, for the audit trail: only what differs. */
export function changesBetween(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, { from: unknown; to: unknown }> {
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  return Object.fromEntries(Object.keys(after).filter((k) => !same(before[k], after[k])).map((k) => [k, { from: before[k] ?? null, to: after[k] ?? null }]));
}
