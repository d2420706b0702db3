/** Renders a step's Markdown to HTML for the lab panel: raw HTML escaped, only http(s) links, images inlined from the pack. */
import { extname } from 'node:path';
import MarkdownIt from 'markdown-it';
import { readPackFile } from '../../labs/packPaths';

const IMAGE_TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.svg': 'image/svg+xml' };
/** Largest image a step may inline (the webview loads nothing from the pack folder itself). */
export const MAX_INLINE_IMAGE_BYTES = 512 * 1024;

/** A Markdown renderer for one pack: pack-relative images become data: URIs; anything else is refused. */
export function stepRenderer(packDir: string): (markdown: string) => string {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  md.validateLink = (url: string) => /^(https?:|#)/i.test(url.trim()) || /^data:image\//.test(url.trim());
  md.normalizeLink = (url: string) => {
    const type = IMAGE_TYPES[extname(url).toLowerCase()];
    if (!type || /^[a-z]+:/i.test(url)) return url;
    try {
      const bytes = readPackFile(packDir, decodeURIComponent(url));
      return bytes.length <= MAX_INLINE_IMAGE_BYTES ? `data:${type};base64,${bytes.toString('base64')}` : 'about:blank#too-big';
    } catch {
      return 'about:blank#missing';
    }
  };
  const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    tokens[idx].attrSet('rel', 'noopener noreferrer');
    return defaultLinkOpen(tokens, idx, options, env, self);
  };
  return (markdown) => md.render(markdown);
}
