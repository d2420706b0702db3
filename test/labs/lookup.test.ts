import { strict as assert } from 'node:assert';
import { findNode, findPod, nodeLabel, podLabel } from '../../src/labs/lookup';

const pods = (...names: string[]) => names.map((name) => ({ name }));

describe('lab lookup: the names a pack uses find Pods and nodes on the embedded lab and on a cluster', () => {
  it('finds an embedded Pod by its name, and a cluster Pod by its bare name in default', () => {
    assert.equal(findPod({ pods: pods('pod-a', 'pod-b') }, 'pod-b')?.name, 'pod-b');
    assert.equal(findPod({ pods: pods('default/pod-a', 'kube-system/pod-a') }, 'pod-a')?.name, 'default/pod-a');
    assert.equal(findPod({ pods: pods('default/pod-a') }, 'default/pod-a')?.name, 'default/pod-a');
  });

  it('finds the one Pod of a bare name outside default, and none when several namespaces have one', () => {
    assert.equal(findPod({ pods: pods('shop/cart') }, 'cart')?.name, 'shop/cart');
    assert.equal(findPod({ pods: pods('shop/cart', 'dev/cart') }, 'cart'), undefined);
    assert.equal(findPod({ pods: pods('shop/cart') }, 'other/cart'), undefined);
    assert.equal(findPod({ pods: pods('default/pod-ab') }, 'pod-a'), undefined, 'no prefix matching');
  });

  it('finds a node by its name or by its alias (the topology node of a kind worker), the name first', () => {
    const nodes = [{ name: 'pn-worker', aliases: ['node1'] }, { name: 'pn-worker2', aliases: ['node2'] }, { name: 'node2' }];
    assert.equal(findNode({ nodes }, 'node1')?.name, 'pn-worker');
    assert.equal(findNode({ nodes }, 'pn-worker2')?.name, 'pn-worker2');
    assert.equal(findNode({ nodes }, 'node2')?.name, 'node2', 'a node really called node2 wins over an alias');
    assert.equal(findNode({ nodes }, 'node3'), undefined);
  });

  it('names Pods and nodes in messages the way the pack does', () => {
    assert.equal(podLabel({ name: 'default/pod-a' }), 'pod-a');
    assert.equal(podLabel({ name: 'shop/cart' }), 'shop/cart');
    assert.equal(nodeLabel({ name: 'pn-worker', aliases: ['node1'] }), 'node1');
    assert.equal(nodeLabel({ name: 'node1' }), 'node1');
  });
});
