/** Finds how a node wires its Pods by reading its links once: a Pod bridge (cbr0, cni0, or one holding an address in the podCIDR) or ptp. */
import { cidrContains } from '../../model/cidr';
import type { KubeNode, NodeAccess } from './clusterTypes';
import { UNKNOWN_WIRING, firstPodCIDR, type NodeWiring } from './toLabStatus';

/** Bridge names CNI plugins give the Pods' bridge (kubenet/the article: cbr0; the CNI bridge plugin's default: cni0). */
export const POD_BRIDGE_NAMES = ['cbr0', 'cni0'];

interface AddrLink {
  ifname?: string;
  addr_info?: { family?: string; local?: string }[];
}

function inPodCidr(cidr: string, ip: string): boolean {
  try {
    return cidr !== '' && cidrContains(cidr, ip);
  } catch {
    return false; // a malformed podCIDR from the API matches nothing
  }
}

/** Picks the Pod bridge from `ip -j addr show type bridge` output; ptp (no bridge) when none qualifies. */
export function wiringFromBridges(node: KubeNode, ipJson: string): NodeWiring {
  let links: AddrLink[];
  try {
    const parsed: unknown = JSON.parse(ipJson || '[]');
    links = Array.isArray(parsed) ? (parsed as AddrLink[]) : [];
  } catch {
    return UNKNOWN_WIRING; // unreadable output: say nothing rather than guess a bridge
  }
  const cidr = firstPodCIDR(node);
  const v4 = (l: AddrLink) => (l.addr_info ?? []).filter((a) => a.family === 'inet' && typeof a.local === 'string').map((a) => a.local as string);
  const bridge = links.find((l) => v4(l).some((ip) => inPodCidr(cidr, ip))) ?? links.find((l) => POD_BRIDGE_NAMES.includes(l.ifname ?? ''));
  if (!bridge?.ifname) return { cni: 'ptp', bridge: '', bridgeIP: '' };
  return { cni: 'bridge', bridge: bridge.ifname, bridgeIP: v4(bridge).find((ip) => inPodCidr(cidr, ip)) ?? v4(bridge)[0] ?? '' };
}

/** Caches each node's wiring (read once per node and provider); nodes that cannot be read count as ptp. */
export class NodeWiringCache {
  private readonly cache = new Map<string, Promise<NodeWiring>>();

  constructor(private readonly access: NodeAccess) {}

  /** The wiring of every node, read concurrently the first time. */
  async all(nodes: readonly KubeNode[]): Promise<Map<string, NodeWiring>> {
    const entries = await Promise.all(nodes.map(async (n) => [n.name, await this.of(n)] as const));
    return new Map(entries);
  }

  /** The wiring of one node. */
  of(node: KubeNode): Promise<NodeWiring> {
    if (this.access.method === 'none') return Promise.resolve(UNKNOWN_WIRING);
    let p = this.cache.get(node.name);
    if (!p) {
      p = this.access.execNode(node, ['ip', '-j', 'addr', 'show', 'type', 'bridge'], { timeoutMs: 10_000 })
        .then((r) => (r.code === 0 ? wiringFromBridges(node, r.stdout) : UNKNOWN_WIRING))
        // An unreachable node shows as ptp in the status; the snapshot then reports the real failure for that node.
        .catch(() => UNKNOWN_WIRING);
      this.cache.set(node.name, p);
    }
    return p;
  }

  /** Forgets a node (deleted, or re-created with the same name). */
  forget(name: string): void {
    this.cache.delete(name);
  }
}
