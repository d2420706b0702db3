/** The optional Docker-style host against the real kernel, as root and as an unprivileged user: NAT where Pods have none. */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { cidrContains } from '../../../src/model/cidr';
import type { DockerHostInfo, LabStatus } from '../../../src/providers/embedded/control/protocol';
import { runCli, runCliOk, testableModes } from '../../support/cli';
import { hostNetworkState } from '../../support/hostState';

/** The host's own nftables ruleset, to prove the Docker host's NAT never lands there. */
function hostRuleset(): string {
  return execFileSync('nft', ['list', 'ruleset'], { encoding: 'utf8', timeout: 10_000 });
}

for (const mode of testableModes()) {
  describe(`Docker host in the embedded lab (${mode})`, function () {
    this.timeout(120_000);
    const lab = `idock-${mode === 'root' ? 'root' : 'user'}`;
    const exec = (target: string[], argv: string[], timeoutSec = 30) => runCli(mode, ['exec', '--lab', lab, '--timeout', String(timeoutSec), ...target, '--', ...argv]);
    let hostBefore: Record<string, unknown>;
    let rulesetBefore: string;
    let st: LabStatus;
    let dh: DockerHostInfo;

    before(async () => {
      await runCli(mode, ['lab', 'down', '--lab', lab]); // a previous aborted run
      hostBefore = hostNetworkState();
      rulesetBefore = hostRuleset();
      const up = await runCli(mode, ['lab', 'up', '--lab', lab, '--with-docker-host', '-q']);
      assert.equal(up.code, 0, up.stderr);
      st = JSON.parse((await runCliOk(mode, ['lab', 'status', '--lab', lab, '-o', 'json'])).stdout) as LabStatus;
      assert.ok(st.dockerHost, 'lab status has a dockerHost');
      dh = st.dockerHost;
    });

    after(async () => {
      await runCli(mode, ['lab', 'down', '--lab', lab]);
    });

    it('reports the default Docker host: .10 on the node network, web-a and web-b behind docker0, web-a published on 8081', async () => {
      assert.equal(dh.name, 'docker-host');
      assert.equal(dh.ip, '192.168.1.10');
      assert.deepEqual([dh.bridge, dh.bridgeIP, dh.bridgeCIDR, dh.wirePort], ['docker0', '172.17.0.1', '172.17.0.0/16', 'wire0-h1']);
      assert.deepEqual(dh.containers.map((c) => [c.name, c.port, c.publish]), [['web-a', 8080, 8081], ['web-b', 8080, undefined]]);
      for (const c of dh.containers) assert.ok(cidrContains(dh.bridgeCIDR, c.ip), `${c.ip} not in ${dh.bridgeCIDR}`);
      assert.deepEqual(st.pods.map((p) => p.name), ['pod-a', 'pod-b', 'pod-c'], 'the Pods are unchanged');
      const text = (await runCliOk(mode, ['lab', 'status', '--lab', lab])).stdout;
      assert.match(text, /docker-host {2}eth0 192\.168\.1\.10 .*docker0 172\.17\.0\.1 .*web-a 172\.17\.0\.\d+:8080 \(published on 192\.168\.1\.10:8081\)/);
    });

    it('gives each container its own IP on eth0 (as the kernel reports it) and the host its address on eth0', async () => {
      for (const c of dh.containers) {
        const res = await exec(['--docker-container', c.name], ['ip', '-j', '-4', 'addr', 'show', 'dev', 'eth0']);
        assert.equal(res.code, 0, res.stderr);
        assert.deepEqual((JSON.parse(res.stdout) as { addr_info: { local: string }[] }[]).flatMap((l) => l.addr_info.map((a) => a.local)), [c.ip]);
      }
      const host = await exec(['--docker-host'], ['ip', '-j', '-4', 'addr', 'show', 'dev', 'eth0']);
      assert.deepEqual((JSON.parse(host.stdout) as { addr_info: { local: string }[] }[]).flatMap((l) => l.addr_info.map((a) => a.local)), ['192.168.1.10']);
    });

    it('holds the MASQUERADE and DNAT rules in its own namespace, and none on the real host', async () => {
      const res = await exec(['--docker-host'], ['nft', 'list', 'ruleset']);
      assert.equal(res.code, 0, res.stderr);
      assert.match(res.stdout, /table ip docker-nat/);
      assert.match(res.stdout, /ip saddr 172\.17\.0\.0\/16 oifname != "docker0" masquerade/);
      const webA = dh.containers[0].ip;
      assert.match(res.stdout, new RegExp(`iifname != "docker0" tcp dport 8081 dnat to ${webA.replace(/\./g, '\\.')}:8080`));
      assert.match(res.stdout, new RegExp(`ip daddr 192\\.168\\.1\\.10 tcp dport 8081 dnat to ${webA.replace(/\./g, '\\.')}:8080`));
      assert.equal(hostRuleset(), rulesetBefore);
    });

    it('lets a container out to the node network (MASQUERADE)', async () => {
      const res = await exec(['--docker-container', 'web-a'], ['busybox', 'ping', '-c', '1', '-W', '2', '192.168.1.100']);
      assert.equal(res.code, 0, `${res.stdout}${res.stderr}`);
      assert.match(res.stdout, /1 packets received/);
    });

    it("rewrites a container's source to the host's address: a listener on node1 sees 192.168.1.10, not 172.17.x", async () => {
      // busybox nc has no -v; with -e the accepted socket becomes netstat's stdout, so the client receives
      // the listener's own view of the connection (its local and foreign address) without any shell.
      const listener = exec(['--node', 'node1'], ['busybox', 'nc', '-l', '-p', '9000', '-e', 'busybox', 'netstat', '-tn'], 20);
      const deadline = Date.now() + 10_000;
      while (!/:9000\s/.test((await exec(['--node', 'node1'], ['busybox', 'netstat', '-tln'])).stdout)) {
        assert.ok(Date.now() < deadline, 'the listener on node1 did not start');
        await new Promise((r) => setTimeout(r, 50));
      }
      const client = await exec(['--docker-container', 'web-a'], ['busybox', 'nc', '-w', '5', '192.168.1.100', '9000'], 20);
      const served = await listener;
      assert.equal(served.code, 0, served.stderr);
      assert.equal(client.code, 0, client.stderr);
      assert.match(client.stdout, /192\.168\.1\.100:9000\s+(::ffff:)?192\.168\.1\.10:\d+\s/, client.stdout);
      assert.doesNotMatch(client.stdout, /172\.17\./);
    });

    it('publishes web-a on the host: node1 GETs 192.168.1.10:8081 and web-a sees node1 itself as the source (DNAT only)', async () => {
      const res = await exec(['--node', 'node1'], ['busybox', 'wget', '-q', '-O', '-', 'http://192.168.1.10:8081/']);
      assert.equal(res.code, 0, res.stderr);
      const answer = JSON.parse(res.stdout) as { pod: string; node: string; podIP: string; port: number; sawSource: string };
      assert.deepEqual([answer.pod, answer.node, answer.podIP, answer.port], ['web-a', 'docker-host', dh.containers[0].ip, 8080]);
      assert.equal(answer.sawSource, '192.168.1.100');
    });

    it('lets the host itself use its published port (output chain DNAT)', async () => {
      const res = await exec(['--docker-host'], ['busybox', 'wget', '-q', '-O', '-', 'http://192.168.1.10:8081/']);
      assert.equal(res.code, 0, res.stderr);
      assert.equal((JSON.parse(res.stdout) as { pod: string }).pod, 'web-a');
    });

    it('cannot reach a Pod: the Docker host is not in the cluster and has no route to any Pod CIDR (expected)', async () => {
      const podC = st.pods.find((p) => p.name === 'pod-c')!;
      const routes = JSON.parse((await exec(['--docker-host'], ['ip', '-j', 'route'])).stdout) as { dst: string }[];
      assert.deepEqual(routes.map((r) => r.dst).sort(), ['172.17.0.0/16', '192.168.1.0/24']);
      const lookup = await exec(['--docker-host'], ['ip', 'route', 'get', podC.ip]);
      assert.notEqual(lookup.code, 0);
      assert.match(lookup.stderr, /Network is unreachable/);
      // ping, not wget: busybox 1.35's wget crashes (SIGSEGV) on "Network unreachable".
      const ping = await exec(['--docker-container', 'web-a'], ['busybox', 'ping', '-c', '1', '-W', '2', podC.ip]);
      assert.equal(ping.code, 1, `${ping.stdout}${ping.stderr}`);
      assert.match(ping.stdout, /0 packets received/);
    });

    it('refuses bad Docker targets and names with a clear error naming the field', async () => {
      const cases: [string[], number, RegExp][] = [
        [['exec', '--lab', lab, '--docker-container', 'nope', '--', 'true'], 1, /dockerContainer: Docker container "nope" not found on docker-host \(containers: web-a, web-b\)/],
        [['exec', '--lab', lab, '--docker-host', '--node', 'node1', '--', 'true'], 2, /name exactly one target/],
        [['pod', 'create', 'web-a', '--node', 'node1', '--lab', lab], 1, /name: "web-a" is the name of a Docker container on docker-host/],
        [['pod', 'create', 'docker-host', '--node', 'node1', '--lab', lab], 1, /name: "docker-host" is the name of the Docker host/],
      ];
      for (const [args, code, message] of cases) {
        const res = await runCli(mode, args);
        assert.equal(res.code, code, `${args.join(' ')}: ${res.stderr}`);
        assert.match(res.stderr, message);
        assert.doesNotMatch(res.stderr, /\n\s+at /, 'no stack trace');
      }
    });

    it("never changes the host's own links, addresses, routes, rules or nftables ruleset, also after down", async () => {
      assert.deepEqual(hostNetworkState(), hostBefore);
      await runCliOk(mode, ['lab', 'down', '--lab', lab]);
      assert.deepEqual(hostNetworkState(), hostBefore);
      assert.equal(hostRuleset(), rulesetBefore);
    });
  });
}
