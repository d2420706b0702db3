import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ARTICLE_TOPOLOGY_YAML, parseTopology } from '../../../src/model/topologySpec';
import { kindConfig, kindConfigYaml, kindNodeNames, nodePlan, TOPOLOGY_NODE_LABEL } from '../../../src/providers/kind/kindConfig';
import { readKindConfig } from '../../support/kindStandIn/kindConfigFile';

const GOLDEN = join(__dirname, '../../fixtures/kind');
const article = parseTopology(ARTICLE_TOPOLOGY_YAML);

// kind's v1alpha4 field names (sigs.k8s.io/kind/pkg/apis/config/v1alpha4 types.go, yaml tags).
const CLUSTER_FIELDS = new Set(['kind', 'apiVersion', 'name', 'nodes', 'networking', 'featureGates', 'runtimeConfig', 'kubeadmConfigPatches', 'kubeadmConfigPatchesJSON6902', 'containerdConfigPatches', 'containerdConfigPatchesJSON6902']);
const NETWORKING_FIELDS = new Set(['ipFamily', 'apiServerPort', 'apiServerAddress', 'podSubnet', 'serviceSubnet', 'disableDefaultCNI', 'kubeProxyMode', 'dnsSearch']);
const NODE_FIELDS = new Set(['role', 'image', 'labels', 'extraMounts', 'extraPortMappings', 'kubeadmConfigPatches', 'kubeadmConfigPatchesJSON6902']);
const MOUNT_FIELDS = new Set(['containerPath', 'hostPath', 'readOnly', 'selinuxRelabel', 'propagation']);

function assertKindFields(config: Record<string, unknown>): void {
  for (const k of Object.keys(config)) assert.ok(CLUSTER_FIELDS.has(k), `cluster field ${k} is not a kind v1alpha4 field`);
  for (const k of Object.keys(config.networking as object)) assert.ok(NETWORKING_FIELDS.has(k), `networking.${k} is not a kind field`);
  for (const node of config.nodes as Record<string, unknown>[]) {
    for (const k of Object.keys(node)) assert.ok(NODE_FIELDS.has(k), `nodes[].${k} is not a kind field`);
    for (const m of (node.extraMounts as Record<string, unknown>[] | undefined) ?? []) {
      for (const k of Object.keys(m)) assert.ok(MOUNT_FIELDS.has(k), `extraMounts[].${k} is not a kind field`);
    }
  }
}

describe('kind config from a topology', () => {
  it('names nodes the way kind does: control-plane, worker, worker2', () => {
    assert.deepEqual(kindNodeNames('podnet', 3).map((n) => n.kindName), ['podnet-control-plane', 'podnet-worker', 'podnet-worker2', 'podnet-worker3']);
  });

  it('maps each topology node to one worker, in order, and leaves the control plane unmapped', () => {
    const plan = nodePlan(article, 'lab');
    assert.deepEqual(plan.map((p) => [p.kindName, p.topologyNode]), [['lab-control-plane', undefined], ['lab-worker', 'node1'], ['lab-worker2', 'node2']]);
  });

  for (const cni of ['kindnet', 'bridge'] as const) {
    it(`${cni} mode matches its golden file and survives a YAML round trip`, () => {
      const opts = { name: 'podnet', cni, bridgePlugin: '/usr/lib/cni/bridge' };
      const yaml = kindConfigYaml(article, opts);
      assert.equal(yaml, readFileSync(join(GOLDEN, `article-${cni}.yaml`), 'utf8'));
      const back = parse(yaml) as Record<string, unknown>;
      assert.deepEqual(back, kindConfig(article, opts));
      assertKindFields(back);
    });
  }

  it('uses the topology clusterCIDR as podSubnet and labels every worker with its topology node', () => {
    const config = kindConfig(article, { name: 'x', cni: 'kindnet' });
    assert.equal((config.networking as Record<string, unknown>).podSubnet, '10.244.0.0/16');
    assert.equal((config.networking as Record<string, unknown>).disableDefaultCNI, undefined);
    const labels = (config.nodes as Record<string, unknown>[]).map((n) => (n.labels as Record<string, string> | undefined)?.[TOPOLOGY_NODE_LABEL]);
    assert.deepEqual(labels, [undefined, 'node1', 'node2']);
  });

  it('bridge mode disables kindnet and mounts the host bridge plugin read-only into every node', () => {
    const config = kindConfig(article, { name: 'x', cni: 'bridge', bridgePlugin: '/usr/lib/cni/bridge', image: 'kindest/node:v1.31.0' });
    assert.equal((config.networking as Record<string, unknown>).disableDefaultCNI, true);
    for (const node of config.nodes as Record<string, unknown>[]) {
      assert.deepEqual(node.extraMounts, [{ hostPath: '/usr/lib/cni/bridge', containerPath: '/opt/cni/bin/bridge', readOnly: true }]);
      assert.equal(node.image, 'kindest/node:v1.31.0');
    }
  });

  it('asks kind for kube-proxy in nftables mode (networking.kubeProxyMode), the mode the tracer evaluates', () => {
    for (const cni of ['kindnet', 'bridge'] as const) {
      const net = kindConfig(article, { name: 'x', cni, bridgePlugin: '/usr/lib/cni/bridge' }).networking as Record<string, unknown>;
      assert.equal(net.kubeProxyMode, 'nftables');
    }
  });

  it('passes the topology\'s serviceCIDR as networking.serviceSubnet', () => {
    const custom = parseTopology(`${ARTICLE_TOPOLOGY_YAML}\nserviceCIDR: 10.100.0.0/16\n`);
    assert.equal((kindConfig(custom, { name: 'x', cni: 'kindnet' }).networking as Record<string, unknown>).serviceSubnet, '10.100.0.0/16');
    assert.equal((kindConfig(article, { name: 'x', cni: 'kindnet' }).networking as Record<string, unknown>).serviceSubnet, '10.96.0.0/12');
  });

  it('the kind stand-in\'s strict reader takes the generated config with its kube-proxy mode, and refuses a mode kind does not know', () => {
    const dir = mkdtempSync(join(tmpdir(), 'podnet-kindcfg-'));
    try {
      const file = join(dir, 'kind.yaml');
      writeFileSync(file, kindConfigYaml(article, { name: 'x', cni: 'kindnet' }));
      const read = readKindConfig(file);
      assert.equal(read.kubeProxyMode, 'nftables');
      assert.equal(read.serviceSubnet, '10.96.0.0/12');
      writeFileSync(file, readFileSync(file, 'utf8').replace('kubeProxyMode: nftables', 'kubeProxyMode: ebpf'));
      assert.throws(() => readKindConfig(file), /invalid kubeProxyMode: ebpf/);
      writeFileSync(file, readFileSync(file, 'utf8').replace('  kubeProxyMode: ebpf\n', ''));
      assert.equal(readKindConfig(file).kubeProxyMode, 'iptables', 'kind\'s default when the field is absent');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bridge mode without a bridge plugin to mount', () => {
    assert.throws(() => kindConfig(article, { name: 'x', cni: 'bridge' }), /bridge plugin/);
  });
});
