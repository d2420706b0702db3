/** Names the Service behind a DNAT the nft evaluator applied: which Service, which rule chose, every candidate endpoint, the one followed. */
import type { Snapshot, SnapshotService } from '../snapshot/types';
import { serviceKeyOfChain } from './kubeProxyNames';
import type { HookResult } from './nftEval';
import type { FilterRuleRow, PacketHeaders, ServiceCandidate, ServiceRow, TraceResult } from './types';

/** The parts of one hook's evaluation that can show a Service DNAT. */
export type DnatEvidence = Pick<HookResult, 'rows' | 'changes' | 'balance' | 'dnatChain'>;

/** The Service key of a kube-proxy chain name, if it is one. */
const keyOf = (chain: string | undefined) => (chain ? serviceKeyOfChain(chain) : undefined);

/** The Service the packet was addressed to: by ClusterIP and port, or by a NodePort on one of the nodes' addresses. */
export function serviceAddressedBy(s: Snapshot, p: Pick<PacketHeaders, 'dstIP' | 'dstPort'>): { svc: SnapshotService; via: ServiceRow['via'] } | undefined {
  const services = s.cluster.services ?? [];
  const byIP = services.find((v) => v.clusterIP === p.dstIP && v.ports.some((x) => x.port === p.dstPort));
  if (byIP) return { svc: byIP, via: 'clusterIP' };
  const node = s.cluster.nodes.some((n) => n.ip === p.dstIP) || s.namespaces.some((ns) => ns.kind === 'node' && ns.addresses.some((a) => a.address === p.dstIP));
  const byPort = node ? services.find((v) => v.ports.some((x) => x.nodePort !== undefined && x.nodePort === p.dstPort)) : undefined;
  return byPort ? { svc: byPort, via: 'nodePort' } : undefined;
}

/** A candidate with its Pod and node, from the Service's endpoints or, failing that, the Pod that has the address. */
function candidate(s: Snapshot, svc: SnapshotService | undefined, ip: string, port: number | undefined, chain?: string): ServiceCandidate {
  const ep = svc?.endpoints.find((e) => e.ip === ip);
  const pod = s.cluster.pods.find((p) => p.ip === ip);
  const podName = ep?.pod ?? pod?.name;
  const node = ep?.node ?? pod?.node;
  return { ip, ...(port !== undefined ? { port } : {}), ...(podName ? { pod: podName } : {}), ...(node ? { node } : {}), ...(chain ? { chain } : {}) };
}

function numeric(v: string | number | undefined): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

/**
 * The Service row for a hook that rewrote the destination, or undefined when the DNAT is no Service's (a published
 * Docker port): a Service is known from the snapshot's Services, or from kube-proxy's chain names.
 */
export function serviceRowFor(s: Snapshot, before: PacketHeaders, ev: DnatEvidence): ServiceRow | undefined {
  const dst = ev.changes.find((c) => c.field === 'dstIP');
  if (!dst) return undefined;
  const addressed = serviceAddressedBy(s, before);
  const key = keyOf(ev.dnatChain) ?? keyOf(ev.balance?.chain) ?? keyOf(ev.balance?.candidates[0]?.chain);
  if (!addressed && !key) return undefined;
  const svc = addressed?.svc ?? (s.cluster.services ?? []).find((v) => v.name === key!.name && (v.namespace ?? 'default') === key!.namespace);
  const newPort = numeric(ev.changes.find((c) => c.field === 'dstPort')?.to) ?? before.dstPort;
  const candidates = ev.balance
    ? ev.balance.candidates.map((c) => candidate(s, svc, c.addr ?? '', c.port, c.chain))
    : [candidate(s, svc, String(dst.to), newPort, ev.dnatChain)];
  const rule = ev.balance?.rule ?? [...ev.rows].reverse().find((r) => r.verdict === 'nat') ?? ev.rows[ev.rows.length - 1];
  const via = addressed?.via ?? (s.cluster.nodes.some((n) => n.ip === before.dstIP) ? 'nodePort' : 'clusterIP');
  const namespace = svc?.namespace ?? (key && key.namespace !== 'default' ? key.namespace : undefined);
  return {
    kind: 'service', service: svc?.name ?? key!.name, ...(namespace ? { namespace } : {}),
    address: before.dstIP, ...(before.dstPort !== undefined ? { port: before.dstPort } : {}), via, rule, candidates, chosen: String(dst.to),
  };
}

/** The trace's Service summary from the hop's row. */
export function serviceSummary(row: ServiceRow): NonNullable<TraceResult['service']> {
  return {
    name: row.service, ...(row.namespace ? { namespace: row.namespace } : {}), address: row.address,
    ...(row.port !== undefined ? { port: row.port } : {}), candidates: row.candidates, ...(row.chosen ? { chosen: row.chosen } : {}),
  };
}

/**
 * Why a Service's packet was dropped, in words, with a row naming the Service (no candidate), when the drop is kube-proxy
 * refusing a Service without a usable endpoint; undefined for any other drop.
 */
export function serviceDrop(
  s: Snapshot, where: string, nodeName: string | undefined, p: PacketHeaders, rule: FilterRuleRow,
): { row: ServiceRow; reason: string } | undefined {
  const addressed = serviceAddressedBy(s, p);
  if (!addressed) return undefined;
  const { svc, via } = addressed;
  const row: ServiceRow = {
    kind: 'service', service: svc.name, ...(svc.namespace ? { namespace: svc.namespace } : {}), address: p.dstIP,
    ...(p.dstPort !== undefined ? { port: p.dstPort } : {}), via, rule, candidates: [], chosen: '',
  };
  const ready = svc.endpoints.filter((e) => e.ready);
  if (ready.length === 0) return { row, reason: `no endpoints: the Service selects no ready Pod, so ${where} refuses ${p.dstIP}:${p.dstPort} (kube-proxy's rule "${rule.text}")` };
  const local = ready.filter((e) => e.node !== undefined && e.node === nodeName);
  if (via === 'nodePort' && svc.externalTrafficPolicy === 'Local' && local.length === 0) {
    row.candidates = ready.map((e) => candidate(s, svc, e.ip, e.ports[0]?.port));
    return {
      row,
      reason: `${where} has no endpoint of Service ${svc.name} and its externalTrafficPolicy is Local, so it drops the packet rather than send it to another node (which would hide the client's address); its endpoints are on ${[...new Set(ready.map((e) => e.node ?? '?'))].join(', ')}`,
    };
  }
  return undefined;
}
