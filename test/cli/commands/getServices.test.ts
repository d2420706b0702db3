import { strict as assert } from 'node:assert';
import { endpointsTable, endpointsText, noServicesLine, portsText, selectServices, selectorText, servicesTable } from '../../../src/cli/commands/getServices';
import { LabError } from '../../../src/providers/embedded/control/labError';
import type { ServiceEndpointInfo, ServiceInfo } from '../../../src/providers/embedded/control/protocol';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();
const ep = (ip: string, pod: string, node: string, port = 8080, ready = true): ServiceEndpointInfo => ({ ip, pod, node, ready, ports: [{ protocol: 'tcp', port }] });

const WEB: ServiceInfo = {
  name: 'web', type: 'ClusterIP', clusterIP: '10.96.0.100', externalTrafficPolicy: 'Cluster', createdAt: ago(42),
  ports: [{ protocol: 'tcp', port: 80, targetPort: 8080 }], selector: { labels: { tier: 'front', app: 'web' } },
  endpoints: [ep('10.244.1.2', 'pod-a', 'node1'), ep('10.244.2.2', 'pod-c', 'node2')],
};
const NP: ServiceInfo = {
  name: 'echo', type: 'NodePort', clusterIP: '10.96.0.101', externalTrafficPolicy: 'Local', createdAt: ago(3 * 3600),
  ports: [{ protocol: 'udp', port: 53, targetPort: 5353, nodePort: 30081 }], selector: { pods: ['pod-a', 'pod-b'] },
  endpoints: [],
};

/** Splits a table into rows of cells (cells are separated by two or more spaces). */
const cells = (text: string) => text.split('\n').map((l) => l.split(/\s{2,}/));

describe('podnet get svc|endpoints tables', () => {
  it('PORT(S) is port/PROTO, port:nodePort/PROTO with a NodePort, several joined by commas, <none> without ports', () => {
    assert.equal(portsText(WEB), '80/TCP');
    assert.equal(portsText(NP), '53:30081/UDP');
    assert.equal(portsText({ ...WEB, ports: [...WEB.ports, { protocol: 'tcp', port: 443, targetPort: 'https', nodePort: 30443 }] }), '80/TCP,443:30443/TCP');
    assert.equal(portsText({ ...WEB, ports: [] }), '<none>');
  });

  it('SELECTOR is k=v sorted by key, pod in (...) for a Pod-name selector, <none> without one', () => {
    assert.equal(selectorText(WEB), 'app=web,tier=front');
    assert.equal(selectorText(NP), 'pod in (pod-a,pod-b)');
    assert.equal(selectorText({ ...WEB, selector: undefined }), '<none>');
  });

  it('services are listed sorted by name with kubectl\'s columns; EXTERNAL-IP is <none>; AGE is kubectl\'s; wide adds SELECTOR', () => {
    const rows = cells(servicesTable([WEB, NP], { wide: false, allNamespaces: false, now: NOW }));
    assert.deepEqual(rows, [
      ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
      ['echo', 'NodePort', '10.96.0.101', '<none>', '53:30081/UDP', '3h'],
      ['web', 'ClusterIP', '10.96.0.100', '<none>', '80/TCP', '42s'],
    ]);
    const wide = cells(servicesTable([WEB, NP], { wide: true, allNamespaces: false, now: NOW }));
    assert.deepEqual(wide.map((r) => r[6]), ['SELECTOR', 'pod in (pod-a,pod-b)', 'app=web,tier=front']);
  });

  it('on a cluster with -A: a NAMESPACE column, sorted by namespace then name; NAMESPACE/ prefixes are not repeated; headless and LoadBalancer', () => {
    const kube: ServiceInfo[] = [
      { ...WEB, namespace: 'shop', name: 'shop/cart', createdAt: undefined },
      { ...WEB, namespace: 'default', name: 'kubernetes', clusterIP: '10.96.0.1', ports: [{ protocol: 'tcp', port: 443, targetPort: 6443 }] },
      { ...WEB, namespace: 'shop', name: 'db', clusterIP: 'None', type: 'ClusterIP' },
      { ...WEB, namespace: 'shop', name: 'lb', type: 'LoadBalancer' },
    ];
    const rows = cells(servicesTable(kube, { wide: false, allNamespaces: true, now: NOW }));
    assert.deepEqual(rows.map((r) => r.slice(0, 4)), [
      ['NAMESPACE', 'NAME', 'TYPE', 'CLUSTER-IP'], ['default', 'kubernetes', 'ClusterIP', '10.96.0.1'], ['shop', 'cart', 'ClusterIP', '10.96.0.100'],
      ['shop', 'db', 'ClusterIP', 'None'], ['shop', 'lb', 'LoadBalancer', '10.96.0.100'],
    ]);
    assert.equal(rows[2][6], '<unknown>', 'a Service without a creation time has an unknown AGE');
    assert.equal(rows[4][4], '<pending>', 'a LoadBalancer without an address is pending, as kubectl says');
  });

  it('ENDPOINTS lists ready IP:PORT only, the first three then "+ N more...", or <none>', () => {
    assert.equal(endpointsText(WEB), '10.244.1.2:8080,10.244.2.2:8080');
    assert.equal(endpointsText(NP), '<none>');
    const many = { ...WEB, endpoints: [1, 2, 3, 4, 5].map((i) => ep(`10.244.1.${i}`, `p${i}`, 'node1')) };
    assert.equal(endpointsText(many), '10.244.1.1:8080,10.244.1.2:8080,10.244.1.3:8080 + 2 more...');
    const notReady = { ...WEB, endpoints: [ep('10.244.1.2', 'pod-a', 'node1', 8080, false), ep('10.244.2.2', 'pod-c', 'node2')] };
    assert.equal(endpointsText(notReady), '10.244.2.2:8080');
    const twoPorts = { ...WEB, endpoints: [{ ...ep('10.244.1.2', 'a', 'n'), ports: [{ protocol: 'tcp' as const, port: 8080 }, { protocol: 'tcp' as const, port: 9090 }] }] };
    assert.equal(endpointsText(twoPorts), '10.244.1.2:8080,10.244.1.2:9090');
  });

  it('endpoints table: NAME ENDPOINTS AGE; wide shows every endpoint and adds the ready Pods with their nodes and the not-ready ones', () => {
    const withNotReady = { ...NP, endpoints: [ep('10.244.1.9', 'pod-b', 'node1', 5353, false)] };
    assert.deepEqual(cells(endpointsTable([WEB, withNotReady], { wide: false, allNamespaces: false, now: NOW })), [
      ['NAME', 'ENDPOINTS', 'AGE'], ['echo', '<none>', '3h'], ['web', '10.244.1.2:8080,10.244.2.2:8080', '42s'],
    ]);
    assert.deepEqual(cells(endpointsTable([WEB, withNotReady], { wide: true, allNamespaces: false, now: NOW })), [
      ['NAME', 'ENDPOINTS', 'AGE', 'PODS', 'NOT-READY'], ['echo', '<none>', '3h', '<none>', 'pod-b'], ['web', '10.244.1.2:8080,10.244.2.2:8080', '42s', 'pod-a@node1,pod-c@node2', '<none>'],
    ]);
  });

  it('a NAME picks that Service (also as NAMESPACE/NAME on a cluster); an unknown one is NOT_FOUND listing those there are', () => {
    assert.deepEqual(selectServices([WEB, NP], 'web'), [WEB]);
    assert.deepEqual(selectServices([WEB, NP], undefined), [WEB, NP]);
    const onCluster = { ...WEB, namespace: 'shop' };
    assert.deepEqual(selectServices([onCluster], 'shop/web'), [onCluster]);
    assert.throws(() => selectServices([WEB, NP], 'api'), (e: unknown) => e instanceof LabError && e.code === 'NOT_FOUND' && e.message === 'no Service "api" (Services: echo, web)');
    assert.throws(() => selectServices([], 'api'), /\(Services: none\)/);
  });

  it('an empty list: kubectl\'s sentence on a cluster, how to make one in the embedded lab', () => {
    assert.equal(noServicesLine(true, 'shop'), 'No resources found in shop namespace.');
    assert.equal(noServicesLine(true, undefined), 'No resources found');
    assert.match(noServicesLine(false, undefined), /podnet service create NAME --selector KEY=VALUE --port PORT/);
  });
});
