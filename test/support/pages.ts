import type { Browser } from './app.js';

/** The GOV.UK error summary's messages, in order, as "field: message". */
export function errorSummary(body: string): string[] {
  const list = /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(body)?.[1] ?? '';
  const text = (html: string) => html.trim().replaceAll('&#39;', "'").replaceAll('&quot;', '"').replaceAll('&amp;', '&');
  return [...list.matchAll(/<a href="#([\w.-]+)">([^<]+)<\/a>/g)].map((m) => `${m[1]}: ${text(m[2]!)}`);
}

/** The HTML of the error summary's list, or '' when the page has none. */
export function errorSummaryHtml(body: string): string {
  return [...body.matchAll(/govuk-error-summary__list[\s\S]*?<\/ul>/g)].map((m) => m[0]).join('');
}

/** Opens a form, posts it and follows the redirect, as a browser does; returns both answers. */
export async function submit(browser: Browser, url: string, form: Record<string, string | string[]>) {
  await browser.get(url);
  const posted = await browser.post(url, form);
  const landed = posted.statusCode === 303 ? await browser.get(String(posted.headers.location)) : posted;
  return { posted, landed };
}
