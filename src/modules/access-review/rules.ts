import type { AccessBasis, ItemAccessBasis } from '../../platform/access/person-access.js';
import type { InvolvementRole } from '../../platform/access/schema.js';

/*
 * Reviewing access to records: emergency access (break-glass) and the alerts the auditor and
 * Caldicott guardian review, and the plain words that explain to anyone why they can see what they see
 * (CON-2: need to know; the person's consent, CON-1, and its exceptions, CON-4).
 */

export const BREAK_GLASS_EXPLANATION = { min: 20, max: 1000 } as const;
export const REVIEW_NOTES_MAX = 2000;

const HOUR = 60 * 60_000;

/** Emergency access lasts a fixed number of hours from the moment it is asked for, then ends by itself. */
export function breakGlassExpiry(startedAt: Date, hours: number): Date {
  return new Date(startedAt.getTime() + hours * HOUR);
}

/**
 * Emergency access is for emergencies: after `perHour` openings in the last hour, a user's next one waits
 * for the Caldicott guardian to approve it, however urgent it is said to be.
 */
export function breakGlassMustWait(startedInLastHour: number, perHour: number): boolean {
  return startedInLastHour >= perHour;
}

/** The hour over which openings of emergency access are counted, up to now. */
export function lastHour(now: Date): { from: Date; to: Date } {
  return { from: new Date(now.getTime() - HOUR), to: new Date(now.getTime() + 1) };
}

export const DECISION_NAMES = { approved: 'Approved', declined: 'Declined' } as const;

/**
 * The hour counted for "too many records": the last hour up to now, raised once per user in each clock
 * hour (UK offsets are whole hours, so the UTC hour is the UK hour), however often and by however many
 * workers the check runs.
 */
export function manyRecordsWindow(now: Date): { from: Date; to: Date; hourStart: Date } {
  return { from: new Date(now.getTime() - HOUR), to: new Date(now.getTime() + 1), hourStart: new Date(Math.floor(now.getTime() / HOUR) * HOUR) };
}

export const ALERT_KIND_NAMES = { break_glass: 'Emergency access', many_records: 'Many records in an hour', role_change: 'Change to a sensitive role' } as const;
export const ALERT_OUTCOME_NAMES = { justified: 'Justified', not_justified: 'Not justified', needs_follow_up: 'Needs follow-up' } as const;

/** Why the actor can open the record at all, in a word for a tag. */
export const PERSON_ACCESS_NAMES: Record<AccessBasis, string> = {
  involvement: 'Your agency is involved',
  exception: 'Shared under an exception',
  break_glass: 'Emergency access',
  referrer: 'Referral status only',
  none: 'No access',
  role: 'No casework access',
};

/**
 * What each item-level decision means for information another agency recorded, in words a practitioner
 * reads once and understands: what they see, and what would change it.
 */
export const ITEM_ACCESS_WORDS: Record<ItemAccessBasis, { shown: string; explanation: string }> = {
  own_agency: { shown: 'Yes', explanation: 'Your agency recorded it.' },
  basic_details: { shown: 'Yes', explanation: 'Basic details (name, date of birth, address, who is involved) are shared with every agency involved, because care cannot be coordinated without them.' },
  consent: { shown: 'Yes', explanation: 'The person consented to this being shared with your agency.' },
  exception: {
    shown: 'Yes',
    explanation: 'It is shared without the person’s consent under a recorded exception (for example a risk of serious harm), decided by a team manager and reviewed by a set date.',
  },
  break_glass: { shown: 'Yes, for now', explanation: 'Only because you are using emergency access. It ends at the time shown, and your reason is reviewed by the Caldicott guardian.' },
  restricted: { shown: 'No', explanation: 'The person asked that this is not shared with your agency. Only a recorded exception can override their wish.' },
  no_consent: { shown: 'No', explanation: 'There is no consent in force to share this with your agency. Ask the person, or the agency that recorded it, if you need it.' },
  no_record: { shown: 'No', explanation: 'You cannot open this record.' },
};

/** Why an involved agency can see the record, by its role in the person's care. */
export const INVOLVEMENT_ROLE_WORDS: Record<InvolvementRole, string> = {
  receiving_service: 'Received a referral for this person',
  lead_agency: 'Lead agency for this person’s care',
  partner: 'Involved in this person’s care',
  referrer: 'Referred this person: sees the referral’s status only, not the record',
};

/** What part of the record each kind of opening showed. */
export const RECORD_OPEN_WORDS: Record<string, string> = {
  'person.viewed': 'Details',
  'case.viewed': 'A case',
  'referral.viewed': 'A referral',
  'notes.viewed': 'Notes',
  'risk.viewed': 'Risk',
  'sharing.viewed': 'Consent and sharing',
  'involvement.viewed': 'Agencies involved',
  'access.viewed': 'Who can see this',
};
