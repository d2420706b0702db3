import { strict as assert } from 'node:assert';
import { parseAllDocuments } from 'yaml';
import type { KubeNode } from '../../../../src/providers/kube/clusterTypes';
import {
  DEBUG_CONTAINER,
  DEBUG_POD_LABELS,
  DEBUG_POD_SELECTOR,
  DEFAULT_DEBUG_IMAGE,
  debugPodManifest,
  debugPodName,
  manifestYaml,
} from '../../../../src/providers/kube/nodeAccess/debugPodManifest';

const node = (name: string): KubeNode => ({ name, internalIP: '10.0.0.1', podCIDRs: [], ready: true, providerID: '', resourceVersion: '1' });
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

interface PodShape {
  metadata: { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: {
    nodeName: string;
    hostNetwork: boolean;
    hostPID: boolean;
    restartPolicy: string;
    terminationGracePeriodSeconds: number;
    automountServiceAccountToken: boolean;
    tolerations: { operator: string; key?: string; effect?: string }[];
    containers: { name: string; image: string; command: string[]; securityContext: { privileged: boolean } }[];
  };
}

describe('debugPodManifest', () => {
  it('pins a privileged hostNetwork + hostPID Pod to the node, tolerating every taint, with one bounded sleeping container', () => {
    const m = debugPodManifest(node('worker-1'), { image: 'example/tools:1', namespace: 'podnet' }) as unknown as PodShape;
    assert.equal(m.metadata.name, 'podnet-debug-worker-1');
    assert.equal(m.metadata.namespace, 'podnet');
    assert.equal(m.spec.nodeName, 'worker-1');
    assert.equal(m.spec.hostNetwork, true);
    assert.equal(m.spec.hostPID, true);
    assert.equal(m.spec.restartPolicy, 'Never');
    assert.equal(m.spec.terminationGracePeriodSeconds, 0);
    assert.equal(m.spec.automountServiceAccountToken, false);
    assert.deepEqual(m.spec.tolerations, [{ operator: 'Exists' }], 'an Exists toleration without key matches every taint');
    assert.equal(m.spec.containers.length, 1);
    const [c] = m.spec.containers;
    assert.equal(c.name, DEBUG_CONTAINER);
    assert.equal(c.image, 'example/tools:1');
    assert.equal(c.securityContext.privileged, true);
    assert.equal(c.command[0], 'sleep');
    const seconds = Number(c.command[1]);
    assert.ok(seconds > 0 && seconds <= 24 * 3600, `the container ends by itself (sleep ${c.command[1]})`);
  });

  it('labels the Pod as PodNet\'s node-debug Pod and says in annotations what it is for and how to remove it', () => {
    const m = debugPodManifest(node('n1'), { image: DEFAULT_DEBUG_IMAGE, namespace: 'default' }) as unknown as PodShape;
    assert.deepEqual(m.metadata.labels, { 'app.kubernetes.io/managed-by': 'podnet-lab', 'podnet.dev/role': 'node-debug' });
    assert.deepEqual(m.metadata.labels, { ...DEBUG_POD_LABELS });
    assert.equal(DEBUG_POD_SELECTOR, 'app.kubernetes.io/managed-by=podnet-lab,podnet.dev/role=node-debug');
    const notes = Object.values(m.metadata.annotations).join('\n');
    assert.match(notes, /podnet cluster cleanup/);
    assert.match(notes, /PodNet/);
    assert.equal(m.metadata.annotations['podnet.dev/node'], 'n1');
  });

  it('does not share nested objects between manifests (changing one leaves the labels constant alone)', () => {
    const a = debugPodManifest(node('a'), { image: 'i', namespace: 'n' }) as unknown as PodShape;
    a.metadata.labels.extra = 'x';
    const b = debugPodManifest(node('b'), { image: 'i', namespace: 'n' }) as unknown as PodShape;
    assert.equal(b.metadata.labels.extra, undefined);
  });
});

describe('debugPodName', () => {
  it('keeps a node name that is already a DNS-1123 label', () => {
    assert.equal(debugPodName('kind-control-plane'), 'podnet-debug-kind-control-plane');
  });

  it('turns dotted or upper-case node names into a valid label with a hash, so look-alike nodes never share a name', () => {
    const dotted = debugPodName('ip-10-0-1-2.eu-west-1.compute.internal');
    const dashed = debugPodName('ip-10-0-1-2-eu-west-1-compute-internal');
    assert.match(dotted, DNS1123_LABEL);
    assert.ok(dotted.startsWith('podnet-debug-ip-10-0-1-2-eu-west-1'), dotted);
    assert.notEqual(dotted, dashed);
    assert.match(debugPodName('Node_A'), DNS1123_LABEL);
    assert.notEqual(debugPodName('Node_A'), debugPodName('node-a'));
  });

  it('truncates long node names to 63 characters, keeping names of nodes that differ only at the end apart', () => {
    const long = 'a'.repeat(70);
    const a = debugPodName(`${long}-1`);
    const b = debugPodName(`${long}-2`);
    for (const n of [a, b]) {
      assert.ok(n.length <= 63, `${n} is ${n.length} long`);
      assert.match(n, DNS1123_LABEL);
    }
    assert.notEqual(a, b);
  });

  it('is stable: the same node always gets the same name (cleanup and re-runs rely on it)', () => {
    assert.equal(debugPodName('X.y'), debugPodName('X.y'));
  });

  it('gives a valid name even when nothing of the node name survives', () => {
    assert.match(debugPodName('...'), DNS1123_LABEL);
  });
});

describe('manifestYaml', () => {
  it('prints every manifest as its own YAML document that parses back to exactly the manifest', () => {
    const ms = [node('n1'), node('n2')].map((n) => debugPodManifest(n, { image: 'img:1', namespace: 'default' }));
    const text = manifestYaml(ms);
    const docs = parseAllDocuments(text);
    assert.equal(docs.length, 2);
    assert.deepEqual(
      docs.map((d) => d.toJSON()),
      ms,
    );
    assert.match(text, /privileged: true/);
  });
});
