import { strict as assert } from 'node:assert';
import type { KubeNode, KubePod } from '../../../../src/providers/kube/clusterTypes';
import { KubeAccessError } from '../../../../src/providers/kube/kubeAccessError';
import { ContainerNodeAccess } from '../../../../src/providers/kube/nodeAccess/containerAccess';
import { type DockerEngine, dockerEngineForTest } from '../../../support/docker/engine';
import { hostNetworkState } from '../../../support/hostState';
import { addTestbedPods, createTestbed, destroyTestbed, removeTestbedPod, type Testbed } from '../../../support/testbed/testbed';
import { kubeNodeOf, kubePodOf } from './containerTestbed';

interface IpLink {
  ifindex: number;
  ifname: string;
  link_index?: number;
  master?: string;
  addr_info?: { local: string }[];
  linkinfo?: { info_kind?: string };
}

for (const cni of ['ptp', 'bridge'] as const) {
  describe(`ContainerNodeAccess on the Docker test bed of kind-shaped nodes (${cni})`, function () {
    this.timeout(240_000);
    let engine: DockerEngine;
    let bed: Testbed;
    let access: ContainerNodeAccess;
    let hostBefore: Record<string, unknown>;
    const node = (name: string): KubeNode => kubeNodeOf(bed.nodes.find((n) => n.name === name)!);
    const pod = (name: string): KubePod => kubePodOf(bed.pods.find((p) => p.name === name)!);
    const cluster = `pn-ca-${cni}`;

    before(async function () {
      engine = await dockerEngineForTest(this);
      hostBefore = hostNetworkState();
      await destroyTestbed(engine, cluster); // left over by an interrupted run
      bed = await createTestbed(engine, {
        cluster,
        workers: 2,
        cni,
        pods: [
          { namespace: 'default', name: 'a', node: `${cluster}-worker` },
          { namespace: 'default', name: 'b', node: `${cluster}-worker2` },
          { namespace: 'default', name: 'c', node: `${cluster}-worker` },
          { namespace: 'kube-system', name: 'proxy', node: `${cluster}-worker`, hostNetwork: true, containers: [{ name: 'proxy', port: 10256 }] },
        ],
      });
      access = new ContainerNodeAccess({ runtime: 'docker', env: engine.env });
    });

    after(async () => {
      if (engine && bed) await destroyTestbed(engine, bed);
      if (hostBefore) assert.deepEqual(hostNetworkState(), hostBefore, 'the host network namespace changed');
    });

    it('execNode runs ip -j addr in the node container and sees its address on the kind network', async () => {
      const r = await access.execNode(node(`${cluster}-worker`), ['ip', '-j', 'addr', 'show', 'dev', 'eth0']);
      assert.equal(r.code, 0, r.stderr);
      const addrs = (JSON.parse(r.stdout) as IpLink[]).flatMap((l) => (l.addr_info ?? []).map((a) => a.local));
      assert.ok(addrs.includes(node(`${cluster}-worker`).internalIP), `${addrs} lacks the node IP`);
    });

    it("execPod runs in the Pod's own namespace: eth0 holds the Pod IP and the node's address is absent", async () => {
      const r = await access.execPod(pod('a'), node(`${cluster}-worker`), ['ip', '-j', '-4', 'addr', 'show']);
      assert.equal(r.code, 0, r.stderr);
      const links = JSON.parse(r.stdout) as IpLink[];
      const eth0 = links.find((l) => l.ifname === 'eth0');
      assert.deepEqual((eth0?.addr_info ?? []).map((a) => a.local), [pod('a').podIPs[0]]);
      assert.ok(!r.stdout.includes(node(`${cluster}-worker`).internalIP));
    });

    it(`the Pod's eth0 peer is a veth on its node${cni === 'bridge' ? ' enslaved to cbr0' : ' with a /32 route to the Pod IP'}`, async () => {
      const inPod = await access.execPod(pod('a'), node(`${cluster}-worker`), ['ip', '-j', 'link', 'show', 'dev', 'eth0']);
      const peerIndex = (JSON.parse(inPod.stdout) as IpLink[])[0].link_index;
      const onNode = await access.execNode(node(`${cluster}-worker`), ['ip', '-j', '-d', 'link', 'show']);
      const veth = (JSON.parse(onNode.stdout) as IpLink[]).find((l) => l.ifindex === peerIndex);
      assert.equal(veth?.linkinfo?.info_kind, 'veth', `node link ${peerIndex} is not a veth`);
      if (cni === 'bridge') assert.equal(veth?.master, 'cbr0');
      else {
        const route = await access.execNode(node(`${cluster}-worker`), ['ip', '-j', 'route', 'show', `${pod('a').podIPs[0]}/32`]);
        assert.equal((JSON.parse(route.stdout) as { dev: string }[])[0]?.dev, veth?.ifname);
      }
    });

    it("passes input to the command's stdin, on the node and in a Pod", async () => {
      const n = await access.execNode(node(`${cluster}-worker`), ['cat'], { input: 'to the node\n' });
      const p = await access.execPod(pod('b'), node(`${cluster}-worker2`), ['wc', '-c'], { input: 'twelve chars' });
      assert.equal(n.stdout, 'to the node\n');
      assert.equal(p.stdout.trim(), '12');
    });

    it("runs a hostNetwork Pod's commands in its node's namespace", async () => {
      const r = await access.execPod(pod('proxy'), node(`${cluster}-worker`), ['ip', '-j', 'addr', 'show', 'dev', 'eth0']);
      assert.ok(r.stdout.includes(node(`${cluster}-worker`).internalIP));
    });

    it("a Pod reaches a Pod on another node across the Docker bridge, and the server sees the sender's own Pod IP (no NAT)", async () => {
      const [a, b] = [pod('a'), pod('b')];
      const ping = await access.execPod(a, node(a.node), ['ping', '-c', '1', '-W', '5', b.podIPs[0]]);
      assert.equal(ping.code, 0, ping.stdout + ping.stderr);
      const seen = await access.execPod(a, node(a.node), ['wget', '-qO-', `http://${b.podIPs[0]}:8080/cgi-bin/clientip`]);
      assert.equal(seen.stdout.trim().split(':')[0], a.podIPs[0]);
      const who = await access.execPod(a, node(a.node), ['wget', '-qO-', `http://${b.podIPs[0]}:8080/cgi-bin/hostname`]);
      assert.equal(who.stdout.trim(), 'default/b');
    });

    it('finds a re-created sandbox again when the cached namespace path has gone', async () => {
      const before = pod('c');
      await access.execPod(before, node(before.node), ['true']); // caches the path
      await removeTestbedPod(engine, bed, before);
      const [again] = await addTestbedPods(engine, bed, [{ namespace: 'default', name: 'c', node: before.node }]);
      const stale = { ...before, podIPs: [again.ip] }; // same uid, as if only the sandbox was re-created
      const r = await access.execPod(stale, node(before.node), ['ip', '-j', 'addr', 'show', 'dev', 'eth0']);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stdout.includes(again.ip));
    });

    it('says in one sentence when no namespace on the node holds the Pod IP', async () => {
      const ghost = { ...pod('a'), uid: 'ghost', podIPs: ['10.244.200.200'] };
      await assert.rejects(access.execPod(ghost, node(ghost.node), ['true']), (e: unknown) => {
        assert.ok(e instanceof KubeAccessError);
        assert.match(e.message, /^Could not find the network namespace of Pod default\/a on node .*10\.244\.200\.200.*try again\.$/);
        return true;
      });
    });

    if (cni === 'ptp') {
      it('reports a missing node container, an unreachable daemon and a missing docker CLI each as one sentence', async () => {
        const ghostNode = { ...node(`${cluster}-worker`), name: 'gone', providerID: `kind://docker/${cluster}/${cluster}-gone` };
        await assert.rejects(access.execNode(ghostNode, ['true']), (e: unknown) => {
          assert.ok(e instanceof KubeAccessError && e.code === 'NOT_FOUND');
          assert.match(e.message, new RegExp(`^Node container ${cluster}-gone does not exist in docker here`));
          return true;
        });
        const away = new ContainerNodeAccess({ runtime: 'docker', env: { ...engine.env, DOCKER_HOST: 'unix:///run/podnet-no-such-docker.sock' } });
        await assert.rejects(away.execNode(node(`${cluster}-worker`), ['true']), (e: unknown) => {
          assert.ok(e instanceof KubeAccessError && e.code === 'UNREACHABLE');
          assert.equal(e.message, 'Cannot reach the docker daemon (DOCKER_HOST=unix:///run/podnet-no-such-docker.sock): is it running?');
          return true;
        });
        const noCli = new ContainerNodeAccess({ runtime: 'docker', env: { ...engine.env, PATH: '/nonexistent' } });
        await assert.rejects(noCli.execNode(node(`${cluster}-worker`), ['true']), (e: unknown) => {
          assert.ok(e instanceof KubeAccessError && e.code === 'TOOL_MISSING');
          assert.match(e.message, /^docker is not installed here/);
          return true;
        });
      });

    }
  });
}
