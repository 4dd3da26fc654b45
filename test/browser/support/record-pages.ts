import type { Locator, Page } from 'playwright-core';
import { ErrorSummary, Header, onPage, textOf } from './pages.js';
import { FindAPersonPage } from './casework-pages.js';

/**
 * Page objects for a person's record and what hangs off it: its sections (details, notes, agencies
 * involved, consent and sharing, who can see this), the forms each section leads to, emergency
 * access from the search, and the auditor's access alerts.
 */

type DateParts = { day: string; month: string; year: string };

/** The London date of an instant, as a GOV.UK date input takes it. */
export function ukDateOf(at: Date): DateParts {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'numeric', year: 'numeric' }).formatToParts(at).map((p) => [p.type, p.value]),
  );
  return { day: parts.day!, month: parts.month!, year: parts.year! };
}

/** The group (fieldset) with this legend: radios, checkboxes or a date input. */
const group = (page: Page, legend: string): Locator => page.getByRole('group', { name: legend, exact: true });

async function tick(page: Page, legend: string, labels: readonly string[]): Promise<void> {
  for (const label of labels) await group(page, legend).getByLabel(label, { exact: true }).check();
}

async function fillDate(page: Page, legend: string, date: DateParts): Promise<void> {
  const fields = group(page, legend);
  await fields.getByLabel('Day', { exact: true }).fill(date.day);
  await fields.getByLabel('Month', { exact: true }).fill(date.month);
  await fields.getByLabel('Year', { exact: true }).fill(date.year);
}

/** Opens "Find a person" from the main menu and searches by name (and date of birth, for a known check). */
export async function searchFor(page: Page, name: string, dateOfBirth?: DateParts): Promise<FindAPersonPage> {
  await new Header(page).open('Find a person');
  const search = await FindAPersonPage.arrive(page);
  await search.searchByName(name, dateOfBirth);
  return search;
}

export type RecordSection = 'Details' | 'Notes' | 'Agencies involved' | 'Consent and sharing' | 'Who can see this';

export class PersonRecord {
  private constructor(
    readonly page: Page,
    readonly name: string,
  ) {}

  static async arrive(page: Page, name: string): Promise<PersonRecord> {
    await onPage(page, name);
    return new PersonRecord(page, name);
  }

  /** Finds the person with the search and follows "Open record" on their result. */
  static async find(page: Page, name: string): Promise<PersonRecord> {
    await searchFor(page, name);
    await page.getByRole('link', { name: `Open record (${name})`, exact: true }).click();
    return PersonRecord.arrive(page, name);
  }

  navigation(): Locator {
    return this.page.getByRole('navigation', { name: `Sections of ${this.name}’s record` });
  }

  /** Follows the record's sub-navigation and waits until the section it names is the current one. */
  async openSection(section: RecordSection): Promise<void> {
    await this.navigation().getByRole('link', { name: section, exact: true }).click();
    await this.navigation()
      .locator('[aria-current="page"]')
      .filter({ hasText: new RegExp(`^\\s*${section}\\s*$`) })
      .waitFor();
  }

  notice(): Promise<string> {
    return textOf(this.page.getByTestId('notice'));
  }

  emergencyBanner(): Promise<string> {
    return textOf(this.page.getByTestId('break-glass-banner'));
  }

  /** The titles of the notes listed in the Notes section, newest first. */
  async noteTitles(): Promise<string[]> {
    await this.page.getByTestId('notes').waitFor();
    return (await this.page.getByTestId('note').getByRole('heading', { level: 3 }).allInnerTexts()).map((t) => t.trim());
  }

  /** "Who can see this": why the reader may open the record, in words. */
  myAccess(): Promise<string> {
    return textOf(this.page.getByTestId('my-access'));
  }

  /** "Who can see this": whether, and why, the reader sees one kind of information other agencies recorded. */
  categoryAccess(category: string): Promise<string> {
    return textOf(this.page.locator(`[data-qa="category"][data-category="${category}"]`));
  }
}

export type ConsentGiven = {
  agencies: string[];
  categories: string[];
  purposes: string[];
  how: string;
  decidedOn: DateParts;
  reviewOn: DateParts;
  notes?: string;
};

/** Consent and sharing → "Record a consent decision" (CON-1). */
export class ConsentForm {
  readonly errors: ErrorSummary;
  private constructor(readonly page: Page) {
    this.errors = new ErrorSummary(page);
  }

  static async open(record: PersonRecord): Promise<ConsentForm> {
    await record.page.getByRole('button', { name: 'Record a consent decision' }).click();
    await onPage(record.page, 'Record a consent decision');
    return new ConsentForm(record.page);
  }

  async submit(): Promise<void> {
    await this.page.getByRole('button', { name: 'Record decision' }).click();
  }

  async recordGiven(consent: ConsentGiven): Promise<void> {
    await tick(this.page, 'What did the person decide?', ['They gave consent']);
    await tick(this.page, 'Which agencies?', consent.agencies);
    await tick(this.page, 'What information?', consent.categories);
    await tick(this.page, 'What may it be used for?', consent.purposes);
    await tick(this.page, 'How did they tell you?', [consent.how]);
    await fillDate(this.page, 'When did they decide?', consent.decidedOn);
    await fillDate(this.page, 'When should it be reviewed?', consent.reviewOn);
    if (consent.notes) await this.page.getByLabel('Notes (optional)', { exact: true }).fill(consent.notes);
    await this.submit();
  }
}

export type AgencyInvolvement = { agency: string; team?: string; role: string; domains: string[]; leadDomains?: string[]; contactName?: string; communication?: string };

/** Agencies involved → "Add an agency" (COORD-6). */
export class AddAgencyForm {
  private constructor(readonly page: Page) {}

  static async open(record: PersonRecord): Promise<AddAgencyForm> {
    await record.page.getByTestId('add-agency').click();
    await onPage(record.page, 'Add an agency');
    return new AddAgencyForm(record.page);
  }

  async add(involvement: AgencyInvolvement): Promise<void> {
    const page = this.page;
    await page.getByLabel('Agency', { exact: true }).selectOption({ label: involvement.agency });
    if (involvement.team) await page.getByLabel('Team (optional)', { exact: true }).selectOption({ label: involvement.team });
    await tick(page, 'Its role', [involvement.role]);
    for (const domain of involvement.domains) await page.getByTestId('domains').getByLabel(domain, { exact: true }).check();
    for (const domain of involvement.leadDomains ?? []) await page.getByTestId('lead-domains').getByLabel(domain, { exact: true }).check();
    if (involvement.contactName) await page.getByLabel('Name', { exact: true }).fill(involvement.contactName);
    if (involvement.communication) await page.getByLabel('How will the agencies communicate? (optional)', { exact: true }).fill(involvement.communication);
    await page.getByRole('button', { name: 'Add agency' }).click();
  }
}

export type NewNote = { kind: string; title: string; text: string };

/** Notes → "Add a note". */
export class NoteForm {
  private constructor(readonly page: Page) {}

  static async open(record: PersonRecord): Promise<NoteForm> {
    await record.page.getByRole('button', { name: 'Add a note' }).click();
    await onPage(record.page, 'Add a note');
    return new NoteForm(record.page);
  }

  async add(note: NewNote): Promise<void> {
    await tick(this.page, 'What kind of information is it?', [note.kind]);
    await this.page.getByLabel('Title', { exact: true }).fill(note.title);
    await this.page.getByLabel('Note', { exact: true }).fill(note.text);
    await this.page.getByRole('button', { name: 'Add note' }).click();
  }
}

export type Restriction = { agencies: string[]; otherParties?: string; reason: string };

/** A note's "Restrict who can see this" → "Restrict this entry" (CON-2). */
export class RestrictionForm {
  private constructor(readonly page: Page) {}

  static async openForNote(record: PersonRecord, title: string): Promise<RestrictionForm> {
    await record.page.getByRole('link', { name: `Restrict who can see this note: ${title}`, exact: true }).click();
    await onPage(record.page, 'Restrict this entry');
    return new RestrictionForm(record.page);
  }

  async record(restriction: Restriction): Promise<void> {
    await tick(this.page, 'Which agencies must not see it?', restriction.agencies);
    if (restriction.otherParties) await this.page.getByLabel('Anyone else who must not be told (optional)', { exact: true }).fill(restriction.otherParties);
    await this.page.getByLabel('Why did they ask?', { exact: true }).fill(restriction.reason);
    await this.page.getByRole('button', { name: 'Record restriction' }).click();
  }
}

/** "Emergency access" on a search result: the break-glass form. */
export class EmergencyAccessForm {
  readonly errors: ErrorSummary;
  private constructor(readonly page: Page) {
    this.errors = new ErrorSummary(page);
  }

  static async fromSearchResult(page: Page, name: string): Promise<EmergencyAccessForm> {
    await page.getByRole('link', { name: `Emergency access to ${name}’s record (${name})`, exact: true }).click();
    await onPage(page, 'Emergency access to this record');
    return new EmergencyAccessForm(page);
  }

  warning(): Promise<string> {
    return textOf(this.page.getByTestId('break-glass-warning'));
  }

  async ask(reason: string, explanation: string): Promise<void> {
    await tick(this.page, 'Why do you need emergency access?', [reason]);
    await this.page.getByLabel('What has happened, and why can it not wait for the agencies involved?', { exact: true }).fill(explanation);
    await this.page.getByRole('button', { name: 'Open the record in an emergency' }).click();
  }
}

/** The auditor's queue of access alerts, and one alert with its review form. */
export class AccessAlertsPage {
  private constructor(readonly page: Page) {}

  /** Follows the main menu item, which carries the number waiting: "Access alerts (2 to review)". */
  static async open(page: Page): Promise<AccessAlertsPage> {
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: /^Access alerts \(\d+ to review\)$/ }).click();
    return AccessAlertsPage.arrive(page);
  }

  static async arrive(page: Page): Promise<AccessAlertsPage> {
    await onPage(page, /^Access alerts/);
    return new AccessAlertsPage(page);
  }

  async toReview(): Promise<number> {
    return Number(/^(\d+) to review$/.exec(await textOf(this.page.getByTestId('unreviewed-count')))?.[1]);
  }

  /** The alert rows that mention all of these words (a person's name, who raised it). */
  row(...words: string[]): Locator {
    let rows = this.page.getByTestId('alert');
    for (const word of words) rows = rows.filter({ hasText: word });
    return rows;
  }

  async openAlert(...words: string[]): Promise<AlertPage> {
    await this.row(...words).getByTestId('open-alert').click();
    await onPage(this.page, /^Emergency access: |^Many records opened: /);
    return new AlertPage(this.page);
  }
}

export class AlertPage {
  readonly errors: ErrorSummary;
  constructor(readonly page: Page) {
    this.errors = new ErrorSummary(page);
  }

  details(): Promise<string> {
    return textOf(this.page.getByTestId('alert-details'));
  }

  activity(): Promise<string> {
    return textOf(this.page.getByTestId('activity'));
  }

  status(): Promise<string> {
    return textOf(this.page.getByTestId('alert-status').first());
  }

  review(): Promise<string> {
    return textOf(this.page.getByTestId('review'));
  }

  async recordReview(outcome: string, notes: string): Promise<void> {
    await tick(this.page, 'Was this access justified?', [outcome]);
    await this.page.getByLabel('What you found and what you decided', { exact: true }).fill(notes);
    await this.page.getByRole('button', { name: 'Record review' }).click();
  }

  async backToAlerts(): Promise<AccessAlertsPage> {
    await this.page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Access alerts', exact: true }).click();
    return AccessAlertsPage.arrive(this.page);
  }
}
