import DOMPurify from 'dompurify';
import { marked } from 'marked';

/**
 * Model and tool text is hostile: render it as markdown, then sanitise.
 * Beyond DOMPurify's defaults (no scripts, no event handlers, no javascript:
 * URLs) nothing may load from elsewhere: images, media, frames, styles and
 * forms are dropped, so a reply cannot make the browser call any host.
 */
const FORBID_TAGS = ['img', 'picture', 'source', 'video', 'audio', 'iframe', 'frame', 'object', 'embed', 'link', 'style', 'form', 'input', 'button', 'svg', 'math', 'base', 'meta'];
const FORBID_ATTR = ['style', 'srcset', 'src', 'background', 'poster', 'action', 'formaction', 'xlink:href'];

let hooked = false;
function hookLinks(): void {
  if (hooked) return;
  hooked = true;
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A') {
      const href = node.getAttribute('href') ?? '';
      if (!/^https?:\/\//i.test(href)) node.removeAttribute('href');
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer nofollow');
    }
  });
}

export function renderMarkdown(text: string): string {
  hookLinks();
  const html = marked.parse(text, { async: false, gfm: true, breaks: true });
  return DOMPurify.sanitize(html, { FORBID_TAGS, FORBID_ATTR, ALLOW_DATA_ATTR: false });
}
