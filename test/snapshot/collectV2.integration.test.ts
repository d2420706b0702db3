/**
 * The collector against a real embedded lab with what version 2 added (root): Services on every node, the outside client,
 * two subnets joined by a router and Flannel-style vxlan nodes. The lab is built by the CLI; the snapshot is collected in-process.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedLab } from '../../src/providers/embedded/embeddedLab';
import { collectSnapshot } from '../../src/snapshot/collect';
import type { Snapshot } from '../../src/snapshot/types';
import { parseSnapshot, serializeSnapshot } from '../../src/snapshot/validate';
import { runCli, runCliOk, runningAsRoot } from '../support/cli';

const LAB = 'isnap2';
const TOPOLOGY = `network:
  subnets:
    - {name: a, cidr: 192.168.1.0/24}
    - {name: b, cidr: 192.168.2.0/24}
nodes:
  - {name: node1, subnet: a, cni: vxlan}
  - {name: node2, subnet: b, cni: vxlan}
pods:
  - {name: pod-a, node: node1, labels: {app: web}}
  - {name: pod-b, node: node2, labels: {app: web}}
services:
  - {name: web, selector: {app: web}, port: 80, targetPort: 8080, type: NodePort}
  - {name: empty, selector: {app: none}, port: 80}
client: {}
`;

(runningAsRoot() ? describe : describe.skip)('collectSnapshot on a lab with Services, the client, subnets, a router and vxlan nodes (root)', function () {
  this.timeout(180_000);
  let dir: string;
  let snap: Snapshot;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podnet-snap2-'));
    const file = join(dir, 'v2.yaml');
    writeFileSync(file, TOPOLOGY);
    await runCli('root', ['lab', 'down', '--lab', LAB]);
    await runCliOk('root', ['lab', 'up', '--lab', LAB, '-q', '--topology', file]);
    const lab = await EmbeddedLab.connect(LAB);
    try {
      snap = parseSnapshot(serializeSnapshot(await collectSnapshot(lab)), 'v2.json');
    } finally {
      lab.close();
    }
  });
  after(async () => {
    await runCli('root', ['lab', 'down', '--lab', LAB]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is a valid version-2 file whose namespaces end with the client and the router', () => {
    assert.equal(snap.version, 2);
    assert.deepEqual(snap.namespaces.map((n) => n.id), ['wire', 'node/node1', 'node/node2', 'pod/pod-a', 'pod/pod-b', 'client/outside', 'router/router']);
    assert.deepEqual(snap.cluster.client, { name: 'outside', ip: '192.168.1.50' });
    assert.deepEqual(snap.cluster.router, { name: 'router' });
    assert.deepEqual(snap.cluster.subnets?.map((s) => `${s.name} ${s.cidr}`), ['a 192.168.1.0/24', 'b 192.168.2.0/24']);
  });

  it('records the Services with their endpoints (sorted) and the service range, and every node\'s kube-proxy table', () => {
    assert.equal(snap.cluster.serviceCIDR, '10.96.0.0/12');
    const pods = new Map(snap.cluster.pods.map((p) => [p.name, p.ip]));
    const web = snap.cluster.services?.find((s) => s.name === 'web');
    assert.ok(web, JSON.stringify(snap.cluster.services));
    assert.equal(web.type, 'NodePort');
    assert.deepEqual(web.endpoints.map((e) => [e.pod, e.ip, e.ready]), [['pod-a', pods.get('pod-a'), true], ['pod-b', pods.get('pod-b'), true]]);
    assert.deepEqual(snap.cluster.services?.find((s) => s.name === 'empty')?.endpoints, []);
    for (const id of ['node/node1', 'node/node2']) {
      const nft = snap.namespaces.find((n) => n.id === id)!.filter.nft as { table?: { family: string; name: string } }[];
      assert.ok(nft.some((i) => i.table?.family === 'ip' && i.table.name === 'kube-proxy'), `${id} has table ip kube-proxy`);
    }
  });

  it('reads the client and router namespaces: the client\'s address on the wire, the router\'s interface per subnet with forwarding on', () => {
    const client = snap.namespaces.find((n) => n.id === 'client/outside')!;
    assert.ok(client.addresses.some((a) => a.address === '192.168.1.50'));
    const router = snap.namespaces.find((n) => n.id === 'router/router')!;
    assert.equal(router.forwarding, true);
    assert.deepEqual(router.addresses.filter((a) => a.family === 'inet' && a.address !== '127.0.0.1').map((a) => a.address).sort(), ['192.168.1.1', '192.168.2.1']);
    const flannel = snap.namespaces.find((n) => n.id === 'node/node1')!.links.find((l) => l.name === 'flannel.1');
    assert.ok(flannel, 'node1 has flannel.1');
    assert.equal(flannel.mtu, 1450);
  });
});
