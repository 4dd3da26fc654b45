import type { Locator, Page } from 'playwright-core';
import { onPage, textOf } from './pages.js';

/**
 * Page objects for casework: finding a person, making a referral and the receiving team's steps
 * from screening to allocation. Each step page shares one shape (a question page that posts and
 * lands back on the referral), so the steps are methods on one class rather than a class each.
 */

/** A date and time in UK time, as the date-and-time fields take them. */
export type UkDateTime = { day: string; month: string; year: string; time: string };

/** The UK wall-clock reading of an instant: what a practitioner would type for it. */
export function ukDateTimeOf(at: Date): UkDateTime {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { day: parts.day!, month: parts.month!, year: parts.year!, time: `${parts.hour}:${parts.minute}` };
}

/** Fills a GOV.UK date input (Day, Month, Year) found by its fieldset's legend. */
async function fillDate(page: Page, legend: string, date: { day: string; month: string; year: string }) {
  const group = page.getByRole('group', { name: legend, exact: true });
  await group.getByLabel('Day', { exact: true }).fill(date.day);
  await group.getByLabel('Month', { exact: true }).fill(date.month);
  await group.getByLabel('Year', { exact: true }).fill(date.year);
}

/** Chooses a radio (or ticks a checkbox) in the group with the given legend. */
async function choose(page: Page, legend: string, option: string) {
  await page.getByRole('group', { name: legend, exact: true }).getByLabel(option, { exact: true }).check();
}

export class FindAPersonPage {
  private constructor(readonly page: Page) {}

  static async arrive(page: Page): Promise<FindAPersonPage> {
    await onPage(page, 'Is this person already known?');
    return new FindAPersonPage(page);
  }

  /** With a date of birth too, a team that receives referrals checks whether anyone is known (REF-8); by name alone it finds only people it works with. */
  async searchByName(name: string, dateOfBirth?: { day: string; month: string; year: string }): Promise<void> {
    await this.page.getByLabel('Name', { exact: true }).fill(name);
    if (dateOfBirth) await fillDate(this.page, 'Date of birth', dateOfBirth);
    await this.page.getByRole('button', { name: 'Search', exact: true }).click();
    await this.page.getByTestId('result-count').waitFor();
  }

  resultCount(): Promise<string> {
    return textOf(this.page.getByTestId('result-count'));
  }

  async makeAReferral(): Promise<IntakeForm> {
    await this.page.getByTestId('no-results').getByRole('link', { name: 'make a referral', exact: true }).click();
    return IntakeForm.arrive(this.page);
  }
}

export type NewPersonReferral = {
  givenName: string;
  familyName: string;
  dateOfBirth: { day: string; month: string; year: string };
  postcode: string;
  service: string;
  reason: string;
  /** Each risk's legend and the answer chosen for it. */
  risks: Record<string, 'Immediate' | 'Potential' | 'None' | 'Not known'>;
  consentToReferral: 'Yes' | 'No' | 'Not asked';
  consentToShare: 'Yes' | 'No' | 'Not asked';
  referrerRole: string;
};

export class IntakeForm {
  private constructor(readonly page: Page) {}

  static async arrive(page: Page): Promise<IntakeForm> {
    await onPage(page, 'Record a referral');
    return new IntakeForm(page);
  }

  async fillIn(referral: NewPersonReferral): Promise<void> {
    const page = this.page;
    await page.getByLabel('First name', { exact: true }).fill(referral.givenName);
    await page.getByLabel('Last name', { exact: true }).fill(referral.familyName);
    await fillDate(page, 'Date of birth (optional)', referral.dateOfBirth);
    await page.getByLabel('Postcode (optional)', { exact: true }).fill(referral.postcode);
    await page.getByLabel('The service the referral is to', { exact: true }).selectOption({ label: referral.service });
    await page.getByLabel('Their role (optional)', { exact: true }).fill(referral.referrerRole);
    await page.getByLabel('Reason for the referral', { exact: true }).fill(referral.reason);
    for (const [risk, answer] of Object.entries(referral.risks)) await choose(page, risk, answer);
    await choose(page, 'Did the person agree to the referral?', referral.consentToReferral);
    await choose(page, 'Did they agree to information being shared with the agencies involved?', referral.consentToShare);
  }

  async submit(): Promise<ReferralPage> {
    await this.page.getByRole('button', { name: 'Record referral' }).click();
    return ReferralPage.arrive(this.page);
  }
}

/** A referral: the referrer's status page or the receiving team's working page (both headed "Referral REF-…"). */
export class ReferralPage {
  private constructor(readonly page: Page) {}

  static async arrive(page: Page): Promise<ReferralPage> {
    await onPage(page, /^Referral REF-\d{4}-\d{6}\b/);
    return new ReferralPage(page);
  }

  async reference(): Promise<string> {
    const heading = await textOf(this.page.getByRole('heading', { level: 1 }));
    return /REF-\d{4}-\d{6}/.exec(heading)![0];
  }

  status(): Promise<string> {
    return textOf(this.page.getByRole('heading', { level: 1 }).getByTestId('status'));
  }

  notice(): Promise<string> {
    return textOf(this.page.getByTestId('notice'));
  }

  personName(): Promise<string> {
    return textOf(this.page.getByTestId('person-name'));
  }

  caseSummary(): Promise<string> {
    return textOf(this.page.getByTestId('case'));
  }

  /** Follows one of the step buttons (links styled as buttons) to its question page. */
  async takeStep(button: string, heading: string): Promise<StepForm> {
    await this.page.getByTestId('steps').getByRole('button', { name: button, exact: true }).click();
    await onPage(this.page, heading);
    return new StepForm(this.page);
  }

  async openPerson(name: string): Promise<void> {
    await this.page.getByTestId('referral-details').getByRole('link', { name, exact: true }).click();
    await onPage(this.page, name);
  }
}

/** One step's question page. Each method fills its form, sends it, and lands back on the referral. */
export class StepForm {
  constructor(readonly page: Page) {}

  suggestion(): Promise<string> {
    return textOf(this.page.getByTestId('suggestion'));
  }

  private async send(button: string): Promise<ReferralPage> {
    await this.page.getByRole('button', { name: button, exact: true }).click();
    return ReferralPage.arrive(this.page);
  }

  async screen(category: string): Promise<ReferralPage> {
    await choose(this.page, 'Category (REF-3)', category);
    return this.send('Record screening');
  }

  async recordContact(contact: { kind: string; at: UkDateTime; method: string; summary: string }): Promise<ReferralPage> {
    await choose(this.page, 'What happened', contact.kind);
    await fillDate(this.page, 'Date', contact.at);
    await this.page.getByLabel('Time', { exact: true }).fill(contact.at.time);
    await this.page.getByLabel('How', { exact: true }).fill(contact.method);
    await this.page.getByLabel('Summary', { exact: true }).fill(contact.summary);
    return this.send('Record');
  }

  async decideEligibility(decision: { illness: string; risks: string; levelOfNeed: string; eligible: string; participants: string[]; basis: string }): Promise<ReferralPage> {
    await choose(this.page, '1. Is there an apparent serious mental illness?', decision.illness);
    await choose(this.page, '2. Are there one or more risks?', decision.risks);
    await choose(this.page, '3. How far is their ability to function in the community impaired?', decision.levelOfNeed);
    await choose(this.page, 'Is the person eligible for the service?', decision.eligible);
    await this.page.getByLabel('Who took part in the decision', { exact: true }).fill(decision.participants.join('\n'));
    await this.page.getByLabel('The basis for the decision', { exact: true }).fill(decision.basis);
    return this.send('Record decision');
  }

  candidates(): Locator {
    return this.page.getByRole('group', { name: 'Care coordinator', exact: true });
  }

  async allocate(allocation: { coordinator: string; considerations: string[]; reasons: string; leadAgency: string; agreed: string }): Promise<ReferralPage> {
    await this.candidates().getByLabel(allocation.coordinator, { exact: true }).check();
    for (const consideration of allocation.considerations) await choose(this.page, 'What you considered', consideration);
    await this.page.getByLabel('Reasons for this allocation', { exact: true }).fill(allocation.reasons);
    await this.page.getByLabel('Lead agency', { exact: true }).selectOption({ label: allocation.leadAgency });
    await choose(this.page, 'Have the agencies involved agreed the lead agency?', allocation.agreed);
    return this.send('Allocate and open case');
  }
}
