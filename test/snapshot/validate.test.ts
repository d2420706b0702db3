import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSyntaxProblem } from '../../src/snapshot/jsonPosition';
import type { Snapshot } from '../../src/snapshot/types';
import { parseSnapshot, serializeSnapshot, SnapshotFormatError } from '../../src/snapshot/validate';

const FIXTURES = join(__dirname, '../fixtures/snapshots');
const articleText = readFileSync(join(FIXTURES, 'article.json'), 'utf8');
const article = (): Snapshot => JSON.parse(articleText) as Snapshot;

/** Parses `s` (re-serialised as plain JSON) and returns the error message, failing if it parses. */
function errorOf(s: unknown, file = 'snap.json'): string {
  try {
    parseSnapshot(typeof s === 'string' ? s : JSON.stringify(s, null, 2), file);
  } catch (e) {
    assert.ok(e instanceof SnapshotFormatError, `expected a SnapshotFormatError, got ${String(e)}`);
    return e.message;
  }
  assert.fail('the snapshot parsed');
}

describe('snapshot validation', () => {
  it('parses the article fixture recorded from the real lab', () => {
    const s = parseSnapshot(articleText, 'article.json');
    assert.deepEqual(s.namespaces.map((n) => n.id), ['wire', 'node/node1', 'node/node2', 'pod/pod-a', 'pod/pod-b', 'pod/pod-c']);
  });

  it('serialize(parse(x)) gives back the recorded file byte for byte, and is stable', () => {
    for (const f of ['article.json', 'three-nodes.json']) {
      const text = readFileSync(join(FIXTURES, f), 'utf8');
      const once = serializeSnapshot(parseSnapshot(text, f));
      assert.equal(once, text, f);
      assert.equal(serializeSnapshot(parseSnapshot(once)), once);
      assert.ok(once.endsWith('}\n'));
    }
  });

  it('writes keys in format order whatever order the object was built in', () => {
    const s = article();
    const link = s.namespaces[1].links[1];
    const shuffled = Object.fromEntries(Object.entries(link).reverse()) as typeof link;
    s.namespaces[1].links[1] = shuffled;
    assert.equal(serializeSnapshot(s), articleText);
  });

  it('names the JSON path of a wrong type deep inside', () => {
    const s = article() as unknown as { namespaces: { links: Record<string, unknown>[] }[] };
    s.namespaces[2].links[0].ifindex = 'x';
    assert.equal(errorOf(s), 'snap.json: $.namespaces[2].links[0].ifindex: expected a number, got "x"');
  });

  it('names the JSON path of a missing required field', () => {
    const s = article() as unknown as { namespaces: { routes: Record<string, unknown>[] }[] };
    delete s.namespaces[1].routes[0].dst;
    assert.equal(errorOf(s), 'snap.json: $.namespaces[1].routes[0].dst: required field is missing');
  });

  it('rejects an unknown field (a typo is not silently ignored)', () => {
    const s = article() as unknown as { namespaces: { links: Record<string, unknown>[] }[] };
    s.namespaces[0].links[0].ifIndex = 1;
    assert.match(errorOf(s), /^snap\.json: \$\.namespaces\[0\]\.links\[0\]\.ifIndex: unknown field \(expected one of ifindex, name, /);
  });

  it('rejects unknown fields named like Object.prototype members (constructor, toString, __proto__)', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      // Written as text: JSON.parse makes "__proto__" an own key, as it would be in a file.
      const text = articleText.replace('"ifname":', `"${name}": {}, "ifname":`);
      assert.notEqual(text, articleText);
      assert.match(errorOf(text), new RegExp(`^snap\\.json: \\$\\.namespaces\\[0\\]\\.links\\[2\\]\\.peer\\.${name}: unknown field \\(expected one of namespace, ifname\\)$`), errorOf(text));
    }
  });

  it('rejects a value outside an enum, a fractional integer and a wrong array item', () => {
    const a = article() as unknown as { namespaces: { kind: string }[] };
    a.namespaces[3].kind = 'vm';
    assert.match(errorOf(a), /\$\.namespaces\[3\]\.kind: expected one of "wire", "node", "pod", "host", "container", "client", "router", got "vm"/);
    const b = article() as unknown as { namespaces: { links: { mtu: number }[] }[] };
    b.namespaces[1].links[0].mtu = 1500.5;
    assert.match(errorOf(b), /\$\.namespaces\[1\]\.links\[0\]\.mtu: expected an integer, got 1500\.5/);
    const c = article() as unknown as { cluster: { pods: { containers: { ports: unknown[] }[] }[] } };
    c.cluster.pods[0].containers[0].ports = ['8080'];
    assert.match(errorOf(c), /\$\.cluster\.pods\[0\]\.containers\[0\]\.ports\[0\]: expected a number, got "8080"/);
  });

  it('rejects a file that is not a PodNet Lab snapshot by its format', () => {
    assert.match(errorOf({ ...article(), format: 'kubectl-dump' }), /^snap\.json: \$\.format: expected "podnet-snapshot", got "kubectl-dump"/);
    assert.match(errorOf({ nodes: [] }), /\$\.format: expected "podnet-snapshot", got nothing/);
    assert.match(errorOf('[1, 2]'), /snap\.json: \$: expected a snapshot object, got an array/);
  });

  it('asks to update PodNet Lab for a newer version, before looking at the structure', () => {
    assert.equal(errorOf({ format: 'podnet-snapshot', version: 3, somethingNew: true }),
      'snap.json: $.version: this snapshot is version 3, this PodNet Lab reads up to version 2: update PodNet Lab');
  });

  it('reports bad JSON with line and column', () => {
    const text = articleText.replace('"version": 1,', '"version": 1,,');
    const line = articleText.split('\n').findIndex((l) => l.includes('"version"')) + 1;
    assert.equal(errorOf(text), `snap.json:${line}:16: invalid JSON: unexpected ","`);
    assert.equal(errorOf('{"format": "podnet-snapshot",\n  "version": 1'), 'snap.json:2:15: invalid JSON: unexpected end of input');
    assert.equal(errorOf('{"a":\n tru}'), 'snap.json:2:2: invalid JSON: unexpected "t"');
  });

  it('locates JSON syntax problems the same way JSON.parse decides validity', () => {
    for (const good of ['{}', '[]', '0', '-1.5e+3', '"a\\u00e9\\n"', ' {"a": [true, false, null, {"b": ""}]} ']) {
      assert.equal(jsonSyntaxProblem(good), undefined, good);
    }
    for (const bad of ['', '{', '[1,]', '01', '"\\x"', '"a\nb"', '{"a" 1}', 'nul', '[1] 2', '{a: 1}']) {
      assert.ok(jsonSyntaxProblem(bad), bad);
      assert.throws(() => JSON.parse(bad), SyntaxError, bad);
    }
  });

  it('rejects a veth peer in a namespace the snapshot does not have', () => {
    const s = article();
    s.namespaces[3].links[1].peer = { namespace: 'node/node9', ifname: 'veth0' };
    assert.equal(errorOf(s), 'snap.json: $.namespaces[3].links[1].peer.namespace: no namespace "node/node9" in this snapshot');
    const t = article();
    t.namespaces[3].links[1].peer = { namespace: 'node/node1', ifname: 'nosuch0' };
    assert.equal(errorOf(t), 'snap.json: $.namespaces[3].links[1].peer.ifname: namespace "node/node1" has no link "nosuch0"');
  });

  it('rejects a Pod or node of the cluster facts without a namespace, and ids that do not match kind and name', () => {
    const s = article();
    s.cluster.pods.push({ name: 'pod-z', node: 'node1', ip: '10.244.1.99', containers: [] });
    assert.equal(errorOf(s), 'snap.json: $.cluster.pods[3]: pod "pod-z" has no namespace "pod/pod-z" in this snapshot');
    const t = article();
    t.namespaces[1].id = 'node/nodeX';
    assert.match(errorOf(t), /\$\.namespaces\[1\]\.id: expected "node\/node1" for a node named "node1", got "node\/nodeX"/);
    const u = article();
    u.namespaces.push(u.namespaces[5]);
    assert.equal(errorOf(u), 'snap.json: $.namespaces[6].id: duplicate namespace id "pod/pod-c"');
  });

  it('accepts a kind-style ptp node: links without a master, /32 routes per Pod, no bridge, no fdb', () => {
    const s = article();
    const node = s.namespaces[1];
    node.links = node.links.filter((l) => l.kind !== 'bridge').map(({ master: _m, ...l }) => l);
    node.fdb = [];
    node.routes = [{ table: 'main', type: 'unicast', dst: '10.244.1.2/32', dev: 'veth1234', scope: 'host' }];
    const back = parseSnapshot(serializeSnapshot(s));
    assert.deepEqual(back.namespaces[1].routes, node.routes);
    assert.equal(back.namespaces[1].links.some((l) => l.master), false);
  });
});
