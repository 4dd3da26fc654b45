/**
 * A browser-like HTTP client that signs in once over real HTTP (CSRF cookie + hidden field, as a
 * browser without JavaScript does) and then sends the session cookie with every request.
 * Cookie names carry no `__Host-` prefix because the bench runs Concord with COOKIE_SECURE=false.
 */
export type PageLoad = { path: string; status: number; ms: number };

export class SignedInClient {
  private constructor(
    private readonly baseUrl: string,
    readonly sessionCookie: string,
  ) {}

  /**
   * Sign in ONCE per server: POST /sign-in is limited to 20 attempts a minute per address
   * (SIGN_IN_RATE_LIMIT_PER_MINUTE), and a 21st answers 429 instead of a session.
   */
  static async signIn(baseUrl: string, email: string, password: string): Promise<SignedInClient> {
    const form = await fetch(`${baseUrl}/sign-in`);
    const html = await form.text();
    const csrfCookie = cookieFrom(form, 'concord-csrf');
    const csrfField = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    if (form.status !== 200 || !csrfCookie || !csrfField) throw new Error(`GET /sign-in gave ${form.status} without a CSRF cookie and field.`);

    const response = await fetch(`${baseUrl}/sign-in`, {
      method: 'POST',
      headers: { cookie: csrfCookie },
      body: new URLSearchParams({ email, password, _csrf: csrfField }),
      redirect: 'manual',
    });
    await response.arrayBuffer();
    const session = cookieFrom(response, 'concord-session');
    if (response.status !== 303 || !session) throw new Error(`Signing in as ${email} gave ${response.status}, not a 303 with a session cookie.`);
    return new SignedInClient(baseUrl, session);
  }

  /** Loads a page to the last byte, without following redirects (a 303 to /sign-in means the session was lost). */
  async get(path: string): Promise<PageLoad> {
    const startedAt = performance.now();
    const response = await fetch(`${this.baseUrl}${path}`, { headers: { cookie: this.sessionCookie }, redirect: 'manual' });
    await response.arrayBuffer();
    return { path, status: response.status, ms: performance.now() - startedAt };
  }
}

/** `name=value` from the response's Set-Cookie headers, ready to send back in a Cookie header. */
function cookieFrom(response: Response, name: string): string | undefined {
  const pair = response.headers
    .getSetCookie()
    .map((header) => header.split(';')[0]!)
    .find((p) => p.startsWith(`${name}=`));
  return pair && pair !== `${name}=` ? pair : undefined;
}
