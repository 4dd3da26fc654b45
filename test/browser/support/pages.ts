import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../support/app.js';

/**
 * Page objects for what every signed-in page shares, and for signing in and out. Each method is
 * one thing a person does or sees, found the way they would find it: by label, role or visible
 * text, or by a `data-qa` attribute where the text is data.
 */

/** Waits until the page's main heading reads `name` (a new page has loaded), and returns it. */
export async function onPage(page: Page, name: string | RegExp): Promise<Locator> {
  const heading = page.getByRole('heading', { level: 1, name });
  await heading.waitFor();
  return heading;
}

export async function textOf(locator: Locator): Promise<string> {
  await locator.waitFor();
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

/** The GOV.UK error summary: its title and the link for each problem, pointing at its field. */
export class ErrorSummary {
  readonly root: Locator;
  constructor(private readonly page: Page) {
    this.root = page.locator('.govuk-error-summary');
  }

  async messages(): Promise<{ text: string; href: string | null }[]> {
    await this.root.waitFor();
    const links = await this.root.getByRole('link').all();
    return Promise.all(links.map(async (link) => ({ text: (await link.innerText()).trim(), href: await link.getAttribute('href') })));
  }

  async expectProblems(expected: Record<string, string | RegExp>) {
    assert.equal(await textOf(this.root.getByRole('heading', { level: 2 })), 'There is a problem');
    const messages = await this.messages();
    for (const [field, text] of Object.entries(expected)) {
      const message = messages.find((m) => m.href === `#${field}`);
      assert.ok(message, `the error summary links to #${field}; it has ${JSON.stringify(messages)}`);
      if (typeof text === 'string') assert.equal(message.text, text);
      else assert.match(message.text, text);
    }
  }

  /** Whether the summary holds the focus, as GOV.UK Frontend gives it on load so a screen reader reads it first. */
  async hasFocus(): Promise<boolean> {
    return (await this.page.locator('.govuk-error-summary:focus, .govuk-error-summary :focus').count()) > 0;
  }

  /** Follows the summary's link to a field; returns the id of whatever has the focus afterwards. */
  async follow(text: string | RegExp): Promise<string | undefined> {
    await this.root.getByRole('link', { name: text }).click();
    const focused = this.page.locator(':focus');
    return (await focused.count()) === 1 ? ((await focused.getAttribute('id')) ?? undefined) : undefined;
  }
}

/** The header on every signed-in page: who you are, the main menu and the sign-out button. */
export class Header {
  constructor(private readonly page: Page) {}

  signedInAs(): Promise<string> {
    return textOf(this.page.getByTestId('signed-in-as'));
  }

  async open(item: string): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: item, exact: true }).click();
  }

  async signOut(): Promise<SignInPage> {
    await this.page.getByRole('button', { name: 'Sign out' }).click();
    return SignInPage.arrive(this.page);
  }
}

export class SignInPage {
  readonly errors: ErrorSummary;
  private constructor(readonly page: Page) {
    this.errors = new ErrorSummary(page);
  }

  static async open(page: Page): Promise<SignInPage> {
    await page.goto('/sign-in');
    return SignInPage.arrive(page);
  }

  /** For when something else (signing out, a session ending) has brought the browser here. */
  static async arrive(page: Page): Promise<SignInPage> {
    await onPage(page, 'Sign in to Concord');
    return new SignInPage(page);
  }

  async fillIn(email: string, password: string) {
    await this.page.getByLabel('Email address').fill(email);
    // `exact`, or "Show password" (the reveal button) would match too.
    await this.page.getByLabel('Password', { exact: true }).fill(password);
  }

  async submit() {
    await this.page.getByRole('button', { name: 'Sign in' }).click();
  }

  /** Signs in and waits for the page it leads to (My work, unless the sign-in was to reach another page). */
  async signIn(email: string, password = DEMO_PASSWORD, landsOn: string | RegExp = 'My work'): Promise<Header> {
    await this.fillIn(email, password);
    await this.submit();
    await onPage(this.page, landsOn);
    return new Header(this.page);
  }

  signedOutMessage(): Locator {
    return this.page.getByTestId('signed-out');
  }
}

/** Opens the sign-in page and signs in: the start of most journeys. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<Header> {
  return (await SignInPage.open(page)).signIn(email, password);
}
