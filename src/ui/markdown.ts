import DOMPurify, { type DOMPurify as Purifier } from 'dompurify';
import { marked } from 'marked';

/**
 * Model and tool text is hostile: render it as markdown, then sanitise.
 * Beyond DOMPurify's defaults (no scripts, no event handlers, no javascript:
 * URLs) nothing may load from elsewhere: images, media, frames, styles and
 * forms are dropped, so a reply cannot make the browser call any host.
 */
const FORBID_TAGS = ['img', 'picture', 'source', 'video', 'audio', 'iframe', 'frame', 'object', 'embed', 'link', 'style', 'form', 'input', 'button', 'svg', 'math', 'base', 'meta'];

/**
 * The only attributes kept: the ones markdown itself writes, each on its own
 * tag. Everything else goes, `class`, `id`, `name` and `style` above all: a
 * class lets a reply take on the app's own styles (a full-screen overlay that
 * asks for a sign-in), and an id or name becomes a global that shadows what
 * the page reads (`<a id="EdgeRuntime">` breaks the provider SDKs).
 */
const ATTRIBUTES_BY_TAG: ReadonlyMap<string, readonly string[]> = new Map([
  // A link's target (then held to http/https below) and `[text](url "title")`'s title.
  ['a', ['href', 'title']],
  // A numbered list that starts elsewhere than 1 ("3. item").
  ['ol', ['start']],
  // A GFM table column's alignment (`|:-:|`).
  ['th', ['align']],
  ['td', ['align']],
]);
const ALLOWED_ATTR = [...new Set([...ATTRIBUTES_BY_TAG.values()].flat())];

let purifier: Purifier | undefined;

/** One DOMPurify instance of our own, so these hooks never touch anyone else's sanitising. */
function sanitiser(): Purifier {
  if (purifier) return purifier;
  const p = DOMPurify(window);
  p.addHook('uponSanitizeAttribute', (node, data) => {
    if (!ATTRIBUTES_BY_TAG.get(node.nodeName.toLowerCase())?.includes(data.attrName)) data.keepAttr = false;
  });
  p.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName !== 'A') return;
    const href = node.getAttribute('href') ?? '';
    if (!/^https?:\/\//i.test(href)) node.removeAttribute('href');
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  });
  return (purifier = p);
}

/** A host as written in text: dotted names ending in a label of 2+ characters that starts with a letter (any script), a dotted quad, `localhost` or `[ipv6]`. */
const HOST_IN_TEXT = /^(?:(?:[\p{L}\p{N}-]+\.)+\p{L}[\p{L}\p{N}-]+|\d{1,3}(?:\.\d{1,3}){3}|localhost|\[[\d:a-f.]+\])$/iu;

/**
 * The host a link's text names when the text reads as a URL or a bare domain
 * ("https://bank.example/login", "bank.example"), normalised as the browser
 * would (lower case, punycode); undefined for ordinary words.
 */
export function hostNamedBy(text: string): string | undefined {
  const t = text.trim();
  if (!t || /\s/.test(t)) return undefined;
  const m = /^(?:[a-z][\w+.-]*:\/\/)?(?:[^/?#@]*@)?(\[[^\]]*\]|[^/?#:]+)/iu.exec(t);
  const written = m?.[1];
  if (!written || !HOST_IN_TEXT.test(written)) return undefined;
  return URL.parse(/^[a-z][\w+.-]*:\/\//i.test(t) ? t : `http://${t}`)?.hostname;
}

/** Shows the real host beside each link whose text names another one, so the text cannot hide where it goes. */
function revealHosts(root: DocumentFragment): void {
  for (const a of Array.from(root.querySelectorAll('a[href]'))) {
    const named = hostNamedBy(a.textContent ?? '');
    const real = URL.parse(a.getAttribute('href') ?? '')?.hostname;
    if (named === undefined || real === undefined || named === real) continue;
    const note = document.createElement('span');
    note.className = 'link-host';
    note.textContent = ` (${real})`;
    a.after(note);
  }
}

export function renderMarkdown(text: string): string {
  const html = marked.parse(text, { async: false, gfm: true, breaks: true });
  const fragment = sanitiser().sanitize(html, { FORBID_TAGS, ALLOWED_ATTR, ALLOW_DATA_ATTR: false, ALLOW_ARIA_ATTR: false, RETURN_DOM_FRAGMENT: true });
  revealHosts(fragment);
  const out = document.createElement('div');
  out.append(fragment);
  return out.innerHTML;
}
