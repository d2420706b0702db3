import { strict as assert } from 'node:assert';
import type { KubeNode, KubePod } from '../../../../src/providers/kube/clusterTypes';
import { KubeAccessError } from '../../../../src/providers/kube/kubeAccessError';
import { ContainerNodeAccess } from '../../../../src/providers/kube/nodeAccess/containerAccess';
import { findEntry, resolveInRoot } from '../../../../src/providers/kube/nodeAccess/directEntry';
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

/** Each CNI with the direct path (nsenter from this machine, as root); ptp also through `docker exec` only. */
const RUNS = [
  { cni: 'ptp', direct: true },
  { cni: 'ptp', direct: false },
  { cni: 'bridge', direct: true },
] as const;

for (const { cni, direct } of RUNS) {
  describe(`ContainerNodeAccess on the Docker test bed of kind-shaped nodes (${cni}, ${direct ? 'entered directly with nsenter' : 'docker exec only'})`, function () {
    this.timeout(240_000);
    let engine: DockerEngine;
    let bed: Testbed;
    let access: ContainerNodeAccess;
    let hostBefore: Record<string, unknown>;
    const node = (name: string): KubeNode => kubeNodeOf(bed.nodes.find((n) => n.name === name)!);
    const pod = (name: string): KubePod => kubePodOf(bed.pods.find((p) => p.name === name)!);
    const cluster = `pn-ca-${cni}${direct ? '' : '-exec'}`;

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
      access = new ContainerNodeAccess({ runtime: 'docker', env: engine.env, direct });
      await access.prepare(bed.nodes.map((n) => n.container));
    });

    after(async () => {
      if (engine && bed) await destroyTestbed(engine, bed);
      if (hostBefore) assert.deepEqual(hostNetworkState(), hostBefore, 'the host network namespace changed');
    });

    it(direct ? 'says every node container is entered directly (same machine, root)' : 'says the containers are not entered directly, and why', () => {
      if (direct) assert.equal(access.description, 'docker exec into the node containers (kind) (entered directly with nsenter: same machine, root)');
      else assert.equal(access.description, 'docker exec into the node containers (kind) (not entered directly: turned off)');
    });

    it('reads /proc/sys/net from the namespace it runs in: forwarding is on in the node and off in a Pod', async () => {
      const onNode = await access.execNode(node(`${cluster}-worker`), ['cat', '/proc/sys/net/ipv4/ip_forward']);
      const inPod = await access.execPod(pod('a'), node(`${cluster}-worker`), ['cat', '/proc/sys/net/ipv4/ip_forward']);
      assert.equal(onNode.stdout.trim(), '1', onNode.stderr);
      assert.equal(inPod.stdout.trim(), '0', inPod.stderr);
    });

    it("sees the node's own files and PIDs (mount and PID namespaces) exactly as docker exec does", async () => {
      const argv = ['cat', '/etc/hostname', '/proc/1/comm'];
      const r = await access.execNode(node(`${cluster}-worker`), argv);
      const viaDocker = await engine.dockerOk(['exec', `${cluster}-worker`, ...argv]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, viaDocker.stdout);
      assert.match(r.stdout, new RegExp(`^${cluster}-worker\n`));
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

    if (cni === 'ptp' && direct) {
      it("finds a Pod's namespace file inside the node's root (the node's /var/run -> ../run), not under this machine's /run", async () => {
        const a = bed.pods.find((p) => p.name === 'a')!;
        const pid = (await engine.dockerOk(['inspect', '-f', '{{.State.Pid}}', a.node])).stdout.trim();
        assert.match(a.netnsPath, /^\/var\/run\/netns\//);
        assert.equal(resolveInRoot(`/proc/${pid}/root`, a.netnsPath), `/proc/${pid}/root/run/netns/${a.netnsPath.split('/').pop()}`);
      });

      it('never enters a container that answers from another kernel (a remote engine whose PID and netns inode happen to match here)', async () => {
        const container = `${cluster}-worker`;
        const real = (argv: string[]) => engine.docker(['exec', '-i', container, ...argv]);
        const otherBoot = (argv: string[]) => (argv.includes('/proc/sys/kernel/random/boot_id')
          ? Promise.resolve({ code: 0, stdout: '00000000-0000-4000-8000-000000000000\n', stderr: '', timedOut: false })
          : real(argv));
        assert.ok('pid' in (await findEntry('docker', container, engine.env, real)), 'the real container is entered directly');
        assert.deepEqual(await findEntry('docker', container, engine.env, otherBoot), { why: `${container} runs under another kernel (another machine or VM)`, lasting: true });
      });

      it('enters a paused node container directly, where docker exec refuses it (so the commands do not go through the daemon)', async () => {
        const worker = node(`${cluster}-worker`);
        const viaDocker = new ContainerNodeAccess({ runtime: 'docker', env: engine.env, direct: false });
        await engine.dockerOk(['pause', `${cluster}-worker`]);
        try {
          const r = await access.execNode(worker, ['ip', '-j', 'addr', 'show', 'dev', 'eth0']);
          assert.equal(r.code, 0, r.stderr);
          assert.ok(r.stdout.includes(worker.internalIP));
          await assert.rejects(viaDocker.execNode(worker, ['true']), (e: unknown) => e instanceof KubeAccessError && /is not running/.test(e.message));
        } finally {
          await engine.dockerOk(['unpause', `${cluster}-worker`]);
        }
      });

      it('enters the new container after a node container restarted (its init has a new PID)', async () => {
        const worker2 = node(`${cluster}-worker2`);
        const pidOf = async () => (await engine.dockerOk(['inspect', '-f', '{{.State.Pid}}', `${cluster}-worker2`])).stdout.trim();
        const before = await pidOf();
        await engine.dockerOk(['restart', '-t', '1', `${cluster}-worker2`]);
        assert.notEqual(await pidOf(), before);
        const r = await access.execNode(worker2, ['cat', '/etc/hostname']);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout.trim(), `${cluster}-worker2`);
        assert.match(access.description, /\(entered directly with nsenter: same machine, root/);
        assert.doesNotMatch(access.description, /worker2/, 'the restarted container is still entered directly');
      });
    }
  });
}
