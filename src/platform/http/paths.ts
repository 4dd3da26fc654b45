/**
 * Typed path builders (STYLE.md #4): each URL is written once, as a pattern. Routes register
 * `.pattern`; handlers and templates call the builder with the ids in the order they appear,
 * e.g. `directoryPaths.agency(id)`, so a URL is never assembled by hand.
 */
type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? [Name, ...ParamNames<Rest>]
  : P extends `${string}:${infer Name}`
    ? [Name]
    : [];
type AsStrings<T extends unknown[]> = { [K in keyof T]: string };

export type PathBuilder<P extends string> = ((...ids: AsStrings<ParamNames<P>>) => string) & { pattern: P };

export function path<P extends string>(pattern: P): PathBuilder<P> {
  const build = (...ids: string[]) => {
    let next = 0;
    return pattern.replace(/:\w+/g, () => encodeURIComponent(ids[next++] ?? ''));
  };
  return Object.assign(build, { pattern }) as PathBuilder<P>;
}

/** A URL with a query string, leaving out empty values. */
export function withQuery(base: string, query: Record<string, string | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `${base}?${text}` : base;
}
