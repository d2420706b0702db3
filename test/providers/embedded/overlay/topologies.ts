/** Overlay test topologies, built as Topology objects: subnets a (192.168.1.0/24) and b (192.168.2.0/24) joined by a router. */
import type { NodeCni, Topology } from '../../../../src/model/topology';

const WEB = [{ name: 'web', workload: 'web' as const, port: 8080 }];

/** node1 on subnet a and node2 on subnet b, both `cni`; with `sameSubnetPeer`, node3 (bridge) beside node1 on subnet a. Pods pod-a, pod-b (and pod-c). */
export function twoSubnets(name: string, cni: NodeCni, sameSubnetPeer = false): Topology {
  const nodes = [
    { name: 'node1', ip: '192.168.1.100', podCIDR: '10.244.1.0/24', cni, subnet: 'a' },
    { name: 'node2', ip: '192.168.2.100', podCIDR: '10.244.2.0/24', cni, subnet: 'b' },
    ...(sameSubnetPeer ? [{ name: 'node3', ip: '192.168.1.101', podCIDR: '10.244.3.0/24', cni: 'bridge' as const, subnet: 'a' }] : []),
  ];
  const pods = [
    { name: 'pod-a', node: 'node1', containers: WEB },
    { name: 'pod-b', node: 'node2', containers: WEB },
    ...(sameSubnetPeer ? [{ name: 'pod-c', node: 'node3', containers: WEB }] : []),
  ];
  return {
    name,
    network: {
      cidr: '192.168.0.0/16',
      subnets: [{ name: 'a', cidr: '192.168.1.0/24', routerIP: '192.168.1.1' }, { name: 'b', cidr: '192.168.2.0/24', routerIP: '192.168.2.1' }],
      router: { name: 'router' },
    },
    clusterCIDR: '10.244.0.0/16',
    nodes,
    pods,
  };
}

/** One flat wire (no subnets): node1 vxlan and node2 bridge, pod-a and pod-b. */
export function flatMixed(): Topology {
  return {
    name: 'flat',
    network: { cidr: '192.168.1.0/24' },
    clusterCIDR: '10.244.0.0/16',
    nodes: [
      { name: 'node1', ip: '192.168.1.100', podCIDR: '10.244.1.0/24', cni: 'vxlan' },
      { name: 'node2', ip: '192.168.1.101', podCIDR: '10.244.2.0/24', cni: 'bridge' },
    ],
    pods: [{ name: 'pod-a', node: 'node1', containers: WEB }, { name: 'pod-b', node: 'node2', containers: WEB }],
  };
}
