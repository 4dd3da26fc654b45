import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { ROLE_NAMES, type Role } from '../access/policy.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');

export type ViewFilters = Record<string, (...args: never[]) => unknown>;

const LONDON_DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
});
const LONDON_DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' });

/** "3 March 2026 at 2:05pm", in UK time, as GOV.UK style asks. */
export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) return '';
  const parts = LONDON_DATE_TIME.formatToParts(new Date(value));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('day')} ${get('month')} ${get('year')} at ${get('hour')}:${get('minute')}${get('dayPeriod').toLowerCase()}`;
}

export function formatDate(value: Date | string | null | undefined): string {
  return value ? LONDON_DATE.format(new Date(value)) : '';
}

/**
 * One Nunjucks environment for the whole app: the platform's layouts and partials, each module's
 * `views/` (addressed as `module/views/page.njk`), GOV.UK Frontend and MOJ Frontend macros.
 * Autoescaping is on, so every value is escaped unless a template says otherwise.
 */
export function createViewEnvironment(options: { watch?: boolean; extraFilters?: ViewFilters } = {}) {
  const loader = new nunjucks.FileSystemLoader(
    [
      path.join(here),
      path.join(root, 'src/modules'),
      path.join(root, 'node_modules/govuk-frontend/dist'),
      path.join(root, 'node_modules/@ministryofjustice/frontend'),
    ],
    { noCache: options.watch ?? false, watch: false },
  );
  const env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true });
  env.addFilter('dateTime', formatDateTime);
  env.addFilter('date', formatDate);
  env.addFilter('roleName', (role: Role) => ROLE_NAMES[role] ?? role);
  env.addFilter('roleNames', (roles: Role[]) => roles.map((r) => ROLE_NAMES[r] ?? r).join(', '));
  env.addFilter('errorFor', (errors: { field: string; message: string }[] | undefined, field: string) => {
    const found = errors?.find((e) => e.field === field);
    return found ? { text: found.message } : undefined;
  });
  for (const [name, filter] of Object.entries(options.extraFilters ?? {})) env.addFilter(name, filter as (...args: unknown[]) => unknown);
  return env;
}

export type ViewEnvironment = ReturnType<typeof createViewEnvironment>;
