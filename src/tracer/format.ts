/** Renders a trace for the terminal: one block per hop (decision, table rows, sentence, evidence), then the verdicts. */
import type { Hop, TableRow, TraceResult } from './types';
import { natWords, senderSource, serviceLine } from './natWords';

/** One table row as text, e.g. `route 10.244.2.0/24 via 192.168.1.101 dev eth0 (table main)`. */
export function rowText(row: TableRow): string {
  switch (row.kind) {
    case 'route': {
      const r = row.route;
      const type = r.type && r.type !== 'unicast' ? `${r.type} ` : '';
      return `route ${type}${r.dst === '0.0.0.0/0' ? 'default' : r.dst}${r.gateway ? ` via ${r.gateway}` : ''}${r.dev ? ` dev ${r.dev}` : ''} (table ${r.table ?? 'main'}${row.rule && row.rule.priority !== 32766 ? `, rule ${row.rule.priority}` : ''})`;
    }
    case 'local':
      return `local address ${row.address} on ${row.ifname}`;
    case 'neighbor':
      return `neighbour ${row.resolved.ip} is ${row.resolved.mac} (${row.entry ? `ARP entry, ${row.entry.state.join(',') || 'no state'}` : `ARP would find ${row.resolved.owner}`})`;
    case 'fdb':
      return `fdb ${row.entry.mac} on ${row.entry.dev}${row.entry.master ? ` master ${row.entry.master}` : ''}${row.entry.flags?.length ? ` ${row.entry.flags.join(',')}` : ''}${row.entry.state ? ` ${row.entry.state}` : ''}`;
    case 'flood':
      return `not in ${row.bridge}'s fdb: flood to ${row.ports.join(', ')}`;
    case 'veth':
      if (row.network) return `node network ${row.network}: ${row.from.namespace}:${row.from.ifname} -> ${row.to.namespace}:${row.to.ifname}`;
      return `veth pair ${row.from.namespace}:${row.from.ifname} <-> ${row.to.namespace}:${row.to.ifname}`;
    case 'filter': {
      const nat = row.rule.changes?.length ? ` [${row.rule.changes.map((c) => `${c.field} ${c.from} -> ${c.to}`).join(', ')}]` : '';
      return `nft ${row.rule.family} ${row.rule.table} ${row.rule.chain} (${row.rule.hook}): ${row.rule.text}${nat}`;
    }
    case 'sysctl':
      return `sysctl ${row.name} = ${row.value}`;
    case 'service':
      return `service ${row.namespace ? `${row.namespace}/` : ''}${row.service} ${row.address}${row.port !== undefined ? `:${row.port}` : ''} (${row.via}): ${row.rule.text} -> one of ${row.candidates.map((c) => `${c.ip}${c.port !== undefined ? `:${c.port}` : ''}`).join(', ') || 'no endpoint'}`;
    case 'encap':
      return `vxlan ${row.dev} VNI ${row.vni}: outer ${row.outer.srcIP} -> ${row.outer.dstIP} udp ${row.outer.dstPort}${row.fdb ? ` (fdb ${row.fdb.mac} dst ${row.fdb.dst ?? '?'})` : ''}`;
    case 'decap':
      return `vxlan ${row.dev} VNI ${row.vni}: outer ${row.outer.srcIP} -> ${row.outer.dstIP} removed`;
  }
}

function evidence(hop: Hop): string {
  const o = hop.observation;
  const k = hop.kernel;
  const parts: string[] = [];
  if (o) parts.push(o.observed ? `seen${o.where?.length ? ` (${o.where.join('; ')})` : ''}${o.differences?.length ? `, BUT ${o.differences.join('; ')}` : ''}` : 'NOT seen');
  if (k) parts.push(k.agrees ? 'kernel agrees' : `KERNEL DISAGREES: ${k.error ?? `dev ${k.kernel?.dev ?? '-'} via ${k.kernel?.gateway ?? '-'}`}`);
  return parts.join('; ');
}

function mark(hop: Hop): string {
  if (!hop.observation) return ' ';
  if (!hop.observation.observed) return '✗';
  return hop.observation.differences?.length ? '!' : '✓';
}

/** What "prediction and probe agree" means for this trace: every hop seen, or seen up to where it stops. */
function probeMatchText(t: TraceResult): string {
  if (t.disposition === 'DELIVERED') return 'every predicted hop was observed';
  return t.hops.length === 1 ? `it never left ${t.hops[0].where}, as predicted` : 'every predicted hop up to where it stops was observed';
}

/** The verdict line: what the probe saw decides it; without a probe, the prediction (forward and return path). */
function headline(t: TraceResult): string {
  if (t.disposition !== 'DELIVERED') return `${t.disposition}: ${t.reason}.`;
  const o = t.verification?.outcome;
  if (o?.kind === 'unknown') return `DELIVERED in ${t.hops.length} hops; whether it was answered is UNKNOWN: ${o.detail}.`;
  if (o?.kind === 'not-sent') return `Predicted DELIVERED in ${t.hops.length} hops, but NOT-SENT: ${o.detail}.`;
  const arrived = t.hops[t.hops.length - 1]?.observation?.observed;
  const head = arrived ? `The request was delivered in ${t.hops.length} hops (seen arriving)` : `Predicted DELIVERED in ${t.hops.length} hops (not seen arriving)`;
  if (o && o.kind !== 'answered') return `${head}, but ${o.kind.toUpperCase()}: ${o.detail}.`;
  if (o) return `DELIVERED in ${t.hops.length} hops, and answered.`;
  if (t.verification) return `DELIVERED in ${t.hops.length} hops.`; // recorded before outcomes existed: no answer was recorded
  const back = t.returnPath;
  if (back && !back.notPredicted && back.disposition !== 'DELIVERED') return `The request would be delivered in ${t.hops.length} hops, but the reply cannot return: ${back.reason}.`;
  return `DELIVERED in ${t.hops.length} hops (predicted).`;
}

/** The predicted return path in one line. */
function returnLine(t: TraceResult): string | undefined {
  const back = t.returnPath;
  if (!back) return undefined;
  if (back.notPredicted) return `Return path: not predicted: ${back.reason}.`;
  const via = [...new Set(back.hops.map((h) => h.where.split(' → ').pop()))].join(' -> ');
  return back.disposition === 'DELIVERED' ? `Return path (predicted from the tables): ${via}.` : `Return path (predicted from the tables): ${back.disposition}: ${back.reason} (${via}).`;
}

/** The conntrack sentences the walker adds to a reply's hop (src/tracer/conntrack.ts words them). */
const CONNTRACK_NOTE = /Conntrack (?:in \S+ )?undoes the [DS]NAT: .*?(?:as the client expects|routes it there)\./g;

/** The whole trace as terminal text. */
export function formatTrace(t: TraceResult): string {
  const { from, to, proto, port } = t.request;
  const name = (e: typeof from) => (e.name ? `${e.name} (${e.ip})` : e.ip);
  const lines = [`Trace ${name(from)} -> ${name(to)}, ${proto === 'icmp' ? 'ICMP echo' : `${proto.toUpperCase()} port ${port}`}`, ''];
  for (const hop of t.hops) {
    const ports = `${hop.ifIn ?? '·'} -> ${hop.ifOut ?? '·'}`;
    const h = hop.headers;
    const o = hop.outer;
    // Inside a VXLAN tunnel the network sees the outer packet; the Pod packet's headers follow in brackets.
    const outer = o ? `outer ${o.srcIP} -> ${o.dstIP} udp:${o.dstPort}${o.ttl !== undefined ? ` ttl ${o.ttl}` : ''} [inner ` : '';
    lines.push(` ${mark(hop)} ${String(hop.index).padStart(2)}. ${hop.where.padEnd(22)} ${hop.decision.padEnd(15)} ${ports.padEnd(26)} ${outer}${h.srcIP} -> ${h.dstIP}${h.dstPort ? `:${h.dstPort}` : ''} ttl ${h.ttl}${o ? ']' : ''}`);
    for (const row of hop.rows) lines.push(`        ${rowText(row)}`);
    lines.push(`        ${hop.sentence}`);
    const ev = evidence(hop);
    if (ev) lines.push(`        evidence: ${ev}`);
  }
  lines.push('');
  lines.push(headline(t));
  const back = returnLine(t);
  if (back) lines.push(back);
  // Where conntrack rewrites the reply back (un-DNAT, un-SNAT), as the return path's hops say it.
  for (const h of t.returnPath?.hops ?? []) for (const said of h.sentence.match(CONNTRACK_NOTE) ?? []) lines.push(`  ${said}`);
  const svc = serviceLine(t);
  if (svc) lines.push(svc);
  if (t.nat.length) lines.push(`NAT on the way: ${t.nat.map((c) => `${c.field} ${c.from} -> ${c.to}`).join(', ')}.`);
  else if (t.disposition === 'DELIVERED') lines.push('The tables rewrite nothing: no NAT on this path.');
  const words = t.service && t.disposition === 'DELIVERED' ? natWords(t, senderSource(t)) : undefined;
  if (words && !t.verification) lines.push(`NAT (predicted): ${words}.`);
  const v = t.verification;
  if (v) {
    lines.push(`Probe: ${v.probe} (${v.method}): ${v.matches ? probeMatchText(t) : 'prediction and observation DIFFER'}.`);
    // A trace recorded before outcomes existed has none.
    if (v.outcome) lines.push(`Outcome: ${v.outcome.kind.toUpperCase()}: ${v.outcome.detail}.`);
    for (const d of v.differences) lines.push(`  - ${d}`);
    lines.push(`${v.natVerdict === 'no-nat' ? 'No NAT' : v.natVerdict === 'nat' ? 'NAT' : 'NAT unknown'}: ${v.natEvidence}`);
    lines.push(`TTL: ${v.ttlCheck.detail}${v.ttlCheck.ok ? '' : ' (UNEXPECTED)'}`);
  }
  for (const w of t.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}
