/** Plain data for a trace: the request, the packet's headers, each hop with the table row behind it, and the outcome. */
import type { SnapshotFdbEntry, SnapshotNeighbor, SnapshotRoute, SnapshotRule } from '../snapshot/types';

/** Transport protocol of the probe. */
export type TraceProto = 'icmp' | 'tcp' | 'udp';

/** Where the packet ended up. */
export type Disposition =
  | 'DELIVERED'
  | 'NO_ROUTE'
  | 'DROPPED_BY_RULE'
  | 'NEIGHBOR_UNREACHABLE'
  | 'NOT_FORWARDING'
  | 'TTL_EXCEEDED'
  | 'LINK_DOWN'
  | 'LOOP'
  | 'EXITS_LAB';

/** The headers the tracer follows (IPv4). */
export interface PacketHeaders {
  srcIP: string;
  dstIP: string;
  srcMAC?: string;
  dstMAC?: string;
  ttl: number;
  proto: TraceProto;
  srcPort?: number;
  dstPort?: number;
}

/** A header field rewritten by a NAT rule. */
export interface HeaderChange {
  field: 'srcIP' | 'dstIP' | 'srcPort' | 'dstPort';
  from: string | number | undefined;
  to: string | number | undefined;
}

/** One nftables rule the packet met, in a readable form. */
export interface FilterRuleRow {
  family: string;
  table: string;
  chain: string;
  hook: string;
  handle?: number;
  /** The rule as nft would print it (approximately), e.g. `ip saddr 172.17.0.0/16 oifname != "docker0" masquerade`. */
  text: string;
  verdict: 'accept' | 'drop' | 'reject' | 'nat' | 'policy';
  changes?: HeaderChange[];
}

/** One endpoint a Service's load-balancing rule may pick. */
export interface ServiceCandidate {
  ip: string;
  port?: number;
  pod?: string;
  node?: string;
  /** The nft chain that DNATs to it (kube-proxy's `endpoint-...` chain). */
  chain?: string;
}

/** The hop where the destination changes from a Service address to an endpoint: which Service, which rule, which endpoints. */
export interface ServiceRow {
  kind: 'service';
  service: string;
  namespace?: string;
  /** The address the packet was sent to: the ClusterIP, or a node IP for a NodePort. */
  address: string;
  port?: number;
  via: 'clusterIP' | 'nodePort';
  /** The rule that chose among the candidates (numgen random ... vmap), or the single DNAT rule. */
  rule: FilterRuleRow;
  candidates: ServiceCandidate[];
  /** The candidate the prediction follows (the probe's observed endpoint after verification). */
  chosen: string;
}

/** The underlay headers of a VXLAN-encapsulated packet (issue 12). */
export interface OuterHeaders {
  srcIP: string;
  dstIP: string;
  srcMAC?: string;
  dstMAC?: string;
  proto: 'udp';
  dstPort: number;
  vni: number;
  /** Bytes the encapsulation adds (50 for IPv4 VXLAN). */
  overhead: number;
  /** The outer packet's TTL at this hop (the underlay's routers lower it; the inner TTL stays). */
  ttl?: number;
}

/** The exact table row behind a decision. */
export type TableRow =
  | { kind: 'route'; route: SnapshotRoute; rule?: SnapshotRule }
  | { kind: 'local'; address: string; ifname: string }
  | { kind: 'neighbor'; entry?: SnapshotNeighbor; resolved: { ip: string; mac: string; owner: string } }
  | { kind: 'fdb'; entry: SnapshotFdbEntry }
  | { kind: 'flood'; bridge: string; ports: string[] }
  | {
    kind: 'veth';
    from: { namespace: string; ifname: string };
    to: { namespace: string; ifname: string };
    /** Set when the two ends are not one veth pair but meet on a network outside the snapshot (a cluster's node network), e.g. `172.18.0.0/16`. */
    network?: string;
  }
  | { kind: 'filter'; rule: FilterRuleRow }
  | ServiceRow
  | { kind: 'encap'; dev: string; vni: number; outer: OuterHeaders; fdb?: SnapshotFdbEntry; neighbor?: SnapshotNeighbor }
  | { kind: 'decap'; dev: string; vni: number; outer: OuterHeaders }
  | { kind: 'sysctl'; name: string; value: string };

/** What happened in one hop. */
export type HopDecision = 'send' | 'veth' | 'bridge-forward' | 'bridge-flood' | 'bridge-to-host' | 'forward' | 'deliver' | 'drop' | 'encap' | 'decap';

/** What the kernel itself said about an L3 decision (`ip route get`). */
export interface KernelCheck {
  argv: string[];
  agrees: boolean;
  kernel?: { dev?: string; gateway?: string; prefsrc?: string; type?: string };
  error?: string;
}

/** What a live probe showed at this hop. */
export interface HopObservation {
  observed: boolean;
  /** Where it was seen, e.g. `prerouting iif eth0`. */
  where?: string[];
  headers?: Partial<PacketHeaders>;
  /** How it differs from the prediction, if it does. */
  differences?: string[];
  verdict?: string;
}

/** One step of the packet's path. */
export interface Hop {
  index: number;
  /** Namespace id (`pod/pod-a`, `node/node1`, `wire`, ...). */
  namespace: string;
  /** Short name for display (pod-a, node1, wire). */
  where: string;
  decision: HopDecision;
  ifIn?: string;
  ifOut?: string;
  rows: TableRow[];
  /** Headers after this hop (inside a tunnel: the inner packet's). */
  headers: PacketHeaders;
  /** Inside a VXLAN tunnel: the outer headers the underlay sees. */
  outer?: OuterHeaders;
  /** One plain-language sentence for learners. */
  sentence: string;
  kernel?: KernelCheck;
  observation?: HopObservation;
}

/** A resolved endpoint of a trace. */
export interface Endpoint {
  /** What the user typed. */
  input: string;
  kind: 'pod' | 'node' | 'host' | 'container' | 'ip' | 'service' | 'client' | 'router';
  name?: string;
  namespace?: string;
  ip: string;
  port?: number;
}

/** What to trace. */
export interface TraceRequest {
  from: string;
  to: string;
  proto?: TraceProto;
  port?: number;
}

/** The whole prediction (and, after verification, the observations). */
export interface TraceResult {
  request: { from: Endpoint; to: Endpoint; proto: TraceProto; port?: number };
  disposition: Disposition;
  /** Why the packet stopped, in a sentence, for anything but DELIVERED. */
  reason?: string;
  hops: Hop[];
  /** Headers as the destination received them. */
  delivered?: PacketHeaders;
  /** Source or destination rewritten on the way (NAT seen in the tables). */
  nat: HeaderChange[];
  warnings: string[];
  /** The reply's way back, predicted from the tables (the destination's route to the sender); only for a delivered request. */
  returnPath?: ReturnPath;
  verification?: Verification;
  /** Set when the destination was a Service (ClusterIP or NodePort): its DNAT and the candidates. */
  service?: { name: string; namespace?: string; address: string; port?: number; candidates: ServiceCandidate[]; chosen?: string };
}

/** The predicted path of the reply, from the destination back to the sender. */
export interface ReturnPath {
  /** DELIVERED when the reply reaches the sender's namespace again. */
  disposition: Disposition;
  /** Why the reply stops (or why it was not predicted), in a sentence. */
  reason?: string;
  hops: Hop[];
  /** True when the tables alone cannot say (the request's source was rewritten: the way back goes through connection tracking). */
  notPredicted?: boolean;
}

/** What the probe itself saw at its end: the verdict comes from this, not from the prediction. */
export type ProbeOutcomeKind = 'answered' | 'refused' | 'reset' | 'unreachable' | 'no-reply' | 'reply-path-broken' | 'unknown' | 'not-sent';

/** The probe's outcome and the evidence for it, in a sentence. */
export interface ProbeOutcome {
  kind: ProbeOutcomeKind;
  detail: string;
}

/** The outcome of sending a real probe. */
export interface Verification {
  probe: string;
  /** True when every predicted hop was observed and matched. */
  matches: boolean;
  differences: string[];
  /** "no NAT" only when the destination saw the sender's own address. */
  natVerdict: 'no-nat' | 'nat' | 'unknown';
  natEvidence: string;
  ttlCheck: { ok: boolean; detail: string };
  method: string;
  /** What came back to the sender: an answer, a refusal, a reset, nothing. */
  outcome: ProbeOutcome;
  /** For a Service trace: the endpoint the probe actually reached (one of the candidates, or not). */
  chosenEndpoint?: string;
}
