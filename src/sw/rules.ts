/**
 * What the service worker may cache and how it answers each request. Pure:
 * everything is relative to the worker's scope (the app's folder: `/`,
 * `/spotter/`, …), so the same build works wherever it is served.
 */

/** How a request is answered; undefined: not touched at all (the browser fetches it as if there were no worker). */
export type Route = 'navigation' | 'cache-first' | 'network-first';

/** The parts of a Request the rules read. */
export type RequestFacts = Pick<Request, 'method' | 'url' | 'mode' | 'headers'>;

interface ScopeRules {
  /** The key the app shell is stored under: one shell for every in-app URL (the app routes itself). */
  readonly shellKey: string;
  route(request: RequestFacts): Route | undefined;
  /** Whether the page may ask to cache this URL (same origin, not an API path); its absolute href if so. */
  reportable(url: string): string | undefined;
}

/** Hashed build assets, onnxruntime files and model files never change under the same URL. */
const IMMUTABLE = ['assets/', 'ort/', 'models/'];
/** Same-origin API paths (a provider behind a proxy on this host): never cached. */
const NEVER = ['api/', 'v1/'];

export function scopeRules(scopeHref: string): ScopeRules {
  const scope = new URL(scopeHref);
  const paths = (list: string[]) => list.map((p) => new URL(p, scope).pathname);
  const immutable = paths(IMMUTABLE);
  const never = paths(NEVER);
  const ours = (url: URL) => url.origin === scope.origin && !never.some((p) => url.pathname.startsWith(p));
  return {
    shellKey: new URL('./', scope).href,
    route(request) {
      if (request.method !== 'GET') return undefined;
      const url = new URL(request.url);
      if (!ours(url)) return undefined;
      // Anything carrying credentials or asking for part of a file is the network's business.
      if (request.headers.has('authorization') || request.headers.has('range')) return undefined;
      if (request.mode === 'navigate') return 'navigation';
      return immutable.some((p) => url.pathname.startsWith(p)) ? 'cache-first' : 'network-first';
    },
    reportable(raw) {
      if (!URL.canParse(raw, scope)) return undefined;
      const url = new URL(raw, scope);
      return ours(url) ? url.href : undefined;
    },
  };
}

/** Only complete, same-origin, successful answers are kept (no redirects, errors, partial or opaque responses). */
export function storable(response: Response | undefined): response is Response {
  return response !== undefined && response.ok && response.status === 200 && response.type === 'basic';
}
