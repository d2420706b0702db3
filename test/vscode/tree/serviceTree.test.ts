/** The Network view's Services group, outside client and router on a recorded lab with Services added as the lab reports them. */
import { strict as assert } from 'node:assert';
import type { LabStatus, ServiceInfo } from '../../../src/providers/embedded/control/protocol';
import { statusFromSnapshot } from '../../../src/providers/replay/replayStatus';
import { ElementCache, type NetElement, networkChildren } from '../../../src/vscode/tree/elements';
import {
  endpointDescription, endpointLabel, portsText, serviceDescription, serviceTooltip, servicesGroupDescription, withService,
} from '../../../src/vscode/tree/serviceText';
import { loadFixture } from '../../tracer/fixtures';

/** A Service on the article's lab as the lab's status reports it: pod-a and pod-c behind ClusterIP 10.96.0.100. */
function web(st: LabStatus, extra: Partial<ServiceInfo> = {}): ServiceInfo {
  const ep = (pod: string) => {
    const p = st.pods.find((x) => x.name === pod)!;
    return { ip: p.ip, pod, node: p.node, ready: true, ports: [{ protocol: 'tcp' as const, port: 8080 }] };
  };
  return {
    name: 'web', type: 'ClusterIP', clusterIP: '10.96.0.100', externalTrafficPolicy: 'Cluster', ports: [{ protocol: 'tcp', port: 80, targetPort: 8080 }],
    selector: { labels: { app: 'web' } }, endpoints: [ep('pod-a'), ep('pod-c')], ...extra,
  };
}

function labWithServices(): LabStatus {
  const st = statusFromSnapshot(loadFixture('article.json'));
  return { ...st, serviceCIDR: '10.96.0.0/12', services: [web(st)] };
}

const child = (st: LabStatus, cache: ElementCache, parent: NetElement | undefined, kind: string) =>
  networkChildren(st, parent, cache).find((e) => e.kind === kind);

describe('Network view: Services, the outside client and the router', () => {
  it('lists each Service under a Services group with its endpoints as IP:port rows that name their Pods', () => {
    const st = labWithServices();
    const cache = new ElementCache();
    const lab = networkChildren(st, undefined, cache)[0];
    const group = child(st, cache, lab, 'services')!;
    assert.equal(servicesGroupDescription(st), '1 Service · ClusterIPs from 10.96.0.0/12');
    const [svc] = networkChildren(st, group, cache);
    assert.deepEqual(svc, { id: 'svc:web', kind: 'service', service: 'web' });
    const eps = networkChildren(st, svc, cache);
    const podA = st.pods.find((p) => p.name === 'pod-a')!;
    assert.deepEqual(eps.map((e) => e.kind === 'endpoint' && e.pod), ['pod-a', 'pod-c']);
    assert.equal(endpointLabel(st.services![0], st.services![0].endpoints[0]), `${podA.ip}:8080`);
    assert.equal(endpointDescription(st.services![0].endpoints[0]), `→ pod-a on ${podA.node}`);
  });

  it('describes a Service like kubectl: type, ClusterIP, ports with the NodePort, ready endpoints; the tooltip names selector and policy', () => {
    const st = labWithServices();
    const np = web(st, { type: 'NodePort', ports: [{ protocol: 'tcp', port: 80, targetPort: 8080, nodePort: 30080 }], externalTrafficPolicy: 'Local' });
    assert.equal(portsText(np.ports), '80:30080/TCP');
    assert.equal(serviceDescription(np), 'NodePort · 10.96.0.100 · 80:30080/TCP · 2/2 ready');
    const tip = serviceTooltip(np);
    assert.match(tip, /Selector: app=web/);
    assert.match(tip, /externalTrafficPolicy Local: .*keeps the client's source IP/);
    const byPods = web(st, { selector: { pods: ['pod-a'] }, endpoints: [] });
    assert.match(serviceTooltip(byPods), /Selector: Pods pod-a/);
    assert.match(serviceTooltip(byPods), /No endpoints: traffic to it is rejected/);
    assert.equal(serviceDescription(byPods), 'ClusterIP · 10.96.0.100 · 80/TCP · 0/0 ready');
  });

  it('keeps the ClusterIP and swaps the endpoint row when a service event reports the re-created Pod', () => {
    const st = labWithServices();
    const cache = new ElementCache();
    const before = web(st);
    const after: ServiceInfo = { ...before, endpoints: [{ ...before.endpoints[0], ip: '10.244.1.9' }, before.endpoints[1]] };
    const services = withService(st.services, 'updated', after);
    assert.equal(services.length, 1);
    const next = { ...st, services };
    const eps = networkChildren(next, { id: 'svc:web', kind: 'service', service: 'web' }, cache);
    assert.deepEqual(eps.map((e) => e.id), ['svc:web/ep:10.244.1.9:8080', `svc:web/ep:${before.endpoints[1].ip}:8080`]);
    assert.equal(next.services[0].clusterIP, '10.96.0.100');
    assert.deepEqual(withService(services, 'deleted', after), []);
    assert.deepEqual(withService([web(st, { name: 'b' })], 'added', web(st, { name: 'a' })).map((s) => s.name), ['a', 'b'], 'kept in name order');
  });

  it('shows no Services group when the backend reports none, and an empty group when it reports an empty list', () => {
    const plain = statusFromSnapshot(loadFixture('article.json'));
    const cache = new ElementCache();
    const lab = networkChildren(plain, undefined, cache)[0];
    assert.equal(child({ ...plain, services: undefined }, cache, lab, 'services'), undefined);
    const empty = { ...plain, services: [] };
    const group = child(empty, cache, lab, 'services')!;
    assert.deepEqual(networkChildren(empty, group, cache), []);
    assert.equal(servicesGroupDescription(empty), '0 Services');
  });

  it('puts the outside client and the router on the wire, with their interfaces', () => {
    const base = statusFromSnapshot(loadFixture('article.json'));
    const st: LabStatus = {
      ...base,
      client: { name: 'outside', ip: '192.168.1.50', wirePort: 'wire0-c' },
      router: { name: 'router', interfaces: [
        { ifname: 'eth0', subnet: 'rack1', ip: '192.168.1.1', wirePort: 'wire0-r0' },
        { ifname: 'eth1', subnet: 'rack2', ip: '192.168.2.1', wirePort: 'wire0-r1' },
      ] },
    };
    const cache = new ElementCache();
    const lab = networkChildren(st, undefined, cache)[0];
    const client = child(st, cache, lab, 'client')!;
    assert.deepEqual(networkChildren(st, client, cache), [{ id: 'client/eth0', kind: 'iface', namespace: 'client/outside', ifname: 'eth0', ip: '192.168.1.50', role: 'eth0' }]);
    const router = child(st, cache, lab, 'router')!;
    assert.deepEqual(networkChildren(st, router, cache).map((e) => e.kind === 'iface' && `${e.namespace} ${e.ifname} ${e.ip}`), ['router/router eth0 192.168.1.1', 'router/router eth1 192.168.2.1']);
    const ports = networkChildren(st, child(st, cache, lab, 'wire'), cache).map((e) => e.kind === 'iface' && e.ifname);
    assert.deepEqual(ports.slice(-3), ['wire0-c', 'wire0-r0', 'wire0-r1']);
  });
});
