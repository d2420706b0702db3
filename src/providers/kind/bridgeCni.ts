/** What `bridge` mode writes into each kind node: the article's cbr0 conflist and the routes to the other nodes' Pod CIDRs. */

/** Where the conflist goes; kubelet's containerd reads the first file in this folder by name. */
export const BRIDGE_CONFLIST_PATH = '/etc/cni/net.d/10-podnet-cbr0.conflist';

/** The CNI conflist for one node: the bridge plugin on cbr0 with host-local IPAM over that node's podCIDR. */
export function bridgeConflist(podCIDR: string): string {
  const conf = {
    cniVersion: '0.4.0',
    name: 'cbr0',
    plugins: [
      {
        type: 'bridge',
        bridge: 'cbr0',
        isGateway: true,
        ipMasq: false,
        hairpinMode: true,
        ipam: { type: 'host-local', ranges: [[{ subnet: podCIDR }]], routes: [{ dst: '0.0.0.0/0' }] },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  };
  return `${JSON.stringify(conf, null, 2)}\n`;
}

/** A node as the API reports it, reduced to what routing needs. */
export interface RoutedNode {
  name: string;
  internalIP: string;
  podCIDR: string;
}

/** The argv that sets, on `self`, a route to every other node's podCIDR via that node's InternalIP (idempotent: `replace`). */
export function peerRouteCommands(self: string, nodes: RoutedNode[]): string[][] {
  return nodes
    .filter((n) => n.name !== self && n.podCIDR && n.internalIP)
    .map((n) => ['ip', 'route', 'replace', n.podCIDR, 'via', n.internalIP]);
}
