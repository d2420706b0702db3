import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NamespaceSnapshot, Snapshot } from '../../src/snapshot/types';
import { parseSnapshot, serializeSnapshot, SnapshotFormatError } from '../../src/snapshot/validate';

const FIXTURES = join(__dirname, '../fixtures');
const article = (): Snapshot => JSON.parse(readFileSync(join(FIXTURES, 'snapshots/article.json'), 'utf8')) as Snapshot;

/** A namespace with only a loopback, for the client and the router. */
function bareNamespace(kind: 'client' | 'router', name: string): NamespaceSnapshot {
  return {
    id: `${kind}/${name}`, kind, name, forwarding: kind === 'router',
    links: [{ ifindex: 1, name: 'lo', kind: 'loopback', mac: '00:00:00:00:00:00', mtu: 65536, state: 'UNKNOWN', up: true }],
    addresses: [], routes: [], rules: [], neighbors: [], fdb: [], filter: { tool: 'none' },
  };
}

/** The article snapshot grown into a version-2 one: a Service, the outside client, subnets and a router, a VXLAN device. */
function v2(): Snapshot {
  const s = article();
  s.version = 2;
  s.cluster.serviceCIDR = '10.96.0.0/12';
  s.cluster.services = [{
    name: 'web', type: 'NodePort', clusterIP: '10.96.0.100', externalTrafficPolicy: 'Cluster',
    ports: [{ protocol: 'tcp', port: 80, targetPort: 8080, nodePort: 30080 }],
    endpoints: [
      { ip: '10.244.1.2', pod: 'pod-a', node: 'node1', ready: true, ports: [{ protocol: 'tcp', port: 8080 }] },
      { ip: '10.244.2.2', pod: 'pod-c', node: 'node2', ready: false, ports: [{ protocol: 'tcp', port: 8080 }] },
    ],
  }];
  s.cluster.client = { name: 'outside', ip: '192.168.1.50' };
  s.cluster.subnets = [{ name: 'rack1', cidr: '192.168.1.0/24', routerIP: '192.168.1.1' }];
  s.cluster.router = { name: 'router' };
  s.namespaces.push(bareNamespace('client', 'outside'), bareNamespace('router', 'router'));
  const node1 = s.namespaces.find((n) => n.id === 'node/node1')!;
  node1.links.push({ ifindex: 99, name: 'flannel.1', kind: 'vxlan', mac: '0a:00:00:00:00:01', mtu: 1450, state: 'UNKNOWN', up: true, vxlan: { id: 1, port: 8472, local: '192.168.1.100', dev: 'eth0', learning: false } });
  node1.fdb.push({ mac: '0a:00:00:00:00:02', dev: 'flannel.1', state: 'permanent', dst: '192.168.1.101' });
  return s;
}

function errorOf(s: unknown): string {
  try {
    parseSnapshot(JSON.stringify(s, null, 2), 'snap.json');
  } catch (e) {
    assert.ok(e instanceof SnapshotFormatError, `expected a SnapshotFormatError, got ${String(e)}`);
    return e.message;
  }
  assert.fail('the snapshot parsed');
}

describe('snapshot version 2', () => {
  it('still reads every recorded version-1 file, unchanged byte for byte when written back', () => {
    const files = [
      ...readdirSync(join(FIXTURES, 'snapshots')).filter((f) => f.endsWith('.json')).map((f) => join(FIXTURES, 'snapshots', f)),
      ...readdirSync(join(FIXTURES, 'traces')).filter((f) => f.endsWith('.snapshot.json')).map((f) => join(FIXTURES, 'traces', f)),
    ];
    const v1 = files.filter((f) => (JSON.parse(readFileSync(f, 'utf8')) as Snapshot).version === 1);
    assert.ok(v1.length >= 5, `version-1 fixtures: ${v1.join(', ')}`);
    for (const f of v1) {
      const text = readFileSync(f, 'utf8');
      assert.equal(serializeSnapshot(parseSnapshot(text, f)), text, f);
    }
  });

  it('reads the version-2 file recorded from a real lab with Services, the client, subnets, a router and vxlan nodes, byte for byte', () => {
    const file = join(FIXTURES, 'snapshots/services-overlay.json');
    const text = readFileSync(file, 'utf8');
    const s = parseSnapshot(text, file);
    assert.equal(s.version, 2);
    assert.equal(serializeSnapshot(s), text);
    assert.deepEqual(s.cluster.services?.map((v) => `${v.name} ${v.clusterIP} ${v.endpoints.length}`), ['empty 10.96.0.102 0', 'web 10.96.0.100 2', 'web-local 10.96.0.101 1']);
    const node1 = s.namespaces.find((n) => n.id === 'node/node1')!;
    assert.deepEqual(node1.links.find((l) => l.name === 'flannel.1')?.vxlan, { id: 1, port: 8472, local: '192.168.1.100', dev: 'eth0', learning: false });
    assert.ok(node1.fdb.some((e) => e.dev === 'flannel.1' && e.dst === '192.168.2.100'));
  });

  it('reads Services, the client, subnets, the router and VXLAN details, and writes them back in format order', () => {
    const s = v2();
    const text = serializeSnapshot(s);
    const back = parseSnapshot(text, 'v2.json');
    assert.deepEqual(back.cluster.services, s.cluster.services);
    assert.deepEqual(Object.keys(JSON.parse(text).cluster), ['network', 'subnets', 'router', 'clusterCIDR', 'serviceCIDR', 'nodes', 'pods', 'services', 'client']);
    assert.deepEqual(back.namespaces.slice(-2).map((n) => n.id), ['client/outside', 'router/router']);
    assert.equal(serializeSnapshot(back), text);
    const svc = JSON.parse(text).cluster.services[0];
    assert.deepEqual(Object.keys(svc), ['name', 'type', 'clusterIP', 'ports', 'externalTrafficPolicy', 'endpoints']);
  });

  it('accepts a named targetPort and a Service without a ClusterIP (headless), as clusters have them', () => {
    const s = v2();
    s.cluster.services!.push({ name: 'db', namespace: 'data', type: 'ClusterIP', clusterIP: 'None', externalTrafficPolicy: 'Cluster', ports: [{ name: 'sql', protocol: 'tcp', port: 5432, targetPort: 'sql' }], endpoints: [] });
    assert.equal(parseSnapshot(serializeSnapshot(s)).cluster.services?.[1].ports[0].targetPort, 'sql');
  });

  it('refuses version-2 fields in a file that says version 1, naming the first one', () => {
    const s = v2();
    s.version = 1;
    assert.equal(errorOf(s), 'snap.json: $.cluster.serviceCIDR: this is new in snapshot version 2, but the file says version 1: set "version": 2 or remove it');
    const t = article();
    t.namespaces[1].fdb.push({ mac: '0a:00:00:00:00:02', dev: 'flannel.1', dst: '192.168.1.101' });
    assert.match(errorOf(t), /^snap\.json: \$\.namespaces\[1\]\.fdb\[\d+\]\.dst: this is new in snapshot version 2/);
  });

  it('names the path of a bad Service field: clusterIP, targetPort, port range, protocol, duplicate', () => {
    const cases: [(s: Snapshot) => void, RegExp][] = [
      [(s) => { s.cluster.services![0].clusterIP = '10.96.0.300'; }, /\$\.cluster\.services\[0\]\.clusterIP: invalid IPv4 address '10\.96\.0\.300'.*or "" \/ "None"/],
      [(s) => { (s.cluster.services![0].ports[0] as { targetPort: unknown }).targetPort = 0; }, /\$\.cluster\.services\[0\]\.ports\[0\]\.targetPort: expected a port 1-65535 or a container port name, got 0/],
      [(s) => { s.cluster.services![0].ports[0].nodePort = 70000; }, /\$\.cluster\.services\[0\]\.ports\[0\]\.nodePort: expected at most 65535, got 70000/],
      [(s) => { (s.cluster.services![0].ports[0] as { protocol: string }).protocol = 'sctp'; }, /\$\.cluster\.services\[0\]\.ports\[0\]\.protocol: expected one of "tcp", "udp", got "sctp"/],
      [(s) => { s.cluster.services!.push({ ...s.cluster.services![0] }); }, /\$\.cluster\.services\[1\]\.name: duplicate Service "web" \(also \$\.cluster\.services\[0\]\)/],
      [(s) => { s.cluster.services![0].endpoints[1].ip = 'pod-c'; }, /\$\.cluster\.services\[0\]\.endpoints\[1\]\.ip: invalid IPv4 address 'pod-c'/],
      [(s) => { s.cluster.serviceCIDR = '10.96.0.1/12'; }, /\$\.cluster\.serviceCIDR: invalid CIDR '10\.96\.0\.1\/12': host bits are set; use 10\.96\.0\.0\/12/],
      [(s) => { s.cluster.subnets!.push({ ...s.cluster.subnets![0], cidr: '192.168.2.0/24' }); }, /\$\.cluster\.subnets\[1\]\.name: duplicate subnet "rack1"/],
    ];
    for (const [spoil, expected] of cases) {
      const s = v2();
      spoil(s);
      assert.match(errorOf(s), expected);
    }
  });

  it('needs the client and router namespaces the cluster facts name, and a VNI in range', () => {
    const s = v2();
    s.namespaces = s.namespaces.filter((n) => n.kind !== 'client');
    assert.equal(errorOf(s), 'snap.json: $.cluster.client: client "outside" has no namespace "client/outside" in this snapshot');
    const t = v2();
    t.namespaces = t.namespaces.filter((n) => n.kind !== 'router');
    assert.equal(errorOf(t), 'snap.json: $.cluster.router: router "router" has no namespace "router/router" in this snapshot');
    const u = v2();
    u.namespaces.find((n) => n.id === 'node/node1')!.links.at(-1)!.vxlan!.id = 1 << 24;
    assert.match(errorOf(u), /\.vxlan\.id: expected at most 16777215, got 16777216/);
  });
});
