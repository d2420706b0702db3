/** What `bridge` mode writes into each kind node: the article's cbr0 conflist and the routes to the other nodes' Pod CIDRs. */

import { existsSync } from 'node:fs';

/** Where hosts keep the CNI bridge plugin (Debian's containernetworking-plugins, then the CNI project's default). */
export const BRIDGE_PLUGIN_PATHS = ['/usr/lib/cni/bridge', '/opt/cni/bin/bridge'] as const;

/** The host's CNI bridge plugin, mounted into kind nodes in bridge mode; undefined when this machine has none. */
export function findBridgePlugin(exists: (p: string) => boolean = existsSync): string | undefined {
  return BRIDGE_PLUGIN_PATHS.find((p) => exists(p));
}

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
