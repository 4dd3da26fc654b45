import type { Actor } from '../platform/access/actor.js';
import type { TestClock } from '../platform/clocks/clock.js';
import { endOfLondonDay, isWorkingDay, londonDate } from '../platform/clocks/working-days.js';
import type { Services } from '../services.js';

/**
 * The demo's past, replayed through the real services on a clock that is moved to each moment in
 * turn, so every referral, clock and audit event is dated as if the work had happened then.
 * Stories are written one person at a time; the timeline plays every step of every story in order.
 */

/** `[working days before now, 'HH:MM' UK time]`. */
export type When = readonly [number, string];

export type Command = { referralId: string; version: number };

/** One referral as a story follows it: its id, and the version the next step must name. */
export class StoryReferral {
  id = '';
  personId = '';
  caseId = '';
  private version = 1;

  constructor(private readonly clock: TestClock) {}

  /** The command for the next step; each step moves the referral's version on by one. */
  next(): Command {
    return { referralId: this.id, version: this.version++ };
  }

  /** When something recorded now happened: a little earlier, as contacts are written up afterwards. */
  happened(minutesAgo = 30): string {
    return new Date(this.clock.now().getTime() - minutesAgo * 60_000).toISOString();
  }
}

export type Step = (referral: StoryReferral) => Promise<unknown>;

type Scheduled = { at: Date; order: number; label: string; run: () => Promise<unknown> };

export class Timeline {
  private readonly scheduled: Scheduled[] = [];
  /** Each referral's story by its label, for later stories about the same person. */
  readonly stories = new Map<string, StoryReferral>();

  constructor(
    readonly services: Services,
    readonly clock: TestClock,
    private readonly now: Date,
  ) {}

  /** The instant `when` names: counted back in working days, never later than a minute before now. */
  instant([workingDaysAgo, time]: When): Date {
    let date = londonDate(this.now);
    for (let left = workingDaysAgo; left > 0; ) {
      date = new Date(Date.parse(`${date}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      if (isWorkingDay(date)) left--;
    }
    const [hours, minutes] = time.split(':').map(Number) as [number, number];
    const endOfDay = endOfLondonDay(date).getTime();
    const at = endOfDay - ((23 - hours) * 3600 + (59 - minutes) * 60 + 59) * 1000 - 999;
    return new Date(Math.min(at, this.now.getTime() - 60_000));
  }

  at(when: When, run: () => Promise<unknown>, label = 'a demo step') {
    this.scheduled.push({ at: this.instant(when), order: this.scheduled.length, label, run });
  }

  /** A referral's story: received at `when`, then each step at its own moment. */
  referral(label: string, when: When, receive: () => Promise<{ id: string; personId: string }>, steps: [When, Step][] = []): StoryReferral {
    const referral = new StoryReferral(this.clock);
    this.stories.set(label, referral);
    this.at(when, async () => {
      const row = await receive();
      referral.id = row.id;
      referral.personId = row.personId;
    }, `${label}: received`);
    steps.forEach(([stepWhen, step], i) => this.at(stepWhen, () => step(referral), `${label}: step ${i + 1}`));
    return referral;
  }

  /** Plays every step in time order (steps at the same moment in the order they were written). */
  async play() {
    const ordered = [...this.scheduled].sort((a, b) => a.at.getTime() - b.at.getTime() || a.order - b.order);
    for (const step of ordered) {
      this.clock.set(step.at);
      try {
        await step.run();
      } catch (error) {
        const problems = (error as { fieldErrors?: { field: string; message: string }[] }).fieldErrors?.map((f) => `${f.field}: ${f.message}`) ?? [];
        throw new Error(`The demo's "${step.label}" at ${step.at.toISOString()} failed: ${[(error as Error).message, ...problems].join('; ')}`, { cause: error });
      }
    }
    this.clock.set(this.now);
  }
}

/** The steps of the referral journey, each a call to the real ReferralsService as the given actor. */
export function journeySteps(services: Services) {
  const referrals = services.referrals;
  return {
    screen: (actor: Actor, category: 'emergency' | 'urgent' | 'routine', reason?: string): Step => (r) => referrals.screen(actor, r.next(), { category, reason }),
    signpost: (actor: Actor, input: { reason: string; signposting: string; notAssessingReason: string }): Step => (r) => referrals.screen(actor, r.next(), { category: 'inappropriate', ...input }),
    contact: (actor: Actor, kind: 'first_contact' | 'assessment', method: string, summary: string): Step => (r) =>
      referrals.recordContact(actor, r.next(), { kind, happenedAt: r.happened(), method, summary }),
    eligible: (actor: Actor, participants: string[], basis: string, conditions: string, levelOfNeed: 'critical' | 'substantial' = 'substantial'): Step => (r) =>
      referrals.decideEligibility(actor, r.next(), { eligible: 'yes', seriousMentalIllness: 'yes', conditions, risks: 'yes', levelOfNeed, participants, basis }),
    notEligible: (actor: Actor, participants: string[], basis: string, signposting: string): Step => (r) =>
      referrals.decideEligibility(actor, r.next(), { eligible: 'no', seriousMentalIllness: 'no', risks: 'no', levelOfNeed: 'moderate', participants, basis, signposting }),
    waitingList: (manager: Actor): Step => (r) => referrals.placeOnWaitingList(manager, r.next()),
    riskCheck: (actor: Actor, riskSummary: string, expedite: 'yes' | 'no' = 'no'): Step => (r) => referrals.recordRiskCheck(actor, r.next(), { riskSummary, expedite }),
    requestInformation: (actor: Actor, items: string[], question?: string): Step => (r) => referrals.requestInformation(actor, r.next(), { items, question }),
    answerInformation: (actor: Actor, answer: string): Step => (r) => referrals.answerInformation(actor, r.next(), { answer }),
    feedback: (actor: Actor, message: string): Step => (r) => referrals.giveFeedback(actor, r.next(), { message }),
    withdraw: (actor: Actor, reason: string): Step => (r) => referrals.withdraw(actor, r.next(), { reason }),
    allocate: (manager: Actor, coordinator: Actor, input: { reasons: string; considerations: string[]; leadAgencyId?: string; leadAgencyAgreed?: 'yes' | 'no' }): Step => async (r) => {
      const opened = await referrals.allocate(manager, r.next(), {
        coordinatorUserId: coordinator.userId,
        reasons: input.reasons,
        considerations: input.considerations,
        leadAgencyId: input.leadAgencyId ?? manager.agencyId,
        leadAgencyAgreed: input.leadAgencyAgreed ?? 'yes',
      });
      r.caseId = opened.id;
    },
  };
}
