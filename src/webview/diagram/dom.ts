/** Tiny DOM builders for the webview: attributes and text only (never innerHTML), so lab names stay text. */

const SVG_NS = 'http://www.w3.org/2000/svg';

type Attrs = Record<string, string | number | undefined>;

function setAttrs(el: Element, attrs: Attrs): void {
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, String(v));
}

/** Creates an SVG element with attributes and appends it to `parent` when given. */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, parent?: Element): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  parent?.appendChild(el);
  return el;
}

/** Creates an HTML element with attributes and optional text, appended to `parent` when given. */
export function html<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, text?: string, parent?: Element): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  if (text !== undefined) el.textContent = text;
  parent?.appendChild(el);
  return el;
}

/** Creates a custom element (e.g. `vscode-button`) the same way. */
export function custom(tag: string, attrs: Attrs = {}, text?: string, parent?: Element): HTMLElement {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  if (text !== undefined) el.textContent = text;
  parent?.appendChild(el);
  return el;
}

/** An SVG text element holding `text` as a text node. */
export function svgText(text: string, attrs: Attrs, parent: Element): SVGTextElement {
  const t = svg('text', attrs, parent);
  t.textContent = text;
  return t;
}

/** A codicon glyph (`<span class="codicon codicon-NAME">`), hidden from screen readers. */
export function codicon(name: string, parent?: Element): HTMLSpanElement {
  return html('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' }, undefined, parent);
}
