/**
 * Loads the markdown renderer (marked + DOMPurify, ~25 KB gzipped) the first
 * time some text needs it, not with the page. Until it is there, Markdown
 * shows the text as plain text (never as HTML).
 */
type Render = (text: string) => string;

let loading: Promise<Render> | undefined;

export function loadMarkdown(): Promise<Render> {
  loading ??= import('./markdown.ts').then(
    (m) => m.renderMarkdown,
    (err: unknown) => {
      loading = undefined;
      throw err;
    },
  );
  return loading;
}
