/** The generated kube-proxy table against the real nft, in a scratch network namespace: it loads, and a partial update lands on the same table. */
import { strict as assert } from 'node:assert';
import type { ServiceSpec } from '../../../../../src/model/topology';
import {
  kubeProxyDelta, kubeProxyPlan, kubeProxyRuleset, kubeProxyScripts, type KubeProxyEndpoint, type KubeProxyInput,
} from '../../../../../src/providers/embedded/daemon/services/kubeProxyRules';
import { findExecutable } from '../../../../../src/providers/embedded/tools';
import { runOk } from '../../../../../src/util/exec';
import { startScratchNetns, type ScratchNetns } from '../../../../support/scratchNetns';

function spec(name: string, i: number, extra: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    name, selector: { pods: [] }, type: 'NodePort', clusterIP: `10.96.0.${100 + i}`, protocol: i % 2 ? 'udp' : 'tcp', port: 80, targetPort: 8080,
    nodePort: 30080 + i, externalTrafficPolicy: i % 3 === 0 ? 'Local' : 'Cluster', ...extra,
  };
}

const ep = (ip: string, node: string): KubeProxyEndpoint => ({ ip, port: 8080, node, ready: true });

function input(services: KubeProxyInput['services']): KubeProxyInput {
  return { node: { name: 'node1', ip: '192.168.1.100' }, clusterCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12', services };
}

/** `nft list table` with chains and set blocks in name order, so two tables with the same content compare equal. */
function normalized(listing: string): string {
  const blocks = listing.split(/\n(?=\t(?:chain|set|map) )/).map((b) => b.trim().replace(/\n\s*\n/g, '\n').replace(/\n}$/, ''));
  return [blocks[0], ...blocks.slice(1).sort()].join('\n');
}

describe('kube-proxy rules against the real nft (scratch namespace)', function () {
  this.timeout(30_000);
  const nft = findExecutable('nft');
  let scratch: ScratchNetns | undefined;
  const inNs = (argv: string[]) => [...(scratch?.enter ?? assert.fail('no scratch namespace')), ...argv];
  const load = (script: string) => runOk(inNs([nft ?? 'nft', '-f', '-']), { input: script, timeoutMs: 10_000 }, 'nft -f');
  const list = async () => (await runOk(inNs([nft ?? 'nft', 'list', 'table', 'ip', 'kube-proxy']), { timeoutMs: 10_000 }, 'nft list')).stdout;

  before(async function () {
    if (!nft) this.skip(); // nftables not installed: nothing to load into
    // Inside a user namespace, as a rootless lab's nodes are (that is where the size limit below bites).
    scratch = await startScratchNetns({ userns: true });
  });

  after(() => scratch?.stop());

  it('loads the whole table, with every Service shape, and loads it again over itself', async () => {
    const services = [
      { spec: spec('web', 0), endpoints: [ep('10.244.1.2', 'node1'), ep('10.244.2.2', 'node2')] },
      { spec: spec('dns', 1), endpoints: [ep('10.244.2.3', 'node2')] },
      { spec: spec('empty', 2), endpoints: [] },
      { spec: spec('local-elsewhere', 3), endpoints: [ep('10.244.2.4', 'node2')] },
      { spec: spec('plain', 4, { type: 'ClusterIP', nodePort: undefined }), endpoints: [ep('10.244.1.5', 'node1')] },
    ];
    const script = kubeProxyRuleset(input(services));
    await load(script);
    await load(script);
    const listed = await list();
    assert.match(listed, /chain service-[A-Z2-7]{8}-default\/web\/tcp\/ \{/);
    assert.match(listed, /numgen random mod 2 vmap \{ 0 : goto endpoint-[A-Z2-7]{8}-default\/web\/tcp\/__10\.244\.1\.2\/8080/);
    assert.match(listed, /meta l4proto udp dnat to 10\.244\.2\.3:8080/);
    assert.match(listed, /udp \. 30083 comment "default\/local-elsewhere" : drop/);
    assert.match(listed, /10\.96\.0\.102 \. tcp \. 80 comment "default\/empty" : goto reject-chain/);
  });

  it('reaches the same table by a partial update as by loading the new table whole', async () => {
    const before = [
      { spec: spec('web', 0), endpoints: [ep('10.244.1.2', 'node1'), ep('10.244.2.2', 'node2')] },
      { spec: spec('np', 1), endpoints: [ep('10.244.2.3', 'node2')] },
      { spec: spec('gone', 2), endpoints: [ep('10.244.1.7', 'node1')] },
    ];
    const after = [
      { spec: spec('web', 0), endpoints: [ep('10.244.1.2', 'node1'), ep('10.244.2.9', 'node2')] },
      { spec: spec('np', 1), endpoints: [] },
      { spec: spec('new', 5), endpoints: [ep('10.244.1.8', 'node1')] },
    ];
    await load(kubeProxyRuleset(input(before)));
    await load(kubeProxyDelta(kubeProxyPlan(input(before)), kubeProxyPlan(input(after))));
    const patched = await list();
    await load(kubeProxyRuleset(input(after)));
    assert.equal(normalized(patched), normalized(await list()));
    assert.ok(!patched.includes('/gone/'), 'the deleted Service left no chain');
  });

  it('loads 100 Services x 3 endpoints inside a user namespace (rootless) in pieces, where one transaction is "Message too long"', async () => {
    const services = Array.from({ length: 100 }, (_, i) => ({
      spec: spec(`svc-${i}`, 0, { clusterIP: `10.96.1.${i}`, nodePort: 30100 + i, protocol: 'tcp' }),
      endpoints: [1, 2, 3].map((n) => ep(`10.244.${n}.${10 + i}`, `node${n}`)),
    }));
    const big = input(services);
    await assert.rejects(load(kubeProxyRuleset(big)), /Message too long/, 'one transaction: if this now loads, the pieces are no longer needed');
    const scripts = kubeProxyScripts(big, kubeProxyPlan(big));
    assert.ok(scripts.length > 2);
    for (const script of scripts) await load(script);
    const listed = await list();
    assert.equal(listed.match(/\tchain service-[A-Z2-7]{8}-/g)?.length, 100);
    assert.equal(listed.match(/\tchain endpoint-[A-Z2-7]{8}-/g)?.length, 300);
  });
});
