import { strict as assert } from 'node:assert';
import type { ParsedLink } from '../../src/snapshot/parseIp';
import { adjacentNamespaces, resolvePeers, type PeerScope } from '../../src/snapshot/resolvePeers';
import type { NamespaceKind, SnapshotLink } from '../../src/snapshot/types';

function link(ifindex: number, name: string, kind: SnapshotLink['kind'], raw: { linkIndex?: number; linkNetnsid?: number; master?: string } = {}): ParsedLink {
  const l: SnapshotLink = { ifindex, name, kind, mac: '02:00:00:00:00:01', mtu: 1500, state: 'UP', up: true, ...(raw.master ? { master: raw.master } : {}) };
  return {
    link: l, ...(raw.linkIndex !== undefined ? { linkIndex: raw.linkIndex } : {}),
    ...(raw.linkNetnsid !== undefined ? { linkNetnsid: raw.linkNetnsid } : {}),
  };
}

function ns(kind: NamespaceKind, name: string, links: ParsedLink[], node?: string): PeerScope {
  return { id: kind === 'wire' ? 'wire' : `${kind}/${name}`, kind, name, node, links };
}

const lo = () => link(1, 'lo', 'loopback');

/** Two nodes built alike: each has a veth ifindex 5 -> link_index 2 to its own Pod, whose eth0 is ifindex 2 -> link_index 5. */
function twinNodes(): PeerScope[] {
  return [
    ns('wire', 'wire', [lo(), link(2, 'wire0', 'bridge'), link(3, 'wire0-p1', 'veth', { linkIndex: 2, linkNetnsid: 0, master: 'wire0' }), link(4, 'wire0-p2', 'veth', { linkIndex: 2, linkNetnsid: 1, master: 'wire0' })]),
    ns('node', 'node1', [lo(), link(2, 'eth0', 'veth', { linkIndex: 3, linkNetnsid: 0 }), link(3, 'cbr0', 'bridge'), link(5, 'vethaaa', 'veth', { linkIndex: 2, linkNetnsid: 1, master: 'cbr0' })]),
    ns('node', 'node2', [lo(), link(2, 'eth0', 'veth', { linkIndex: 4, linkNetnsid: 0 }), link(3, 'cbr0', 'bridge'), link(5, 'vethbbb', 'veth', { linkIndex: 2, linkNetnsid: 1, master: 'cbr0' })]),
    ns('pod', 'pod-a', [lo(), link(2, 'eth0', 'veth', { linkIndex: 5, linkNetnsid: 0 })], 'node1'),
    ns('pod', 'pod-c', [lo(), link(2, 'eth0', 'veth', { linkIndex: 5, linkNetnsid: 0 })], 'node2'),
  ];
}

const peerOf = (res: Map<string, SnapshotLink[]>, id: string, ifname: string) => res.get(id)!.find((l) => l.name === ifname)!;

describe('resolvePeers', () => {
  it("resolves a Pod's eth0 to its own node's veth when two nodes both have a veth ifindex 5 -> link_index 2", () => {
    const res = resolvePeers(twinNodes());
    assert.deepEqual(peerOf(res, 'pod/pod-a', 'eth0').peer, { namespace: 'node/node1', ifname: 'vethaaa' });
    assert.deepEqual(peerOf(res, 'pod/pod-c', 'eth0').peer, { namespace: 'node/node2', ifname: 'vethbbb' });
    assert.deepEqual(peerOf(res, 'node/node1', 'vethaaa').peer, { namespace: 'pod/pod-a', ifname: 'eth0' });
    assert.deepEqual(peerOf(res, 'node/node2', 'vethbbb').peer, { namespace: 'pod/pod-c', ifname: 'eth0' });
  });

  it("resolves nodes' eth0 to their wire ports and back, although both eth0 are ifindex 2", () => {
    const res = resolvePeers(twinNodes());
    assert.deepEqual(peerOf(res, 'node/node1', 'eth0').peer, { namespace: 'wire', ifname: 'wire0-p1' });
    assert.deepEqual(peerOf(res, 'node/node2', 'eth0').peer, { namespace: 'wire', ifname: 'wire0-p2' });
    assert.deepEqual(peerOf(res, 'wire', 'wire0-p1').peer, { namespace: 'node/node1', ifname: 'eth0' });
    assert.deepEqual(peerOf(res, 'wire', 'wire0-p2').peer, { namespace: 'node/node2', ifname: 'eth0' });
  });

  it('leaves peer undefined and keeps peerIfindex when no candidate matches', () => {
    const spaces = twinNodes();
    spaces[3].links[1] = link(2, 'eth0', 'veth', { linkIndex: 9, linkNetnsid: 0 });
    const eth0 = peerOf(resolvePeers(spaces), 'pod/pod-a', 'eth0');
    assert.equal(eth0.peer, undefined);
    assert.equal(eth0.peerIfindex, 9);
  });

  it('leaves an ambiguous veth unresolved when adjacency and netnsids cannot tell the candidates apart', () => {
    // Two Pods on node1 that both claim node1's ifindex 5 (cannot happen on a kernel, but must not guess).
    const spaces = twinNodes();
    spaces.push(ns('pod', 'pod-b', [lo(), link(2, 'eth0', 'veth', { linkIndex: 5, linkNetnsid: 0 })], 'node1'));
    const veth = peerOf(resolvePeers(spaces), 'node/node1', 'vethaaa');
    assert.equal(veth.peer, undefined);
    assert.equal(veth.peerIfindex, 2);
  });

  it('narrows an ambiguous candidate set with the netnsid learnt from an unambiguous veth in the same namespace', () => {
    // node1 reaches pod-a through netnsid 1 (vethaaa, unambiguous); veth6 also says netnsid 1, so only pod-a can hold its peer.
    const spaces = twinNodes();
    spaces[1].links.push(link(6, 'veth6', 'veth', { linkIndex: 7, linkNetnsid: 1, master: 'cbr0' }));
    spaces[3].links.push(link(7, 'net1', 'veth', { linkIndex: 6, linkNetnsid: 0 }));
    spaces.push(ns('pod', 'pod-b', [lo(), link(7, 'net1', 'veth', { linkIndex: 6, linkNetnsid: 0 })], 'node1'));
    const res = resolvePeers(spaces);
    assert.deepEqual(peerOf(res, 'node/node1', 'veth6').peer, { namespace: 'pod/pod-a', ifname: 'net1' });
  });

  it('resolves a veth pair inside one namespace (no link_netnsid) to the same namespace', () => {
    const res = resolvePeers([ns('node', 'n', [lo(), link(2, 'va', 'veth', { linkIndex: 3 }), link(3, 'vb', 'veth', { linkIndex: 2 })])]);
    assert.deepEqual(peerOf(res, 'node/n', 'va').peer, { namespace: 'node/n', ifname: 'vb' });
    assert.deepEqual(peerOf(res, 'node/n', 'vb').peer, { namespace: 'node/n', ifname: 'va' });
  });

  it('resolves a kind-style ptp node: veths without a master, no bridge', () => {
    const res = resolvePeers([
      ns('node', 'kind-worker', [lo(), link(2, 'eth0', 'other'), link(3, 'veth1234', 'veth', { linkIndex: 2, linkNetnsid: 1 })]),
      ns('pod', 'web', [lo(), link(2, 'eth0', 'veth', { linkIndex: 3, linkNetnsid: 0 })], 'kind-worker'),
    ]);
    assert.deepEqual(peerOf(res, 'node/kind-worker', 'veth1234'), {
      ifindex: 3, name: 'veth1234', kind: 'veth', mac: '02:00:00:00:00:01', mtu: 1500, state: 'UP', up: true, peer: { namespace: 'pod/web', ifname: 'eth0' },
    });
    assert.equal(peerOf(res, 'node/kind-worker', 'eth0').peer, undefined);
    assert.equal(peerOf(res, 'node/kind-worker', 'eth0').peerIfindex, undefined);
  });

  it('pairs Docker-style containers with their host and the host with the wire', () => {
    const spaces = [
      ns('wire', 'wire', [lo(), link(6, 'wire0-p3', 'veth', { linkIndex: 2, linkNetnsid: 2 })]),
      ns('host', 'docker', [lo(), link(2, 'eth0', 'veth', { linkIndex: 6, linkNetnsid: 0 }), link(4, 'vethc1', 'veth', { linkIndex: 2, linkNetnsid: 1 })]),
      ns('container', 'web1', [lo(), link(2, 'eth0', 'veth', { linkIndex: 4, linkNetnsid: 0 })], 'docker'),
    ];
    const res = resolvePeers(spaces);
    assert.deepEqual(peerOf(res, 'container/web1', 'eth0').peer, { namespace: 'host/docker', ifname: 'vethc1' });
    assert.deepEqual(peerOf(res, 'host/docker', 'eth0').peer, { namespace: 'wire', ifname: 'wire0-p3' });
    assert.deepEqual(adjacentNamespaces(spaces[1], spaces).map((s) => s.id), ['wire', 'container/web1']);
  });
});
