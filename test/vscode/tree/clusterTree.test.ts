/** The Network view's shape for a cluster: nodes with their links and Pods, hostNetwork Pods on the node, no wire. */
import { strict as assert } from 'node:assert';
import type { LabStatus } from '../../../src/providers/embedded/control/protocol';
import { toLabStatus } from '../../../src/providers/kube/toLabStatus';
import { sortedStatus } from '../../../src/vscode/cluster/clusterState';
import { clusterNodeDescription, clusterPodDescription, clusterRootText, clusterStatusBar, hostNetworkNote } from '../../../src/vscode/tree/clusterText';
import { ElementCache, type NetElement, networkChildren } from '../../../src/vscode/tree/elements';
import { cluster, source } from '../cluster/clusterFixture';

function walk(st: LabStatus, cache = new ElementCache(), el?: NetElement, depth = 0, out: string[] = []): string[] {
  for (const child of networkChildren(st, el, cache)) {
    out.push(`${'  '.repeat(depth)}${child.kind}:${child.id}`);
    walk(st, cache, child, depth + 1, out);
  }
  return out;
}

function status(access: 'container' | 'none', wiring?: Map<string, { cni: 'bridge' | 'ptp'; bridge: string; bridgeIP: string }>): LabStatus {
  const { nodes, pods } = cluster();
  return sortedStatus(toLabStatus(source(access), nodes, pods, wiring));
}

describe('networkChildren on a cluster (the Network view)', () => {
  it('shows nodes with eth0, cbr0 and their Pods under it; the hostNetwork Pod on the node itself; no wire', () => {
    const st = status('container', new Map([['podnet-worker', { cni: 'bridge' as const, bridge: 'cbr0', bridgeIP: '10.244.1.1' }]]));
    const lines = walk(st);
    const at = (line: string) => lines.indexOf(line);
    assert.equal(lines[0], 'lab:lab');
    assert.ok(!lines.some((l) => l.includes('wire')), 'a cluster has no wire row');
    assert.ok(at('    bridge:node:podnet-worker/bridge:cbr0') > at('    iface:node:podnet-worker/eth0'));
    assert.ok(at('      pod:pod:default/web-1') > at('    bridge:node:podnet-worker/bridge:cbr0'), 'web-1 hangs off cbr0');
    assert.ok(at('    pod:pod:kube-system/kube-proxy-x') > at('  node:node:podnet-worker'), 'the hostNetwork Pod hangs off its node, not cbr0');
    assert.equal(at('      pod:pod:kube-system/kube-proxy-x'), -1);
    assert.ok(at('    pod:pod:default/web-0') > at('  node:node:podnet-control-plane'), 'ptp node: Pods on the node itself');
    assert.ok(at('  pod:pod:default/pending') > 0, 'an unscheduled Pod is listed under the root');
    assert.equal(at('        container:pod:default/web-1/ctr:web'), at('      pod:pod:default/web-1') + 1, 'containers under their Pod');
  });

  it('lists a node\'s Pods directly, without links, when there is no node access', () => {
    const st = status('none');
    const cache = new ElementCache();
    const worker = networkChildren(st, networkChildren(st, undefined, cache)[0], cache).find((e) => e.id === 'node:podnet-worker')!;
    assert.deepEqual(networkChildren(st, worker, cache).map((e) => e.id), ['pod:default/web-1', 'pod:kube-system/kube-proxy-x']);
  });
});

describe('cluster row texts', () => {
  it('describes the root, nodes and Pods: context, InternalIP, podCIDR, Ready, namespaced names, hostNetwork', () => {
    const st = status('container');
    assert.deepEqual(clusterRootText(st, st.cluster!), { label: 'cluster kind-podnet', description: '2 nodes · all namespaces · read-only' });
    const worker = { ...st, nodes: st.nodes.map((n) => ({ ...n, ready: n.name === 'podnet-worker' })) };
    assert.equal(clusterNodeDescription(worker, 'podnet-worker'), '172.18.0.3 · Pods 10.244.1.0/24 · Ready · 2 Pods');
    assert.match(clusterNodeDescription(worker, 'podnet-control-plane'), /NotReady/);
    const proxy = st.pods.find((p) => p.name === 'kube-system/kube-proxy-x')!;
    assert.equal(clusterPodDescription(proxy), "172.18.0.3 · node's IP (hostNetwork) · Running 1/1");
    assert.match(hostNetworkNote(proxy), /one exception to "every Pod gets its own IP"/);
    assert.equal(clusterPodDescription(st.pods.find((p) => p.name === 'default/web-1')!), '10.244.1.2 · Running 1/1');
  });

  it('puts the context in the status bar and the node access method and reason in its tooltip', () => {
    const st = status('container');
    const bar = clusterStatusBar(st, st.cluster!);
    assert.equal(bar.text, '$(cloud) kind-podnet · 2 nodes · 5 Pods');
    assert.match(bar.tooltip, /Node access: node containers: docker exec into the node containers \(kind\)/);
    assert.match(bar.tooltip, /https:\/\/127\.0\.0\.1:6443/);
  });

  it('shows a cluster\'s Services last under the root, keyed NAMESPACE/NAME, with endpoints naming their NAMESPACE/NAME Pods', () => {
    const st: LabStatus = {
      ...status('none'),
      services: [{
        name: 'web', namespace: 'default', type: 'NodePort', clusterIP: '10.96.12.7', externalTrafficPolicy: 'Local', selector: { labels: { app: 'web' } },
        ports: [{ name: 'http', protocol: 'tcp', port: 80, targetPort: 'http', nodePort: 31000 }],
        endpoints: [{ ip: '10.244.1.2', pod: 'default/web-1', node: 'podnet-worker', ready: true, ports: [{ name: 'http', protocol: 'tcp', port: 8080 }] }],
      }],
    };
    const lines = walk(st);
    assert.deepEqual(lines.slice(-3), ['  services:services', '    service:svc:default/web', '      endpoint:svc:default/web/ep:10.244.1.2:8080']);
    const cache = new ElementCache();
    const endpoint = networkChildren(st, { id: 'svc:default/web', kind: 'service', service: 'default/web' }, cache)[0];
    assert.deepEqual(endpoint, { id: 'svc:default/web/ep:10.244.1.2:8080', kind: 'endpoint', service: 'default/web', ip: '10.244.1.2', pod: 'default/web-1' });
  });
});
