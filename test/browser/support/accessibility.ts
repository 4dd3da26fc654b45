import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** WCAG 2.2 AA, which public-sector services in the UK must meet, and everything below it. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

type Violation = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number];

/** One line per failing element, so a CI log names what to fix and where. */
export function describeViolations(violations: Violation[]): string {
  return violations
    .map((v) => {
      const targets = v.nodes.map((node) => `    at ${node.target.map(String).join(' ')}`).join('\n');
      return `  ${v.id} (${v.impact ?? 'unknown impact'}): ${v.help}\n    ${v.helpUrl}\n${targets}`;
    })
    .join('\n');
}

/**
 * Runs axe on the page as it stands and fails, unless there are none, with a message listing every
 * violation (the test runner prints it).
 */
export async function expectAccessible(page: Page, what?: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  if (results.violations.length === 0) return;
  const where = `${what ?? (await page.title())} (${new URL(page.url()).pathname})`;
  const report = `${results.violations.length} accessibility violation(s) on ${where}:\n${describeViolations(results.violations)}`;
  assert.fail(report);
}

/**
 * axe is itself JavaScript, so it cannot run in a page with JavaScript switched off. This checks
 * such a page as it is: the same HTML, at the same address (so the same stylesheets load), in a
 * scratch page whose Content-Security-Policy lets none of the page's own scripts run. axe, added
 * through the browser's debugging protocol, is not bound by the page's policy.
 */
export async function expectAccessibleWithoutJavaScript(page: Page, what?: string): Promise<void> {
  const html = await page.content();
  const url = page.url();
  const title = await page.title();
  const browser = page.context().browser();
  if (!browser) throw new Error('the page has no browser to open a scratch page in');
  const scratch = await browser.newContext({ javaScriptEnabled: true });
  try {
    const replay = await scratch.newPage();
    await replay.route(url, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', headers: { 'content-security-policy': "script-src 'none'" }, body: html }),
    );
    await replay.goto(url);
    assert.equal(await replay.locator('body.js-enabled').count(), 0, 'the replayed page ran its own scripts');
    await expectAccessible(replay, what ?? `${title}, without JavaScript`);
  } finally {
    await scratch.close();
  }
}
