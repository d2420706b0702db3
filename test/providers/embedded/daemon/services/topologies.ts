/** The Services test lab as a Topology object (what the parser would produce, every default filled in). */
import type { ServiceSpec, Topology } from '../../../../../src/model/topology';
import { twoSubnets } from '../../overlay/topologies';

const WEB = [{ name: 'web', workload: 'web' as const, port: 8080 }];

function svc(name: string, i: number, selector: ServiceSpec['selector'], extra: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    name, selector, type: 'ClusterIP', clusterIP: `10.96.0.${100 + i}`, protocol: 'tcp', port: 80, targetPort: 8080, externalTrafficPolicy: 'Cluster', ...extra,
  };
}

/**
 * node1 (pod-a app=web, pod-c role=self) and node2 (pod-b app=web) on one wire, the outside client at .50, and Services:
 * web (ClusterIP over app=web), web-np (NodePort 30080, Cluster), web-local (NodePort 30081, Local, pod-b only),
 * lonely (selects nothing), self (pod-c only, for hairpin).
 */
export function servicesLab(name: string): Topology {
  return {
    name,
    network: { cidr: '192.168.1.0/24' },
    clusterCIDR: '10.244.0.0/16',
    serviceCIDR: '10.96.0.0/12',
    nodes: [
      { name: 'node1', ip: '192.168.1.100', podCIDR: '10.244.1.0/24' },
      { name: 'node2', ip: '192.168.1.101', podCIDR: '10.244.2.0/24' },
    ],
    pods: [
      { name: 'pod-a', node: 'node1', containers: WEB, labels: { app: 'web' } },
      { name: 'pod-b', node: 'node2', containers: WEB, labels: { app: 'web' } },
      { name: 'pod-c', node: 'node1', containers: WEB, labels: { role: 'self' } },
    ],
    services: [
      svc('web', 0, { labels: { app: 'web' } }),
      svc('web-np', 1, { labels: { app: 'web' } }, { type: 'NodePort', nodePort: 30080 }),
      svc('web-local', 2, { pods: ['pod-b'] }, { type: 'NodePort', nodePort: 30081, externalTrafficPolicy: 'Local' }),
      svc('lonely', 3, { labels: { app: 'nothing' } }),
      svc('self', 4, { pods: ['pod-c'] }),
    ],
    client: { name: 'outside', ip: '192.168.1.50' },
  };
}

/** The overlay lab (node1 on subnet a, node2 on subnet b, both vxlan) with pod-a and pod-b behind NodePort web (30080), the client on subnet a. */
export function servicesOverVxlan(name: string): Topology {
  const topo = twoSubnets(name, 'vxlan');
  return {
    ...topo,
    pods: topo.pods.map((p) => ({ ...p, labels: { app: 'web' } })),
    serviceCIDR: '10.96.0.0/12',
    services: [svc('web', 0, { labels: { app: 'web' } }, { type: 'NodePort', nodePort: 30080 })],
    client: { name: 'outside', ip: '192.168.1.50' },
  };
}
