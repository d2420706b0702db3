/** The embedded lab against the real kernel, as root and as an unprivileged user. */
import { strict as assert } from 'node:assert';
import { readdirSync, readlinkSync } from 'node:fs';
import { cidrContains } from '../../../src/model/cidr';
import type { LabStatus, PodInfo } from '../../../src/providers/embedded/control/protocol';
import { type Mode, runCli, runCliOk, runtimeDirFor, testableModes } from '../../support/cli';
import { eventually, hostNetworkState, processesInNamespace } from '../../support/hostState';

async function status(mode: Mode, lab: string): Promise<LabStatus> {
  return JSON.parse((await runCliOk(mode, ['lab', 'status', '--lab', lab, '-o', 'json'])).stdout) as LabStatus;
}

async function execJson<T>(mode: Mode, lab: string, target: string[], argv: string[]): Promise<T> {
  return JSON.parse((await runCliOk(mode, ['exec', '--lab', lab, ...target, '--', ...argv])).stdout) as T;
}

async function eth0Addresses(mode: Mode, lab: string, pod: string, container?: string): Promise<string[]> {
  const links = await execJson<{ addr_info: { local: string }[] }[]>(mode, lab, [pod, ...(container ? ['-c', container] : [])], ['ip', '-j', '-4', 'addr', 'show', 'dev', 'eth0']);
  return links.flatMap((l) => l.addr_info.map((a) => a.local));
}

for (const mode of testableModes()) {
  describe(`embedded lab (${mode})`, function () {
    this.timeout(120_000);
    const lab = `itest-${mode === 'root' ? 'root' : 'user'}`;
    let hostBefore: Record<string, unknown>;
    let st: LabStatus;
    const pod = (name: string): PodInfo => {
      const p = st.pods.find((x) => x.name === name);
      assert.ok(p, `pod ${name} missing from ${st.pods.map((x) => x.name).join(',')}`);
      return p;
    };

    before(async () => {
      await runCli(mode, ['lab', 'down', '--lab', lab]); // a previous aborted run
      hostBefore = hostNetworkState();
      const up = await runCli(mode, ['lab', 'up', '--lab', lab, '-q']);
      assert.equal(up.code, 0, up.stderr);
      st = await status(mode, lab);
    });

    after(async () => {
      await runCli(mode, ['lab', 'down', '--lab', lab]);
    });

    it(`runs ${mode === 'root' ? 'without' : 'inside'} a user namespace`, () => {
      assert.equal(st.rootless, mode === 'unprivileged');
    });

    it("gives every Pod one unique IP inside its node's Pod CIDR, as the kernel reports it", async () => {
      assert.deepEqual(st.pods.map((p) => p.name), ['pod-a', 'pod-b', 'pod-c']);
      const seen = new Set<string>();
      for (const p of st.pods) {
        const addrs = await eth0Addresses(mode, lab, p.name);
        assert.deepEqual(addrs, [p.ip]);
        const node = st.nodes.find((n) => n.name === p.node)!;
        assert.ok(cidrContains(node.podCIDR, p.ip), `${p.ip} not in ${node.podCIDR}`);
        assert.ok(!seen.has(p.ip), `${p.ip} used twice`);
        seen.add(p.ip);
      }
    });

    it('reaches a Pod on the same node and a Pod on another node', async () => {
      for (const target of ['pod-b', 'pod-c']) {
        const res = await runCli(mode, ['exec', '--lab', lab, 'pod-a', '--', 'busybox', 'ping', '-c', '1', '-W', '2', pod(target).ip]);
        assert.equal(res.code, 0, `ping ${target}: ${res.stdout}${res.stderr}`);
        assert.match(res.stdout, /1 packets received/);
      }
    });

    it("delivers cross-node traffic with the sender's own Pod IP as source (no NAT)", async () => {
      const answer = await execJson<{ pod: string; sawSource: string }>(mode, lab, ['pod-a'], ['busybox', 'wget', '-q', '-O', '-', `http://${pod('pod-c').ip}:8080/`]);
      assert.equal(answer.pod, 'pod-c');
      assert.equal(answer.sawSource, pod('pod-a').ip);
    });

    it('puts the containers of one Pod in one network namespace that talks over localhost', async () => {
      const ns = async (c: string) => (await runCliOk(mode, ['exec', '--lab', lab, 'pod-a', '-c', c, '--', 'readlink', '/proc/self/ns/net'])).stdout.trim();
      const [webNs, sidecarNs, otherPodNs] = [await ns('web'), await ns('sidecar'), (await runCliOk(mode, ['exec', '--lab', lab, 'pod-b', '--', 'readlink', '/proc/self/ns/net'])).stdout.trim()];
      assert.match(webNs, /^net:\[\d+\]$/);
      assert.equal(webNs, sidecarNs);
      assert.notEqual(webNs, otherPodNs);
      assert.deepEqual(await eth0Addresses(mode, lab, 'pod-a', 'sidecar'), [pod('pod-a').ip]);
      const answer = await execJson<{ container: string; sawSource: string }>(mode, lab, ['pod-a', '-c', 'sidecar'], ['busybox', 'wget', '-q', '-O', '-', 'http://127.0.0.1:8080/']);
      assert.equal(answer.container, 'web');
      assert.equal(answer.sawSource, '127.0.0.1');
    });

    it('gives a re-created Pod a new IP and releases the old one', async () => {
      const old = pod('pod-b').ip;
      await runCliOk(mode, ['pod', 'delete', 'pod-b', '--lab', lab]);
      const gone = await runCli(mode, ['exec', '--lab', lab, 'pod-b', '--', 'true']);
      assert.equal(gone.code, 1);
      assert.match(gone.stderr, /pod "pod-b" not found/);
      await runCliOk(mode, ['pod', 'create', 'pod-b', '--node', 'node1', '--lab', lab]);
      st = await status(mode, lab);
      assert.notEqual(pod('pod-b').ip, old);
      assert.deepEqual(await eth0Addresses(mode, lab, 'pod-b'), [pod('pod-b').ip]);
    });

    it('starts a Pod whose sleep container only declares a port, beside a web container', async () => {
      await runCliOk(mode, ['pod', 'create', 'duo', '--node', 'node2', '--container', 'web', '--container', 'idle:sleep:9000', '--lab', lab]);
      const pods = JSON.parse((await runCliOk(mode, ['get', 'pods', '--lab', lab, '-o', 'json'])).stdout) as PodInfo[];
      const duo = pods.find((p) => p.name === 'duo');
      assert.deepEqual(duo?.containers.map((c) => [c.name, c.state]), [['web', 'running'], ['idle', 'running']]);
      await runCliOk(mode, ['pod', 'delete', 'duo', '--lab', lab]);
    });

    it('refuses bad requests with a clear error and leaves the running lab intact', async () => {
      const cases: [string[], RegExp][] = [
        [['lab', 'up', '--lab', lab], /already running/],
        [['exec', '--lab', lab, 'nope', '--', 'true'], /pod: pod "nope" not found/],
        [['exec', '--lab', lab, 'pod-a', '-c', 'nope', '--', 'true'], /container: container "nope" not found in pod pod-a \(containers: web, sidecar\)/],
        [['exec', '--lab', lab, '--node', 'node9', '--', 'true'], /node: node "node9" not found/],
        [['pod', 'create', 'x', '--node', 'node9', '--lab', lab], /node: node "node9" does not exist/],
        [['pod', 'create', 'pod-a', '--node', 'node1', '--lab', lab], /name: pod "pod-a" already exists/],
        [['pod', 'create', 'Bad_Name', '--node', 'node1', '--lab', lab], /name: name "Bad_Name" is not a valid name/],
      ];
      for (const [args, message] of cases) {
        const res = await runCli(mode, args);
        assert.equal(res.code, 1, `${args.join(' ')} should fail`);
        assert.match(res.stderr, message);
        assert.doesNotMatch(res.stderr, /\n\s+at /, 'no stack trace');
      }
      const after = await status(mode, lab);
      assert.deepEqual(after.pods.map((p) => [p.name, p.ip]), st.pods.map((p) => [p.name, p.ip]));
    });

    it("never changes the host's own links, addresses, routes or rules", () => {
      assert.deepEqual(hostNetworkState(), hostBefore);
    });

    it('leaves no process, namespace, socket or state behind after down', async () => {
      const pidns = readlinkSync(`/proc/${st.sandboxPid}/ns/pid`);
      const netns = readlinkSync(`/proc/${st.sandboxPid}/ns/net`);
      assert.ok(processesInNamespace('pid', pidns).length >= 5, 'containers run inside the sandbox PID namespace');
      await runCliOk(mode, ['lab', 'down', '--lab', lab]);
      assert.ok(await eventually(() => processesInNamespace('pid', pidns).length === 0), 'processes left in the lab PID namespace');
      assert.deepEqual(processesInNamespace('net', netns), []);
      const leftovers = readdirSync(runtimeDirFor(mode)).filter((f) => f.startsWith(`${lab}.`));
      assert.deepEqual(leftovers, []);
      assert.deepEqual(hostNetworkState(), hostBefore);
      const again = await runCli(mode, ['lab', 'down', '--lab', lab]);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /no lab named "itest-/);
    });
  });
}
