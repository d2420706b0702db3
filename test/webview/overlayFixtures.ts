/**
 * Hand-made Service and VXLAN variants of the recorded article lab and its pod-a -> pod-c trace, in the shapes of
 * src/tracer/types.ts (ServiceRow, OuterHeaders) and src/snapshot/types.ts (services, client, router, vxlan links).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NamespaceSnapshot, Snapshot, SnapshotLink } from '../../src/snapshot/types';
import type { OuterHeaders, ServiceRow, TraceResult } from '../../src/tracer/types';

const fixture = <T>(path: string): T => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', path), 'utf8')) as T;

/** The article lab with Service web (pod-a, pod-c behind 10.96.0.100:80), an outside client and flannel.1 on both nodes. */
export function overlaySnapshot(): Snapshot {
  const s = fixture<Snapshot>('traces/article.snapshot.json');
  s.cluster.serviceCIDR = '10.96.0.0/12';
  s.cluster.services = [{
    name: 'web', type: 'NodePort', clusterIP: '10.96.0.100', externalTrafficPolicy: 'Cluster',
    ports: [{ protocol: 'tcp', port: 80, targetPort: 8080, nodePort: 30080 }],
    endpoints: [
      { ip: '10.244.1.2', pod: 'pod-a', node: 'node1', ready: true, ports: [{ protocol: 'tcp', port: 8080 }] },
      { ip: '10.244.2.2', pod: 'pod-c', node: 'node2', ready: true, ports: [{ protocol: 'tcp', port: 8080 }] },
    ],
  }];
  s.cluster.client = { name: 'outside', ip: '192.168.1.50' };
  const wire = s.namespaces.find((n) => n.id === 'wire')!;
  const port: SnapshotLink = { ifindex: 90, name: 'wire0-c', kind: 'veth', mac: '02:00:00:00:00:90', mtu: 1500, state: 'UP', up: true, master: 'wire0', peer: { namespace: 'client/outside', ifname: 'eth0' } };
  wire.links.push(port);
  const client: NamespaceSnapshot = {
    ...wire, id: 'client/outside', kind: 'client', name: 'outside', forwarding: false,
    links: [{ ifindex: 2, name: 'eth0', kind: 'veth', mac: '02:00:00:00:00:50', mtu: 1500, state: 'UP', up: true, peer: { namespace: 'wire', ifname: 'wire0-c' } }],
    addresses: [{ ifname: 'eth0', family: 'inet', address: '192.168.1.50', prefixLength: 24, scope: 'global' }], routes: [], neighbors: [], fdb: [],
  };
  s.namespaces.push(client);
  for (const [i, id] of ['node/node1', 'node/node2'].entries()) {
    const ns = s.namespaces.find((n) => n.id === id)!;
    ns.links.push({ ifindex: 80 + i, name: 'flannel.1', kind: 'vxlan', mac: `0e:00:00:00:00:0${i}`, mtu: 1450, state: 'UNKNOWN', up: true,
      vxlan: { id: 1, port: 8472, local: `192.168.1.10${i}`, dev: 'eth0', learning: false } });
    ns.addresses.push({ ifname: 'flannel.1', family: 'inet', address: `10.244.${i + 1}.0`, prefixLength: 32, scope: 'global' });
  }
  return s;
}

/** The kube-proxy-style rule that picks an endpoint (text as nft lists it). */
const PICK = 'numgen random mod 2 vmap { 0 : goto endpoint-AAAA-default/web/tcp/__10.244.1.2/8080, 1 : goto endpoint-BBBB-default/web/tcp/__10.244.2.2/8080 }';

/** pod-a -> svc/web:80 on the article trace: hop 3 (node1 takes the frame off cbr0) DNATs to pod-c, the probe confirms it. */
export function serviceTrace(): TraceResult {
  const t = fixture<TraceResult>('traces/article-pod-a-pod-c.json');
  t.request = { ...t.request, to: { input: 'svc/web', kind: 'service', name: 'web', ip: '10.96.0.100', port: 80 }, proto: 'tcp', port: 80 };
  const row: ServiceRow = {
    kind: 'service', service: 'web', namespace: 'default', address: '10.96.0.100', port: 80, via: 'clusterIP',
    rule: { family: 'ip', table: 'kube-proxy', chain: 'service-XYZ-default/web/tcp/', hook: 'prerouting', text: PICK } as ServiceRow['rule'],
    candidates: [
      { ip: '10.244.1.2', port: 8080, pod: 'pod-a', node: 'node1', chain: 'endpoint-AAAA-default/web/tcp/__10.244.1.2/8080' },
      { ip: '10.244.2.2', port: 8080, pod: 'pod-c', node: 'node2', chain: 'endpoint-BBBB-default/web/tcp/__10.244.2.2/8080' },
    ],
    chosen: '10.244.2.2:8080',
  };
  t.hops.forEach((h, i) => {
    h.headers = { ...h.headers, proto: 'tcp', dstIP: i < 2 ? '10.96.0.100' : '10.244.2.2', dstPort: i < 2 ? 80 : 8080 };
  });
  t.hops[2].rows.unshift(row);
  t.service = { name: 'web', namespace: 'default', address: '10.96.0.100', port: 80, candidates: row.candidates, chosen: row.chosen };
  if (t.verification) t.verification.chosenEndpoint = '10.244.2.2:8080';
  return t;
}

/** The outer headers node1 puts around a Pod packet for node2. */
export const OUTER: OuterHeaders = { srcIP: '192.168.1.100', dstIP: '192.168.1.101', proto: 'udp', dstPort: 8472, vni: 1, overhead: 50 };

/** pod-a -> pod-c through flannel.1: node1 encapsulates at hop 4, the wire sees the outer packet, node2 decapsulates at hop 8. */
export function tunnelTrace(): TraceResult {
  const t = fixture<TraceResult>('traces/article-pod-a-pod-c.json');
  const fdb = { mac: '0e:00:00:00:00:01', ifname: 'flannel.1', dst: '192.168.1.101' } as never;
  t.hops[3] = { ...t.hops[3], decision: 'encap', ifOut: 'eth0', outer: OUTER, rows: [{ kind: 'encap', dev: 'flannel.1', vni: 1, outer: OUTER, fdb }] };
  for (const i of [4, 5, 6]) t.hops[i] = { ...t.hops[i], outer: OUTER };
  t.hops[7] = { ...t.hops[7], decision: 'decap', rows: [{ kind: 'decap', dev: 'flannel.1', vni: 1, outer: OUTER }, ...t.hops[7].rows] };
  return t;
}
