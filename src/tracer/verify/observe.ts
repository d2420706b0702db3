/** Matches what the probe showed (trace events) to the predicted hops, and compares headers and TTLs. */
import type { Snapshot } from '../../snapshot/types';
import type { Hop, HopObservation, PacketHeaders } from '../types';
import type { TraceEvent, TraceVerdict } from './traceEvents';

/** Where a hop shows up in an nft trace: the family, the hooks (first match wins) and the interfaces. */
export interface Expectation {
  family: 'inet' | 'bridge';
  hooks: string[];
  iif?: string;
  oif?: string;
}

function isBridgePort(snapshot: Snapshot, namespace: string, ifname: string | undefined): boolean {
  return !!snapshot.namespaces.find((n) => n.id === namespace)?.links.find((l) => l.name === ifname)?.master;
}

/** Where in the kernel each kind of hop shows up in the trace. */
export function expectationFor(hop: Hop, snapshot: Snapshot): Expectation | undefined {
  switch (hop.decision) {
    case 'send':
      return { family: 'inet', hooks: ['postrouting', 'output'], oif: hop.ifOut };
    case 'veth':
      return isBridgePort(snapshot, hop.namespace, hop.ifOut) ? { family: 'bridge', hooks: ['prerouting'], iif: hop.ifOut } : { family: 'inet', hooks: ['prerouting'], iif: hop.ifOut };
    case 'bridge-forward':
    case 'bridge-flood': {
      const fromHost = hop.ifIn === undefined || !isBridgePort(snapshot, hop.namespace, hop.ifIn);
      return fromHost ? { family: 'bridge', hooks: ['output', 'postrouting'], oif: hop.ifOut } : { family: 'bridge', hooks: ['forward', 'postrouting'], iif: hop.ifIn, oif: hop.ifOut };
    }
    case 'bridge-to-host':
      return { family: 'inet', hooks: ['prerouting'], iif: hop.ifOut };
    case 'forward':
      return { family: 'inet', hooks: ['postrouting', 'forward'], oif: hop.ifOut };
    case 'deliver':
      return { family: 'inet', hooks: ['input'], ...(hop.ifIn ? { iif: hop.ifIn } : {}) };
    case 'drop':
      return undefined;
  }
}

function compare(predicted: PacketHeaders, seen: Partial<PacketHeaders>, withMacs: boolean): string[] {
  const diffs: string[] = [];
  const check = (field: keyof PacketHeaders, label: string) => {
    if (seen[field] !== undefined && predicted[field] !== undefined && seen[field] !== predicted[field]) diffs.push(`${label} ${seen[field]} (predicted ${predicted[field]})`);
  };
  check('srcIP', 'source');
  check('dstIP', 'destination');
  check('ttl', 'TTL');
  check('dstPort', 'destination port');
  if (withMacs) {
    check('srcMAC', 'source MAC');
    check('dstMAC', 'destination MAC');
  }
  return diffs;
}

/**
 * With br_netfilter, a bridged frame's IP postrouting (and so a masquerade) runs after the bridge's own hooks, where the
 * trace observes it: a bridge hop seen with the source the NAT hop before it rewrote is as predicted. Returns the
 * headers to compare against then.
 */
function preBridgeSnat(hops: Hop[], hop: Hop, seen: TraceEvent): PacketHeaders | undefined {
  if (seen.family !== 'bridge' || !hop.decision.startsWith('bridge')) return undefined;
  const before = hops[hop.index - 2];
  if (before?.namespace !== hop.namespace) return undefined;
  const snat = before.rows.flatMap((r) => (r.kind === 'filter' ? r.rule.changes ?? [] : [])).find((c) => c.field === 'srcIP');
  return snat && snat.from === seen.headers.srcIP && snat.to === hop.headers.srcIP ? { ...hop.headers, srcIP: String(snat.from) } : undefined;
}

/** Fills `hop.observation` for every hop from the events of the probe's packet. */
export function observeHops(hops: Hop[], snapshot: Snapshot, events: TraceEvent[], verdicts: TraceVerdict[]): void {
  for (const hop of hops) {
    const inNs = events.filter((e) => e.namespace === hop.namespace);
    if (hop.decision === 'drop') {
      const drop = verdicts.find((v) => v.namespace === hop.namespace && (v.verdict === 'drop' || v.verdict === 'reject'));
      const obs: HopObservation = { observed: inNs.length > 0, where: inNs.map((e) => `${e.family} ${e.hook ?? e.chain}${e.iif ? ` iif ${e.iif}` : ''}${e.oif ? ` oif ${e.oif}` : ''}`).slice(0, 3) };
      if (drop) obs.verdict = `${drop.family} ${drop.table} ${drop.chain}: ${drop.rule} (verdict ${drop.verdict})`;
      hop.observation = obs;
      continue;
    }
    const exp = expectationFor(hop, snapshot);
    if (!exp) continue;
    const match = exp.hooks
      .map((hook) => inNs.find((e) => e.family === exp.family && e.hook === hook
        && (exp.iif === undefined || e.iif === exp.iif) && (exp.oif === undefined || e.oif === exp.oif)))
      .find((e) => e !== undefined);
    if (!match) {
      hop.observation = { observed: false };
      continue;
    }
    const where = `${match.family} ${match.hook}${match.iif ? ` iif ${match.iif}` : ''}${match.oif ? ` oif ${match.oif}` : ''}`;
    // Frame addresses are only meaningful where a frame arrives (a veth end or a bridge port).
    const differences = compare(preBridgeSnat(hops, hop, match) ?? hop.headers, match.headers, hop.decision === 'veth');
    hop.observation = { observed: true, where: [where], headers: match.headers, ...(differences.length ? { differences } : {}) };
  }
}
