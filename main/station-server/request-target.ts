/**
 * The path of an HTTP request target, or undefined when the target does not parse. A request line
 * like "GET http://[ HTTP/1.1" must be answered 400, never crash the station.
 */
export function requestPath(target: string | undefined): { pathname: string; searchParams: URLSearchParams } | undefined {
  if (!URL.canParse(target ?? '/', 'http://station.invalid')) return undefined;
  const url = new URL(target ?? '/', 'http://station.invalid');
  return { pathname: url.pathname, searchParams: url.searchParams };
}
