/** `trace`: a packet traced from the tables and proved by a real probe ends as expected, passes where it must, and shows NAT or none. */
import { traceLive } from '../../tracer/runTrace';
import type { Hop, TraceResult } from '../../tracer/types';
import type { LabCheck, TracePass } from '../types';
import type { LabStatus } from '../../providers/embedded/control/protocol';
import { findNode, findPod } from '../lookup';
import type { CheckEvaluator } from './context';

type Expect = Extract<LabCheck, { type: 'trace' }>['expect'];

/** The path as places: "pod-a → node1 → wire → node2 → pod-c". */
export function pathOf(hops: Hop[]): string {
  // A veth hop is named after both ends ("pod-a → node1"); the namespaces alone tell the path.
  return hops.filter((h) => h.decision !== 'veth').map((h) => h.where).filter((w, i, all) => w !== all[i - 1]).join(' → ');
}

/** The names a pack's place may appear under in a trace: itself, and on a cluster the Pod's `NS/NAME` or the node's own name for its alias. */
function namesOf(st: LabStatus, where: string): string[] {
  return [where, findPod(st, where)?.name, findNode(st, where)?.name].filter((n): n is string => !!n);
}

/** On a cluster the wire is the nodes' own network, which PodNet does not run: a packet crossed it when one node handed it straight to another. */
export function crossedClusterWire(hops: Hop[], st: LabStatus): boolean {
  const nodes = new Set(st.nodes.map((n) => n.name));
  const places = hops.filter((h) => h.decision !== 'veth').map((h) => h.where);
  return places.some((w, i) => i > 0 && nodes.has(w) && nodes.has(places[i - 1]) && w !== places[i - 1]);
}

function passesAt(hops: Hop[], p: TracePass, st: LabStatus): boolean {
  if (p.where === 'wire' && st.cluster && p.interface === undefined) return crossedClusterWire(hops, st);
  const names = namesOf(st, p.where);
  return hops.some((h) => names.includes(h.where) && (p.interface === undefined || h.ifIn === p.interface || h.ifOut === p.interface));
}

/** The name the tracer knows an endpoint by: a Pod's or node's own name, or the text as written (an address). */
function endpointName(st: LabStatus, name: string): string {
  return findPod(st, name)?.name ?? findNode(st, name)?.name ?? name;
}

function natProblem(r: TraceResult, want: NonNullable<Expect['nat']>, receiver: string): string | undefined {
  const v = r.verification;
  if (!v) return 'the probe was not sent, so NAT could not be observed';
  const rewrote = (fields: string[]) => r.nat.some((c) => fields.includes(c.field));
  if (want === 'dnat' || want === 'dnat+snat') return serviceNatProblem(r, want);
  if (want === 'none') return v.natVerdict === 'no-nat' && r.nat.length === 0 ? undefined : `NAT was observed where this step expects none: ${v.natEvidence}`;
  if (v.natVerdict !== 'nat') return `this step expects ${want === 'any' ? 'NAT' : `${want} NAT`}, but ${receiver} saw no rewrite: ${v.natEvidence}`;
  if (want === 'source' && !rewrote(['srcIP', 'srcPort'])) return `this step expects the source to be rewritten, but only ${r.nat.map((c) => c.field).join(', ') || 'nothing'} was: ${v.natEvidence}`;
  if (want === 'destination' && !rewrote(['dstIP', 'dstPort'])) return `this step expects the destination to be rewritten, but only ${r.nat.map((c) => c.field).join(', ') || 'nothing'} was: ${v.natEvidence}`;
  return undefined;
}

/** `dnat`: a Service DNAT and the receiver saw the sender's own source; `dnat+snat`: a Service DNAT and the source was rewritten as well. */
function serviceNatProblem(r: TraceResult, want: 'dnat' | 'dnat+snat'): string | undefined {
  const v = r.verification!;
  if (!r.service?.chosen) return `this step expects a Service to DNAT the packet, but no Service rewrote its destination: ${v.natEvidence}`;
  const dnat = r.nat.some((c) => c.field === 'dstIP');
  // The evidence starts with the verdict words of src/tracer/natWords.ts, made from the source the receiver really saw.
  const snat = v.natEvidence.startsWith('DNAT and SNAT');
  if (!dnat || v.natVerdict !== 'nat') return `this step expects a DNAT to an endpoint of ${r.service.name}, but the receiver saw none: ${v.natEvidence}`;
  if (want === 'dnat' && snat) return `this step expects the sender's source to be kept, but it was rewritten too: ${v.natEvidence}`;
  if (want === 'dnat+snat' && !snat) return `this step expects the source to be rewritten as well (masqueraded), but it was kept: ${v.natEvidence}`;
  return undefined;
}

/** Whether the packet went through Service `name`'s DNAT, to one of its endpoints; a problem in words, or undefined. */
function serviceProblem(r: TraceResult, name: string): string | undefined {
  const s = r.service;
  const bare = (n: string) => n.slice(n.indexOf('/') + 1);
  if (!s) return `this step expects the packet to go through Service ${name}, but it met no Service on its way`;
  if (bare(s.name) !== bare(name)) return `this step expects the packet to go through Service ${name}, but it went through ${s.name}`;
  if (!s.chosen) return `Service ${name} did not DNAT the packet (${s.candidates.length ? 'it was dropped first' : 'it has no ready endpoint'})`;
  const reached = r.verification?.chosenEndpoint;
  if (reached && !s.candidates.some((c) => c.ip === reached)) return `the probe reached ${reached}, which is not an endpoint of Service ${name}`;
  return undefined;
}

/** The Service hop in words: its candidates and the endpoint the probe reached. */
function serviceFact(r: TraceResult): string {
  const s = r.service!;
  const list = s.candidates.map((c) => `${c.ip}${c.pod ? ` (${c.pod})` : ''}`).join(', ');
  const reached = r.verification?.chosenEndpoint ?? s.chosen;
  return `Service ${s.name} (${s.address}${s.port !== undefined ? `:${s.port}` : ''}) DNATed it to one of ${list}${reached ? `, this time ${reached}` : ''}`;
}

/** Runs the whole tracer (snapshot, prediction, kernel check, verified probe) and compares with `expect`. */
export const trace: CheckEvaluator<'trace'> = async (check, { lab }) => {
  const st = await lab.status();
  const { result: r } = await traceLive(
    lab, { from: endpointName(st, check.from), to: endpointName(st, check.to), proto: check.proto, port: check.port }, { verify: true },
  );
  const what = `the ${r.request.proto.toUpperCase()} packet from ${check.from} to ${check.to}`;
  const problems: string[] = [];
  const facts: string[] = [];
  const want = check.expect;
  if (want.disposition && r.disposition !== want.disposition) problems.push(`${what} ended ${r.disposition}${r.reason ? ` (${r.reason})` : ''}, not ${want.disposition}`);
  else facts.push(`${what} was ${r.disposition}${r.disposition === 'DELIVERED' ? ` in ${r.hops.length} hops` : r.reason ? ` (${r.reason})` : ''}`);
  const outcome = r.verification?.outcome;
  // Delivered means answered: a request that arrived but was refused, or whose reply cannot return, is no working connection.
  // UDP silence stays 'unknown' (nothing proves or disproves a listener), which the step accepts.
  if (want.disposition === 'DELIVERED' && outcome && outcome.kind !== 'answered' && outcome.kind !== 'unknown') {
    problems.push(`the probe got no answer (${outcome.kind}): ${outcome.detail}`);
  }
  if (!r.verification) problems.push('the real probe was not sent');
  else if (!r.verification.matches) problems.push(`the real probe did not behave as predicted: ${r.verification.differences.slice(0, 2).join('; ')}`);
  else facts.push('the real probe was seen on every predicted hop');
  for (const p of want.passes ?? []) {
    const at = p.interface ? `${p.interface} in ${p.where}` : p.where;
    if (passesAt(r.hops, p, st)) facts.push(`it passed ${at}`);
    else problems.push(`it did not pass ${at}; its path was ${pathOf(r.hops)}`);
  }
  if (want.service) {
    const bad = serviceProblem(r, want.service);
    if (bad) problems.push(bad);
    else facts.push(serviceFact(r));
  }
  if (want.nat) {
    const bad = natProblem(r, want.nat, check.to);
    if (bad) problems.push(bad);
    else facts.push(r.verification!.natEvidence);
  }
  if (problems.length > 0) return { passed: false, message: `${cap(problems.join('; '))}.` };
  return { passed: true, message: `${cap(facts.join('; '))}.` };
};

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
