/**
 * The side panel: the current hop (where, decision, interfaces, the table rows behind it, headers before and after,
 * the probe's evidence, the learner sentence) and the trace summary (what the probe saw, the return path, NAT verdict, TTL check).
 * Every lab-provided string goes in through textContent.
 */
import { rowText } from '../../tracer/format';
import type { Hop, PacketHeaders, TraceResult } from '../../tracer/types';
import { codicon, html } from './dom';
import type { HopStatus, TraceStep } from './model';
import { returnPathText, traceVerdict } from './outcomeText';
import { renderOverlayHop } from './overlayPanel';
import { unDnatText } from './overlayText';
import { STATUS_TEXT } from './traceView';

const DECISION_TEXT: Record<Hop['decision'], string> = {
  send: 'leaves the sender',
  veth: 'crosses a veth pair',
  'bridge-forward': 'switched by the bridge (FDB)',
  'bridge-flood': 'flooded by the bridge',
  'bridge-to-host': 'taken off the bridge by the host',
  forward: 'routed to the next hop',
  deliver: 'delivered',
  drop: 'dropped',
  encap: 'enters the VXLAN tunnel',
  decap: 'leaves the VXLAN tunnel',
};

const STATUS_ICON: Record<HopStatus, string> = {
  observed: 'pass-filled',
  predicted: 'circle-large-outline',
  differs: 'warning',
  'not-observed': 'circle-slash',
  stopped: 'error',
};

const FIELDS: (keyof PacketHeaders)[] = ['srcIP', 'dstIP', 'srcPort', 'dstPort', 'proto', 'ttl', 'srcMAC', 'dstMAC'];

function endpoint(e: TraceResult['request']['from']): string {
  return e.name ? `${e.name} (${e.ip}${e.port ? `:${e.port}` : ''})` : `${e.ip}${e.port ? `:${e.port}` : ''}`;
}

function field(parent: Element, term: string, value: string, cls?: string): void {
  html('dt', {}, term, parent);
  html('dd', cls ? { class: cls } : {}, value, parent);
}

/** The trace summary: what was traced, where it ended, NAT and TTL verdicts, warnings. */
export function renderSummary(host: Element, t: TraceResult | undefined): void {
  host.replaceChildren();
  if (!t) {
    html('p', { class: 'muted' }, 'No trace. Run "PodNet: Trace" to follow a packet through this drawing.', host);
    return;
  }
  const { from, to, proto, port } = t.request;
  html('h2', {}, `${endpoint(from)} → ${endpoint(to)}`, host);
  html('p', { class: 'muted' }, proto === 'icmp' ? 'ICMP echo' : `${proto.toUpperCase()} port ${port}`, host);
  const dl = html('dl', { class: 'facts' }, undefined, host);
  const verdict = traceVerdict(t);
  field(dl, 'Outcome', `${verdict.label}: ${verdict.sentence}`, verdict.tone);
  const back = returnPathText(t);
  if (back) field(dl, 'Return path', back, t.returnPath && !t.returnPath.notPredicted && t.returnPath.disposition !== 'DELIVERED' ? 'bad' : undefined);
  serviceSummary(dl, t);
  const v = t.verification;
  const natWord = t.nat.length ? `NAT in the tables: ${t.nat.map((c) => `${c.field} ${c.from} → ${c.to}`).join(', ')}` : 'the tables rewrite nothing';
  if (v) {
    const verdict = v.natVerdict === 'no-nat' ? 'No NAT' : v.natVerdict === 'nat' ? 'NAT' : 'NAT unknown';
    field(dl, 'NAT', `${verdict}: ${v.natEvidence}`, v.natVerdict === 'nat' ? 'warn' : undefined);
    field(dl, 'TTL', `${v.ttlCheck.detail}${v.ttlCheck.ok ? '' : ' (unexpected)'}`, v.ttlCheck.ok ? undefined : 'bad');
    field(dl, 'Probe', `${v.probe}: ${v.matches ? 'every predicted hop was observed' : 'prediction and observation differ'}`, v.matches ? 'good' : 'warn');
    for (const d of v.differences) field(dl, 'Differs', d, 'warn');
  } else {
    field(dl, 'NAT', `${natWord} (prediction only: no probe was sent)`);
  }
  for (const w of t.warnings) field(dl, 'Warning', w, 'warn');
}

/** The summary's Service lines: the address, its candidates, the chosen endpoint and the un-DNAT on the way back. */
function serviceSummary(dl: Element, t: TraceResult): void {
  const s = t.service;
  if (!s) return;
  const name = s.namespace ? `${s.namespace}/${s.name}` : s.name;
  const chosen = t.verification?.chosenEndpoint ?? s.chosen;
  const list = s.candidates.map((c) => (c.port !== undefined ? `${c.ip}:${c.port}` : c.ip)).join(', ') || 'none';
  field(dl, 'Service', `${name} ${s.address}${s.port !== undefined ? `:${s.port}` : ''}: DNAT to one of ${list}${chosen ? `; chosen ${chosen}` : ''}`);
  const back = unDnatText(t);
  if (back) field(dl, 'Un-DNAT', back);
}

function headerTable(parent: Element, before: PacketHeaders | undefined, after: PacketHeaders): void {
  const table = html('table', { class: 'headers' }, undefined, parent);
  const head = html('tr', {}, undefined, html('thead', {}, undefined, table));
  for (const h of ['field', 'before', 'after']) html('th', { scope: 'col' }, h, head);
  const body = html('tbody', {}, undefined, table);
  for (const f of FIELDS) {
    const a = after[f];
    const b = before?.[f];
    if (a === undefined && b === undefined) continue;
    const changed = before !== undefined && a !== b;
    const tr = html('tr', changed ? { class: 'changed' } : {}, undefined, body);
    html('th', { scope: 'row' }, f, tr);
    html('td', {}, b === undefined ? '·' : String(b), tr);
    html('td', {}, `${a === undefined ? '·' : String(a)}${changed ? ' (changed)' : ''}`, tr);
  }
}

function evidence(parent: Element, hop: Hop): void {
  const o = hop.observation;
  const k = hop.kernel;
  if (!o && !k) {
    html('p', { class: 'muted' }, 'No evidence: this hop was predicted from the tables only.', parent);
    return;
  }
  const ul = html('ul', { class: 'evidence' }, undefined, parent);
  if (o) {
    const seen = o.observed ? `seen by the probe${o.where?.length ? ` at ${o.where.join('; ')}` : ''}` : 'NOT seen by the probe';
    html('li', { class: o.observed ? 'good' : 'bad' }, seen, ul);
    for (const d of o.differences ?? []) html('li', { class: 'warn' }, `differs: ${d}`, ul);
    if (o.verdict) html('li', {}, `verdict: ${o.verdict}`, ul);
  }
  if (k) {
    const text = k.agrees ? 'the kernel agrees' : `the kernel DISAGREES: ${k.error ?? `dev ${k.kernel?.dev ?? '-'} via ${k.kernel?.gateway ?? '-'}`}`;
    const li = html('li', { class: k.agrees ? 'good' : 'bad' }, `${text} (`, ul);
    html('code', {}, k.argv.join(' '), li);
    li.append(')');
  }
}

/** The panel for hop `step` (1-based) of `steps`, or a hint at step 0. */
export function renderHop(host: Element, t: TraceResult | undefined, steps: TraceStep[], step: number): void {
  host.replaceChildren();
  if (!t) return;
  const s = steps[step - 1];
  if (!s) {
    html('h2', {}, `Ready: ${t.hops.length} hops`, host);
    html('p', {}, `Press Play (Space) or step (→) to follow the packet from ${t.request.from.name ?? t.request.from.ip}.`, host);
    return;
  }
  const hop = s.hop;
  html('h2', {}, `Hop ${hop.index} of ${t.hops.length}: ${hop.where}`, host);
  const status = html('p', { class: `status ${s.status}` }, undefined, host);
  codicon(STATUS_ICON[s.status], status);
  status.append(` ${STATUS_TEXT[s.status]}`);
  html('p', { class: 'sentence' }, hop.sentence, host);
  const dl = html('dl', { class: 'facts' }, undefined, host);
  field(dl, 'Decision', `${hop.decision}: ${DECISION_TEXT[hop.decision]}`);
  field(dl, 'Namespace', hop.namespace);
  field(dl, 'Interfaces', `${hop.ifIn ?? '·'} → ${hop.ifOut ?? '·'}`);
  html('h3', {}, 'Table rows behind it', host);
  if (hop.rows.length) {
    const ol = html('ul', { class: 'rows' }, undefined, host);
    for (const r of hop.rows) {
      const li = html('li', {}, undefined, ol);
      html('span', { class: `row-kind ${r.kind}` }, r.kind, li);
      html('code', {}, rowText(r), li);
    }
  } else html('p', { class: 'muted' }, 'No table row matched.', host);
  renderOverlayHop(host, hop, t);
  html('h3', {}, 'Headers', host);
  headerTable(host, step > 1 ? t.hops[step - 2].headers : undefined, hop.headers);
  html('h3', {}, 'Evidence', host);
  evidence(host, hop);
  if (step === t.hops.length) lastHopOutcome(host, t);
}

/** On the last hop: what the probe saw at its end and the way back, so the end of the path is never read as success alone. */
function lastHopOutcome(host: Element, t: TraceResult): void {
  const verdict = traceVerdict(t);
  html('h3', {}, 'What came back', host);
  html('p', { class: `outcome ${verdict.tone}`, 'data-testid': 'trace-outcome' }, `${verdict.label}: ${verdict.sentence}`, host);
  const back = returnPathText(t);
  if (back) html('p', { class: 'muted', 'data-testid': 'return-path' }, `Return path: ${back}`, host);
}

/** The legend: how observed, predicted, differing and stopped hops are drawn. */
export function renderLegend(host: Element): void {
  host.replaceChildren();
  html('h3', {}, 'Legend', host);
  const ul = html('ul', { class: 'legend' }, undefined, host);
  const items: [HopStatus, string][] = [
    ['observed', 'solid line, filled circle: observed'],
    ['predicted', 'dashed line, hollow circle: predicted only'],
    ['differs', 'dotted line, diamond: observed but different'],
    ['not-observed', 'dash-dot line, slashed circle: not seen'],
    ['stopped', 'red octagon: the packet stopped'],
  ];
  for (const [status, text] of items) {
    const li = html('li', { class: `legend-${status}` }, undefined, ul);
    codicon(STATUS_ICON[status], li);
    li.append(` ${text}`);
  }
}
