/** One polite live region for the whole panel, so check results and lab state changes are read out once. */
import { html } from '../diagram/dom';

/** Says `text` to screen readers without moving focus. */
export type Announce = (text: string) => void;

/** Adds the (visually hidden) live region to `body` and returns the function that speaks through it. */
export function createAnnouncer(body: HTMLElement): Announce {
  const region = html('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true', 'data-testid': 'announcer' }, '', body);
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (text) => {
    // Clear first so the same sentence twice in a row is still announced.
    region.textContent = '';
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => (region.textContent = text), 50);
  };
}
