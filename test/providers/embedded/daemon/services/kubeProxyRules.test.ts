/** kube-proxy's nftables-mode table as the lab writes it: names, structure per Service type and policy, and the partial update. */
import { strict as assert } from 'node:assert';
import type { ServiceSpec } from '../../../../../src/model/topology';
import { endpointChainBase, servicePortChainBase } from '../../../../../src/providers/embedded/daemon/services/chainNames';
import {
  kubeProxyDelta, kubeProxyPlan, kubeProxyRuleset, kubeProxyScripts, type KubeProxyEndpoint, type KubeProxyInput,
} from '../../../../../src/providers/embedded/daemon/services/kubeProxyRules';

function spec(name: string, i: number, extra: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    name, selector: { labels: { app: name } }, type: 'ClusterIP', clusterIP: `10.96.0.${100 + i}`, protocol: 'tcp', port: 80, targetPort: 8080,
    externalTrafficPolicy: 'Cluster', ...extra,
  };
}

const EP1: KubeProxyEndpoint = { ip: '10.244.1.2', port: 8080, pod: 'pod-a', node: 'node1', ready: true };
const EP2: KubeProxyEndpoint = { ip: '10.244.2.2', port: 8080, pod: 'pod-b', node: 'node2', ready: true };

function input(services: KubeProxyInput['services'], node = 'node1'): KubeProxyInput {
  return { node: { name: node, ip: node === 'node1' ? '192.168.1.100' : '192.168.1.101' }, clusterCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12', services };
}

/** The body lines of chain `name` (the name may contain slashes and dots). */
function chain(script: string, name: string): string[] {
  const start = script.indexOf(`\tchain ${name} {\n`);
  assert.ok(start >= 0, `chain ${name} missing from:\n${script}`);
  const body = script.slice(start).split('\n');
  return body.slice(1, body.indexOf('\t}')).map((l) => l.trim());
}

/** The elements of set or map `name`, one string each. */
function elements(script: string, name: string): string[] {
  const block = script.split(new RegExp(`\\t(?:set|map) ${name} \\{\\n`))[1]?.split('\n\t}')[0] ?? '';
  const m = /elements = \{ ([\s\S]*) \}/.exec(block);
  return m ? m[1].split(/,\n\s*/).map((s) => s.trim()) : [];
}

const names = (name: string) => ({ namespace: 'default', name, protocol: 'tcp' as const, portName: '' });
const svcChain = (name: string) => `service-${servicePortChainBase(names(name))}`;
const extChain = (name: string) => `external-${servicePortChainBase(names(name))}`;
const localChain = (name: string) => `local-${servicePortChainBase(names(name))}`;
const epChain = (name: string, ep: KubeProxyEndpoint) => `endpoint-${endpointChainBase(names(name), ep.ip, ep.port)}`;

describe('kube-proxy rules (nftables mode)', () => {
  it('names chains exactly as kube-proxy does (its own documented examples)', () => {
    const p = { namespace: 'ns1', name: 'svc1', protocol: 'tcp' as const, portName: 'p80' };
    assert.equal(servicePortChainBase(p), 'ULMVA6XW-ns1/svc1/tcp/p80');
    assert.equal(endpointChainBase(p, '10.180.0.1', 80), '5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80');
  });

  it('gives the same text for the same input, whatever order the endpoints come in', () => {
    const a = kubeProxyRuleset(input([{ spec: spec('web', 0), endpoints: [EP1, EP2] }]));
    const b = kubeProxyRuleset(input([{ spec: spec('web', 0), endpoints: [EP2, EP1] }]));
    assert.equal(a, b);
    assert.equal(a, kubeProxyRuleset(input([{ spec: spec('web', 0), endpoints: [EP1, EP2] }])));
  });

  it('hooks the services chain into prerouting and output, masquerading into postrouting, with the 0x4000 mark', () => {
    const s = kubeProxyRuleset(input([]));
    assert.deepEqual(chain(s, 'nat-prerouting'), ['type nat hook prerouting priority dstnat; policy accept;', 'jump services']);
    assert.deepEqual(chain(s, 'nat-output'), ['type nat hook output priority -100; policy accept;', 'jump services']);
    assert.deepEqual(chain(s, 'nat-postrouting'), ['type nat hook postrouting priority srcnat; policy accept;', 'jump masquerading']);
    assert.deepEqual(chain(s, 'services'), [
      'ip daddr . meta l4proto . th dport vmap @service-ips',
      'fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @service-nodeports',
    ]);
    assert.deepEqual(chain(s, 'mark-for-masquerade'), ['meta mark set meta mark | 0x4000']);
    assert.deepEqual(chain(s, 'masquerading'), ['meta mark & 0x4000 == 0 return', 'meta mark set meta mark ^ 0x4000', 'masquerade fully-random']);
    assert.match(chain(s, 'cluster-ips-check')[1], /^ip daddr \{ 10\.96\.0\.0\/12 \} drop/);
  });

  it('DNATs a ClusterIP to a random ready endpoint, masquerading only sources outside the Pod range and hairpin traffic', () => {
    const notReady = { ...EP2, ip: '10.244.2.9', ready: false };
    const s = kubeProxyRuleset(input([{ spec: spec('web', 0), endpoints: [EP1, EP2, notReady] }]));
    assert.deepEqual(elements(s, 'service-ips'), [`10.96.0.100 . tcp . 80 : goto ${svcChain('web')}`]);
    assert.deepEqual(elements(s, 'cluster-ips'), ['10.96.0.100']);
    assert.deepEqual(chain(s, svcChain('web')), [
      'ip daddr 10.96.0.100 tcp dport 80 ip saddr != 10.244.0.0/16 jump mark-for-masquerade',
      `numgen random mod 2 vmap { 0 : goto ${epChain('web', EP1)}, 1 : goto ${epChain('web', EP2)} }`,
    ]);
    assert.deepEqual(chain(s, epChain('web', EP2)), ['ip saddr 10.244.2.2 jump mark-for-masquerade', 'meta l4proto tcp dnat to 10.244.2.2:8080']);
    assert.ok(!s.includes('10.244.2.9'), 'a not-ready endpoint gets no chain');
  });

  it('rejects a Service without endpoints in the filter chains and writes no NAT chain for it', () => {
    const s = kubeProxyRuleset(input([{ spec: spec('lonely', 3, { type: 'NodePort', nodePort: 30083 }), endpoints: [] }]));
    assert.deepEqual(elements(s, 'no-endpoint-services'), ['10.96.0.103 . tcp . 80 comment "default/lonely" : goto reject-chain']);
    assert.deepEqual(elements(s, 'no-endpoint-nodeports'), ['tcp . 30083 comment "default/lonely" : goto reject-chain']);
    assert.deepEqual(elements(s, 'service-ips'), []);
    assert.ok(!s.includes(svcChain('lonely')), 'no service chain');
    assert.deepEqual(chain(s, 'reject-chain').slice(-1), ['reject']);
    assert.deepEqual(chain(s, 'filter-forward').slice(1), ['ct state new jump service-endpoints-check', 'ct state new jump cluster-ips-check']);
  });

  it('masquerades every NodePort connection with externalTrafficPolicy Cluster, then uses all endpoints', () => {
    const s = kubeProxyRuleset(input([{ spec: spec('np', 1, { type: 'NodePort', nodePort: 30081 }), endpoints: [EP1, EP2] }]));
    assert.deepEqual(elements(s, 'service-nodeports'), [`tcp . 30081 : goto ${extChain('np')}`]);
    assert.deepEqual(chain(s, extChain('np')), ['jump mark-for-masquerade', `goto ${svcChain('np')}`]);
  });

  it('keeps the client source with Local: only this node\'s endpoints, and a drop where the node has none', () => {
    const svc = { spec: spec('loc', 2, { type: 'NodePort', nodePort: 30082, externalTrafficPolicy: 'Local' }), endpoints: [EP2] };
    const onNode2 = kubeProxyRuleset(input([svc], 'node2'));
    const ext2 = chain(onNode2, extChain('loc'));
    assert.deepEqual(ext2.map((r) => r.replace(/ comment ".*"$/, '')), [
      `ip saddr 10.244.0.0/16 goto ${svcChain('loc')}`,
      'fib saddr type local jump mark-for-masquerade',
      `fib saddr type local goto ${svcChain('loc')}`,
      `goto ${localChain('loc')}`,
    ]);
    assert.deepEqual(chain(onNode2, localChain('loc')), [`numgen random mod 1 vmap { 0 : goto ${epChain('loc', EP2)} }`]);
    assert.deepEqual(elements(onNode2, 'no-endpoint-nodeports'), []);
    const onNode1 = kubeProxyRuleset(input([svc], 'node1'));
    assert.equal(chain(onNode1, extChain('loc')).length, 3, 'no goto: nothing local to send to');
    assert.ok(!onNode1.includes(localChain('loc')));
    assert.deepEqual(elements(onNode1, 'no-endpoint-nodeports'), ['tcp . 30082 comment "default/loc" : drop']);
    assert.deepEqual(chain(onNode1, 'nodeport-endpoints-check'), ['ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @no-endpoint-nodeports']);
  });

  it('updates only what changed when an endpoint Pod is re-created with a new IP', () => {
    const other = { spec: spec('other', 1), endpoints: [EP1] };
    const before = kubeProxyPlan(input([{ spec: spec('web', 0), endpoints: [EP1, EP2] }, other]));
    const moved = { ...EP2, ip: '10.244.2.3' };
    const after = kubeProxyPlan(input([{ spec: spec('web', 0), endpoints: [EP1, moved] }, other]));
    const lines = kubeProxyDelta(before, after).trim().split('\n');
    assert.deepEqual(lines.filter((l) => !l.startsWith('add rule')), [
      `add chain ip kube-proxy ${epChain('web', moved)}`,
      `flush chain ip kube-proxy ${svcChain('web')}`,
      `flush chain ip kube-proxy ${epChain('web', moved)}`,
      `flush chain ip kube-proxy ${epChain('web', EP2)}`,
      `delete chain ip kube-proxy ${epChain('web', EP2)}`,
    ]);
    assert.ok(!lines.some((l) => l.includes('/other/')), 'the other Service is untouched');
    assert.equal(kubeProxyDelta(after, after), '');
  });

  it('loads a small table in one transaction, and a big one as the skeleton then pieces under the size limit, in dependency order', () => {
    const small = input([{ spec: spec('web', 0), endpoints: [EP1, EP2] }]);
    assert.deepEqual(kubeProxyScripts(small, kubeProxyPlan(small)), [kubeProxyRuleset(small)]);
    const many = input(Array.from({ length: 30 }, (_, i) => ({ spec: spec(`svc-${i}`, i), endpoints: [EP1, EP2] })));
    const scripts = kubeProxyScripts(many, kubeProxyPlan(many), undefined, 4000);
    assert.ok(scripts.length > 3);
    assert.deepEqual(scripts[0], kubeProxyRuleset(input([])), 'first the table without Services');
    for (const piece of scripts.slice(1)) assert.ok(piece.length <= 4000, `piece of ${piece.length} bytes`);
    const lines = scripts.slice(1).join('').trim().split('\n');
    const firstElement = lines.findIndex((l) => l.startsWith('add element'));
    assert.ok(lines.slice(firstElement).every((l) => l.startsWith('add element')), 'elements only after every chain and rule');
    assert.deepEqual(kubeProxyScripts(many, kubeProxyPlan(many), kubeProxyPlan(many)), [], 'nothing to do when nothing changed');
  });

  it('moves a Service between the dispatch map and the reject map when its last endpoint goes or comes back', () => {
    const withEp = kubeProxyPlan(input([{ spec: spec('web', 0), endpoints: [EP1] }]));
    const without = kubeProxyPlan(input([{ spec: spec('web', 0), endpoints: [] }]));
    const lines = kubeProxyDelta(withEp, without).trim().split('\n');
    assert.ok(lines.includes('delete element ip kube-proxy service-ips { 10.96.0.100 . tcp . 80 }'));
    assert.ok(lines.includes('add element ip kube-proxy no-endpoint-services { 10.96.0.100 . tcp . 80 comment "default/web" : goto reject-chain }'));
    assert.deepEqual(lines.filter((l) => l.startsWith('delete chain')).length, 2, 'service and endpoint chains go');
    const back = kubeProxyDelta(without, withEp).trim().split('\n');
    assert.ok(back.includes('delete element ip kube-proxy no-endpoint-services { 10.96.0.100 . tcp . 80 }'));
    assert.ok(back.indexOf(`add chain ip kube-proxy ${svcChain('web')}`) < back.findIndex((l) => l.startsWith('add element ip kube-proxy service-ips')));
  });
});
