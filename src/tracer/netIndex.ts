/** Lookups over a snapshot that the tracer needs: namespaces, links, addresses, and who owns an IP on a segment. */
import { cidrContains, formatIPv4, parseIPv4, prefixMask } from '../model/cidr';
import type { NamespaceSnapshot, Snapshot, SnapshotLink } from '../snapshot/types';

/** A link together with its namespace. */
export interface LinkRef {
  ns: NamespaceSnapshot;
  link: SnapshotLink;
}

/** Read-only indexes built once per snapshot. */
export class NetIndex {
  private readonly byId = new Map<string, NamespaceSnapshot>();

  constructor(readonly snapshot: Snapshot) {
    for (const ns of snapshot.namespaces) this.byId.set(ns.id, ns);
  }

  /** The namespace with this id, or undefined. */
  namespace(id: string): NamespaceSnapshot | undefined {
    return this.byId.get(id);
  }

  /** A link of a namespace by name. */
  link(ns: NamespaceSnapshot, name: string): SnapshotLink | undefined {
    return ns.links.find((l) => l.name === name);
  }

  /** IPv4 addresses of a namespace (optionally of one link). */
  ipv4(ns: NamespaceSnapshot, ifname?: string): { address: string; prefixLength: number; ifname: string }[] {
    return ns.addresses.filter((a) => a.family === 'inet' && (!ifname || a.ifname === ifname));
  }

  /** True when `ip` is one of the namespace's own addresses (or loopback). */
  isLocal(ns: NamespaceSnapshot, ip: string): boolean {
    return ip.startsWith('127.') || this.ipv4(ns).some((a) => a.address === ip);
  }

  /** The primary IPv4 address on a link (what masquerade and source selection use). */
  primaryAddress(ns: NamespaceSnapshot, ifname: string, towards?: string): string | undefined {
    const addrs = this.ipv4(ns, ifname);
    const same = towards ? addrs.find((a) => onSubnet(a.address, a.prefixLength, towards)) : undefined;
    return (same ?? addrs[0])?.address;
  }

  /** The namespace a short display name refers to (pod-a, node1, wire). */
  displayName(ns: NamespaceSnapshot): string {
    return ns.name;
  }

  /**
   * Every L3 endpoint reachable at layer 2 from (ns, link): follows veth pairs and bridges.
   * Returns the links that terminate frames (a bridge's own interface, a non-enslaved veth end, ...).
   */
  l2Segment(ns: NamespaceSnapshot, link: SnapshotLink): LinkRef[] {
    const seen = new Set<string>();
    const endpoints: LinkRef[] = [];
    const visit = (n: NamespaceSnapshot, l: SnapshotLink): void => {
      const key = `${n.id}|${l.name}`;
      if (seen.has(key)) return;
      seen.add(key);
      if (l.kind === 'bridge') {
        endpoints.push({ ns: n, link: l });
        for (const port of n.links.filter((p) => p.master === l.name)) visit(n, port);
        return;
      }
      if (l.master) {
        const bridge = this.link(n, l.master);
        if (bridge) visit(n, bridge);
      } else {
        endpoints.push({ ns: n, link: l });
      }
      const peer = this.peerOf(n, l);
      if (peer) visit(peer.ns, peer.link);
    };
    visit(ns, link);
    return endpoints;
  }

  /** The other end of a veth, if the snapshot resolved it. */
  peerOf(ns: NamespaceSnapshot, link: SnapshotLink): LinkRef | undefined {
    if (!link.peer) return undefined;
    const other = this.namespace(link.peer.namespace);
    const peerLink = other && this.link(other, link.peer.ifname);
    return other && peerLink ? { ns: other, link: peerLink } : undefined;
  }

  /** Who on the L2 segment of (ns, link) owns `ip` (what ARP would find), excluding the asker itself; across an unseen node network too. */
  arpResolve(ns: NamespaceSnapshot, link: SnapshotLink, ip: string): LinkRef | undefined {
    return this.l2Segment(ns, link).find((ep) => !(ep.ns.id === ns.id && ep.link.name === link.name) && this.ipv4(
      ep.ns, ep.link.name,
    ).some((a) => a.address === ip))
      ?? this.acrossNetwork(ns, link, (other, l) => this.ipv4(other, l.name).some((a) => a.address === ip) && this.sameSubnet(ns, link, ip));
  }

  /**
   * True when a node's (or host's) link leads out of the snapshot: not loopback, not a bridge or bridge port, no veth peer
   * in the snapshot. On a cluster that is each node's eth0, plugged into a network PodNet does not see (kind's Docker
   * bridge, a cloud VPC).
   */
  leavesSnapshot(ns: NamespaceSnapshot, link: SnapshotLink): boolean {
    return (ns.kind === 'node' || ns.kind === 'host') && link.kind !== 'loopback' && link.kind !== 'bridge' && !link.master && !link.peer;
  }

  /** The subnet of the link's own address that contains `ip`, as `a.b.c.d/p`, or undefined. */
  sharedSubnet(ns: NamespaceSnapshot, link: SnapshotLink, ip: string): string | undefined {
    const a = this.ipv4(ns, link.name).find((x) => onSubnet(x.address, x.prefixLength, ip));
    return a ? `${formatIPv4((parseIPv4(a.address) & prefixMask(a.prefixLength)) >>> 0)}/${a.prefixLength}` : undefined;
  }

  private sameSubnet(ns: NamespaceSnapshot, link: SnapshotLink, ip: string): boolean {
    return this.sharedSubnet(ns, link, ip) !== undefined;
  }

  /** The link in another node that meets (ns, link) on a network outside the snapshot and satisfies `match`. */
  acrossNetwork(ns: NamespaceSnapshot, link: SnapshotLink, match: (other: NamespaceSnapshot, l: SnapshotLink) => boolean): LinkRef | undefined {
    if (!this.leavesSnapshot(ns, link)) return undefined;
    for (const other of this.snapshot.namespaces) {
      if (other.id === ns.id) continue;
      const l = other.links.find((x) => this.leavesSnapshot(other, x) && match(other, x));
      if (l) return { ns: other, link: l };
    }
    return undefined;
  }
}

/** True when `other` is on the subnet of address/prefix. */
export function onSubnet(address: string, prefix: number, other: string): boolean {
  return cidrContains({ network: (parseIPv4(address) & prefixMask(prefix)) >>> 0, prefix }, other);
}
