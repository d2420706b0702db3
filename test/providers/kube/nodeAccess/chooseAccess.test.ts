import { strict as assert } from 'node:assert';
import {
  type AccessFacts,
  type RuntimeProbe,
  decideAccess,
  kindContainersOf,
} from '../../../../src/providers/kube/nodeAccess/chooseAccess';

const kindNodes = (runtime: string, ...names: string[]): AccessFacts['nodes'] =>
  names.map((name) => ({ name, providerID: `kind://${runtime}/kind/${name}` }));
const probe = (runtime: RuntimeProbe['runtime'], running: string[], extra: Partial<RuntimeProbe> = {}): RuntimeProbe => ({
  runtime,
  installed: true,
  running,
  stopped: [],
  ...extra,
});

describe('decideAccess', () => {
  it('uses the node containers when every node is a running kind docker container here', () => {
    const nodes = kindNodes('docker', 'kind-control-plane', 'kind-worker');
    const d = decideAccess({ nodes, probe: probe('docker', ['kind-control-plane', 'kind-worker']), debugPods: true });
    assert.equal(d.method, 'container');
    assert.ok(d.method === 'container');
    assert.equal(d.runtime, 'docker');
    assert.deepEqual(d.containers, ['kind-control-plane', 'kind-worker']);
    assert.match(d.description, /docker exec/);
  });

  it('uses podman for kind podman nodes when podman runs them', () => {
    const nodes = kindNodes('podman', 'a', 'b');
    const d = decideAccess({ nodes, probe: probe('podman', ['a', 'b']), debugPods: false });
    assert.ok(d.method === 'container');
    assert.equal(d.runtime, 'podman');
  });

  it('refuses container access for a mix of docker and podman nodes and names both runtimes', () => {
    const nodes = [...kindNodes('docker', 'a'), ...kindNodes('podman', 'b')];
    assert.deepEqual(kindContainersOf(nodes), { why: 'the nodes are kind containers of different runtimes (docker, podman)' });
    const d = decideAccess({ nodes, debugPods: false });
    assert.equal(d.method, 'none');
    assert.match(d.description, /^API only: the nodes are kind containers of different runtimes \(docker, podman\); use --debug-pods/);
  });

  it('says API only, naming the cloud providerID, for nodes that are not containers of this machine', () => {
    const nodes = [
      { name: 'ip-10-0-1-2', providerID: 'aws:///eu-west-1a/i-0abc' },
      { name: 'ip-10-0-1-3', providerID: 'aws:///eu-west-1b/i-0def' },
    ];
    const d = decideAccess({ nodes, debugPods: false });
    assert.equal(d.method, 'none');
    assert.equal(
      d.description,
      'API only: the nodes are not containers this machine runs (providerID aws:///eu-west-1a/i-0abc); use --debug-pods for node details',
    );
  });

  it('treats one cloud node among kind nodes as not all containers', () => {
    const nodes = [...kindNodes('docker', 'a'), { name: 'gke-1', providerID: 'gce://proj/zone/gke-1' }];
    const d = decideAccess({ nodes, probe: probe('docker', ['a']), debugPods: false });
    assert.equal(d.method, 'none');
    assert.match(d.description, /providerID gce:\/\/proj\/zone\/gke-1/);
  });

  it('names the node that has no providerID at all', () => {
    const d = decideAccess({ nodes: [{ name: 'bare', providerID: '' }], debugPods: false });
    assert.match(d.description, /node bare has no providerID/);
  });

  it('falls back when the runtime CLI is not installed, and says which one to install', () => {
    const nodes = kindNodes('docker', 'kind-control-plane');
    const d = decideAccess({ nodes, probe: { runtime: 'docker', installed: false, running: [], stopped: [] }, debugPods: false });
    assert.equal(d.method, 'none');
    assert.match(d.description, /docker is not installed here/);
  });

  it('falls back when the node containers do not exist here (a kind cluster on another machine), naming the missing ones', () => {
    const nodes = kindNodes('docker', 'kind-control-plane', 'kind-worker');
    const d = decideAccess({ nodes, probe: probe('docker', ['kind-control-plane']), debugPods: false });
    assert.equal(d.method, 'none');
    assert.match(d.description, /the node containers kind-worker do not exist in this machine's docker/);
    assert.doesNotMatch(d.description, /kind-control-plane/);
  });

  it('reports the CLI\'s own failure (no daemon) instead of calling the containers missing', () => {
    const nodes = kindNodes('docker', 'n1');
    const d = decideAccess({
      nodes,
      probe: probe('docker', [], { error: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock' }),
      debugPods: false,
    });
    assert.match(d.description, /docker inspect failed here \(Cannot connect to the Docker daemon/);
  });

  it('says to start stopped node containers', () => {
    const nodes = kindNodes('docker', 'n1');
    const d = decideAccess({ nodes, probe: probe('docker', [], { stopped: ['n1'] }), debugPods: false });
    assert.equal(d.method, 'none');
    assert.match(d.description, /n1 are stopped \(start them with docker start\)/);
  });

  it('chooses debug Pods when container access is impossible and the user opted in, keeping the reason', () => {
    const nodes = [{ name: 'ip-1', providerID: 'aws:///a/i-1' }];
    const d = decideAccess({ nodes, debugPods: true });
    assert.ok(d.method === 'debugPod');
    assert.equal(d.why, 'the nodes are not containers this machine runs (providerID aws:///a/i-1)');
  });

  it('prefers containers over debug Pods even when debug Pods were allowed (nothing is created when it need not be)', () => {
    const d = decideAccess({ nodes: kindNodes('docker', 'a'), probe: probe('docker', ['a']), debugPods: true });
    assert.equal(d.method, 'container');
  });

  it('does not trust a probe of another runtime', () => {
    const d = decideAccess({ nodes: kindNodes('podman', 'a'), probe: probe('docker', ['a']), debugPods: false });
    assert.equal(d.method, 'none');
  });

  it('gives API only for a cluster that lists no nodes', () => {
    const d = decideAccess({ nodes: [], debugPods: false });
    assert.equal(d.method, 'none');
    assert.match(d.description, /lists no nodes/);
  });
});
