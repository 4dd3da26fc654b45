import type { Locator, Page } from 'playwright-core';
import { ErrorSummary, onPage, textOf } from './pages.js';

/** Page objects for a user's own account (teams, password, API tokens) and for the audit trail. */

export class AccountPage {
  private constructor(readonly page: Page) {}

  static async open(page: Page): Promise<AccountPage> {
    await page.goto('/account');
    await onPage(page, 'Your account');
    return new AccountPage(page);
  }

  whoYouAre(): Promise<string> {
    return textOf(this.page.getByTestId('who-you-are'));
  }

  teamChoice(): Locator {
    return this.page.getByRole('group', { name: 'Which team are you acting for?' });
  }

  async openSection(name: 'Change your password' | 'API tokens'): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Your account' }).getByRole('link', { name, exact: true }).click();
    await onPage(this.page, name);
  }
}

export class TokensPage {
  readonly errors: ErrorSummary;
  private constructor(readonly page: Page) {
    this.errors = new ErrorSummary(page);
  }

  static async arrive(page: Page): Promise<TokensPage> {
    await onPage(page, 'API tokens');
    return new TokensPage(page);
  }

  tokens(): Locator {
    return this.page.getByRole('table', { name: /Your API tokens/ });
  }

  /** Fills the form and sends it; what it may do and the password again are asked for, and left empty unless given. */
  async create(name: string, days?: string, confirm: { scope?: 'Read only' | 'Read and write'; password?: string } = {}): Promise<void> {
    await this.page.getByLabel('Token name', { exact: true }).fill(name);
    if (days !== undefined) await this.page.getByLabel('Days until it expires', { exact: true }).fill(days);
    if (confirm.scope) await this.page.getByLabel(confirm.scope, { exact: true }).check();
    if (confirm.password !== undefined) await this.page.getByLabel('Your password', { exact: true }).fill(confirm.password);
    await this.page.getByRole('button', { name: 'Create token' }).click();
  }

  /** The one page that shows a token's secret (a read-only token); returns it, then goes back to the list. */
  async createAndCopy(name: string, days: string, password: string): Promise<string> {
    await this.create(name, days, { scope: 'Read only', password });
    await onPage(this.page, 'Token created');
    return textOf(this.page.getByTestId('token-secret'));
  }

  async backToTokens(): Promise<TokensPage> {
    await this.page.getByRole('link', { name: /back to your tokens/ }).click();
    return TokensPage.arrive(this.page);
  }
}

export class AuditTrailPage {
  private constructor(readonly page: Page) {}

  static async open(page: Page, query = ''): Promise<AuditTrailPage> {
    await page.goto(`/audit${query}`);
    await onPage(page, 'Audit trail');
    return new AuditTrailPage(page);
  }

  events(): Locator {
    return this.page.getByRole('table', { name: /Audit events/ });
  }

  async filterByAction(action: string): Promise<void> {
    await this.page.getByLabel('Action', { exact: true }).selectOption(action);
    await this.page.getByRole('button', { name: 'Apply filters' }).click();
    await this.page.getByRole('table', { name: /matching the filters/ }).waitFor();
  }

  async checkChain(): Promise<string> {
    await this.page.getByRole('button', { name: 'Check the chain now' }).click();
    return textOf(this.page.getByTestId('notice'));
  }

  chainStatus(): Promise<string> {
    return textOf(this.page.getByTestId('chain-status'));
  }
}
