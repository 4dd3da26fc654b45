import type { Locator, Page } from 'playwright-core';
import { ErrorSummary, onPage, textOf } from './pages.js';

/** Page objects for the partnership directory: agencies, their users, and managing a user's account. */

export class DirectoryPage {
  private constructor(readonly page: Page) {}

  static async open(page: Page): Promise<DirectoryPage> {
    await page.goto('/directory');
    return DirectoryPage.arrive(page);
  }

  static async arrive(page: Page): Promise<DirectoryPage> {
    await onPage(page, 'Partnership directory');
    return new DirectoryPage(page);
  }

  agencies(): Locator {
    return this.page.getByRole('table', { name: 'Agencies' });
  }

  async openAgency(name: string): Promise<AgencyPage> {
    await this.agencies().getByRole('link', { name, exact: true }).click();
    return AgencyPage.arrive(this.page, name);
  }
}

export class AgencyPage {
  private constructor(readonly page: Page, readonly name: string) {}

  static async arrive(page: Page, name: string): Promise<AgencyPage> {
    await onPage(page, name);
    return new AgencyPage(page, name);
  }

  async addUser(): Promise<UserForm> {
    await this.page.getByRole('button', { name: 'Add a user' }).click();
    return UserForm.arrive(this.page);
  }

  users(): Locator {
    return this.page.getByRole('table', { name: `Users in ${this.name}` });
  }
}

export type NewUser = { name: string; email: string; jobTitle?: string; team: string; roles: string[]; password: string };

export class UserForm {
  readonly errors: ErrorSummary;
  private constructor(readonly page: Page) {
    this.errors = new ErrorSummary(page);
  }

  static async arrive(page: Page): Promise<UserForm> {
    await onPage(page, 'Add a user');
    return new UserForm(page);
  }

  async fillIn(user: NewUser) {
    await this.page.getByLabel('Full name', { exact: true }).fill(user.name);
    await this.page.getByLabel('Email address', { exact: true }).fill(user.email);
    if (user.jobTitle) await this.page.getByLabel('Job title (optional)', { exact: true }).fill(user.jobTitle);
    await this.page.getByLabel('Team', { exact: true }).selectOption({ label: user.team });
    const roles = this.page.getByRole('group', { name: 'Roles in this team' });
    for (const role of user.roles) await roles.getByLabel(role, { exact: true }).check();
    await this.page.getByLabel('Initial password', { exact: true }).fill(user.password);
  }

  /** Sends the form as it stands; stays on the form (with its error summary) when something is wrong. */
  async submit(): Promise<void> {
    await this.page.getByRole('button', { name: 'Add user' }).click();
  }

  async submitExpectingErrors(): Promise<UserForm> {
    await this.submit();
    await this.errors.root.waitFor();
    return UserForm.arrive(this.page);
  }

  async add(user: NewUser): Promise<UserPage> {
    await this.fillIn(user);
    await this.submit();
    return UserPage.arrive(this.page, user.name);
  }
}

export class UserPage {
  private constructor(readonly page: Page, readonly name: string) {}

  static async arrive(page: Page, name: string): Promise<UserPage> {
    await onPage(page, new RegExp(`^${name}\\b`));
    return new UserPage(page, name);
  }

  /** "Active" or "Deactivated", as the tag beside the name says. */
  status(): Promise<string> {
    return textOf(this.page.getByTestId('user-name').getByTestId('status'));
  }

  notice(): Promise<string> {
    return textOf(this.page.getByTestId('notice'));
  }

  details(): Promise<string> {
    return textOf(this.page.getByTestId('user-details'));
  }

  memberships(): Promise<string> {
    return textOf(this.page.getByRole('table', { name: 'Current teams' }));
  }

  async deactivate(): Promise<ConfirmationPage> {
    await this.page.getByRole('link', { name: 'Deactivate user' }).click();
    return ConfirmationPage.arrive(this.page, `Deactivate ${this.name}?`);
  }
}

/** The "are you sure?" page before a change that is hard to undo. */
export class ConfirmationPage {
  private constructor(readonly page: Page) {}

  static async arrive(page: Page, question: string): Promise<ConfirmationPage> {
    await onPage(page, question);
    return new ConfirmationPage(page);
  }

  warning(): Promise<string> {
    return textOf(this.page.getByTestId('warning'));
  }

  async confirm(): Promise<void> {
    await this.page.getByTestId('confirm').click();
  }
}
