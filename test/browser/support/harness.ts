import { after } from 'node:test';
import { chromium, selectors, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { testConcord, type TestConcord } from '../../support/app.js';

/**
 * Debian's Chromium, never a downloaded build: CI installs the `chromium` package (.ci/run does it).
 * The flags keep it quiet and self-contained: no sandbox (we run as root in CI), no network
 * chatter of its own, nothing but the app on 127.0.0.1.
 */
export const CHROMIUM_PATH = process.env.CONCORD_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Page objects find data by the `data-qa` attributes the templates carry: `page.getByTestId('user-name')`.
selectors.setTestIdAttribute('data-qa');

export type BrowserConcord = {
  /** The app and its database, as in the inject tests: for setting the scene and checking rows. */
  t: TestConcord;
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  browser: Browser;
  /** A fresh browser profile (its own cookies), pointed at the app; closed with the browser. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** A page in a fresh context: one person at one computer. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
};

/**
 * The real app listening on a free loopback port, and a headless Chromium to drive it. Call it at
 * the top level of a test file (top-level await), like `testConcord()`: the server, the browser and
 * the file's database are closed when the file's tests end.
 *
 * Chromium treats http://127.0.0.1 as a potentially trustworthy origin, so it keeps the `Secure`,
 * `__Host-` cookies the app sets with its production settings; no cookie setting is relaxed here.
 */
export async function browserConcord(options: Parameters<typeof testConcord>[0] = {}): Promise<BrowserConcord> {
  const t = await testConcord(options);
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  if (!address || typeof address === 'string') throw new Error('the app is not listening on a TCP port');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  after(async () => {
    await browser.close();
    await t.app.close();
  });
  const newContext = async (contextOptions: BrowserContextOptions = {}) => {
    const context = await browser.newContext({ baseURL: baseUrl, locale: 'en-GB', timezoneId: 'Europe/London', ...contextOptions });
    // Long enough for a busy two-core CI machine, short enough that a missing element fails quickly.
    context.setDefaultTimeout(15_000);
    return context;
  };
  return {
    t,
    baseUrl,
    browser,
    newContext,
    async newPage(contextOptions) {
      const context = await newContext(contextOptions);
      return context.newPage();
    },
  };
}
