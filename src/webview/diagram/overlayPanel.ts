/** The hop panel's sections for a Service's DNAT and a VXLAN tunnel (every lab-provided string goes in through textContent). */
import type { Hop, TraceResult } from '../../tracer/types';
import { html } from './dom';
import { serviceRowOf } from './overlayModel';
import { outerOf, overheadText, serviceFacts, tunnelRows, tunnelSentence, unDnatText } from './overlayText';

function serviceSection(host: Element, hop: Hop, t: TraceResult): void {
  const row = serviceRowOf(hop);
  if (!row) return;
  const f = serviceFacts(row, t);
  const box = html('section', { class: 'hop-service', 'data-testid': 'hop-service' }, undefined, host);
  html('h3', {}, 'Service: DNAT to an endpoint', box);
  html('p', {}, f.title, box);
  const rule = html('p', { class: 'muted' }, `Rule (${f.where}): `, box);
  html('code', {}, f.rule, rule);
  html('h4', {}, `Candidates (${f.candidates.length})`, box);
  const ul = html('ul', { class: 'candidates' }, undefined, box);
  for (const c of f.candidates) html('li', c.chosen ? { class: 'chosen' } : {}, `${c.chosen ? '▶ ' : ''}${c.text}${c.chosen ? ' (chosen)' : ''}`, ul);
  html('p', {}, f.choice, box);
  const back = unDnatText(t);
  if (back) html('p', { class: 'muted', 'data-testid': 'un-dnat' }, `On the way back: ${back}`, box);
}

function tunnelSection(host: Element, hop: Hop): void {
  const outer = outerOf(hop);
  if (!outer) return;
  const box = html('section', { class: 'hop-tunnel', 'data-testid': 'hop-tunnel' }, undefined, host);
  html('h3', {}, 'VXLAN tunnel: inner and outer headers', box);
  const sentence = tunnelSentence(hop);
  if (sentence) html('p', {}, sentence, box);
  const table = html('table', { class: 'headers' }, undefined, box);
  const head = html('tr', {}, undefined, html('thead', {}, undefined, table));
  for (const h of ['field', 'inner (Pod packet)', 'outer (on the wire)']) html('th', { scope: 'col' }, h, head);
  const body = html('tbody', {}, undefined, table);
  for (const [field, inner, out] of tunnelRows(hop.headers, outer)) {
    const tr = html('tr', {}, undefined, body);
    html('th', { scope: 'row' }, field, tr);
    html('td', {}, inner, tr);
    html('td', {}, out, tr);
  }
  html('p', { class: 'muted', 'data-testid': 'overhead' }, overheadText(outer), box);
}

/** The Service and tunnel sections of a hop's panel; nothing for a hop that has neither. */
export function renderOverlayHop(host: Element, hop: Hop, t: TraceResult): void {
  serviceSection(host, hop, t);
  tunnelSection(host, hop);
}
