/**
 * Defence in depth for a step page: the host already renders Markdown with raw HTML escaped, and this parses the
 * result in an inert document and keeps only an allow-list of tags and attributes before it reaches the page.
 */

// Removed together with everything inside them.
const DROP = new Set([
  'script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'link', 'meta', 'base', 'form', 'input',
  'button', 'textarea', 'select', 'option', 'template', 'noscript', 'svg', 'math', 'audio', 'video', 'source', 'track',
  'canvas', 'dialog', 'portal', 'title', 'head',
]);

// Kept (with only the attributes below); any other element is replaced by its children.
const KEEP = new Set([
  'a', 'abbr', 'b', 'blockquote', 'br', 'caption', 'code', 'dd', 'del', 'details', 'div', 'dl', 'dt', 'em', 'figcaption',
  'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 's',
  'samp', 'small', 'span', 'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'u',
  'ul', 'var',
]);

const ATTRS: Record<string, readonly string[]> = {
  a: ['href', 'title'],
  img: ['src', 'alt', 'title', 'width', 'height'],
  ol: ['start'],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan', 'scope'],
  code: ['class'],
};

/** True for the links a step may hold: http(s) addresses and in-page anchors. */
export function isSafeHref(href: string): boolean {
  const h = href.trim();
  if (h.startsWith('#')) return true;
  try {
    const u = new URL(h);
    return (u.protocol === 'http:' || u.protocol === 'https:') && /^https?:\/\//i.test(h);
  } catch {
    return false;
  }
}

/** True for image sources the webview may show: images the host inlined as data: URIs (the CSP allows nothing else). */
function isSafeImage(src: string): boolean {
  return /^data:image\/(png|jpeg|gif|svg\+xml|webp);base64,[a-z0-9+/=\s]*$/i.test(src.trim());
}

function cleanAttributes(el: Element, tag: string): void {
  const allowed = ATTRS[tag] ?? [];
  // Markdown tables carry alignment as a style attribute, which the CSP would refuse: keep it as a class.
  const align = /text-align:\s*(left|center|right)/.exec(el.getAttribute('style') ?? '')?.[1];
  for (const { name } of Array.from(el.attributes)) {
    if (!allowed.includes(name.toLowerCase())) el.removeAttribute(name);
  }
  if (align && (tag === 'td' || tag === 'th')) el.setAttribute('class', `align-${align}`);
  if (tag === 'code' && !/^language-[\w-]+$/.test(el.getAttribute('class') ?? '')) el.removeAttribute('class');
  if (tag === 'a') {
    const href = el.getAttribute('href');
    if (href !== null && !isSafeHref(href)) el.removeAttribute('href');
    if (el.hasAttribute('href')) el.setAttribute('rel', 'noopener noreferrer');
  }
}

function clean(parent: Node): void {
  for (const node of Array.from(parent.childNodes)) {
    if (node.nodeType === Node.TEXT_NODE) continue;
    if (node.nodeType !== Node.ELEMENT_NODE) {
      node.remove();
      continue;
    }
    const el = node as Element;
    const tag = el.localName.toLowerCase();
    if (DROP.has(tag) || el.namespaceURI !== 'http://www.w3.org/1999/xhtml') {
      el.remove();
      continue;
    }
    clean(el);
    if (!KEEP.has(tag)) {
      el.replaceWith(...Array.from(el.childNodes));
      continue;
    }
    cleanAttributes(el, tag);
    if (tag === 'img' && !isSafeImage(el.getAttribute('src') ?? '')) el.remove();
  }
}

/**
 * Parses the host's step HTML without running anything and returns a cleaned fragment owned by this document.
 * (Chromium still applies the page's CSP while parsing the inert copy, so hostile input may be reported, never run.)
 */
export function safeFragment(html: string): DocumentFragment {
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  clean(parsed.body);
  const fragment = document.createDocumentFragment();
  for (const node of Array.from(parsed.body.childNodes)) fragment.appendChild(document.importNode(node, true));
  return fragment;
}
