/**
 * The absolute URL of a file this app ships (`path` relative to the app's
 * folder), wherever the build is served from: `/`, `/spotter/`, a file share.
 * The build's base is relative, so resolve it against the page, never against
 * a worker's or chunk's own location.
 */
export function appUrl(path = ''): string {
  return new URL(`${import.meta.env.BASE_URL}${path}`, document.baseURI).href;
}

/** The same as a path from the origin's root ('/spotter/models/'), for loaders that take a path, not a URL. */
export function appPath(path = ''): string {
  return new URL(appUrl(path)).pathname;
}
