/** Browser-only helpers of the diagram page: the codicon stylesheet's id, and measuring text with a canvas. */
import { METRICS, type MeasureText } from './layout';

/** vscode-icon finds the codicon stylesheet by this id; the host page links it, maybe without the id. */
export function tagCodiconLink(): void {
  if (document.getElementById('vscode-codicon-stylesheet')) return;
  const link = Array.from(document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')).find((l) => /codicon/.test(l.href));
  if (link) link.id = 'vscode-codicon-stylesheet';
}

/** A text measure with a 2D canvas in the page's font (an estimate where no canvas is available). */
export function canvasMeasure(): MeasureText {
  const ctx = document.createElement('canvas').getContext('2d');
  const family = getComputedStyle(document.body).fontFamily || 'sans-serif';
  if (!ctx) return (t, size) => t.length * size * 0.62;
  return (text, size) => {
    ctx.font = `${size === METRICS.title ? 600 : 400} ${size}px ${family}`;
    return ctx.measureText(text).width + 1;
  };
}
