/**
 * The network checks on a real embedded lab with a Docker-style host: traces, what the receiver saw, reachability; each passes and fails for the right
 * reason.
 */
import { strict as assert } from 'node:assert';
import { resolve } from 'node:path';
import { ARTICLE_WITH_DOCKER_HOST_YAML, parseTopology } from '../../../src/model/topologySpec';
import { EmbeddedLab } from '../../../src/providers/embedded/embeddedLab';
import { startLab, stopLab } from '../../../src/providers/embedded/launcher';
import { evaluateCheck } from '../../../src/labs/checks';
import { createRunState, type LabRunState } from '../../../src/labs/state';
import type { LabCheck } from '../../../src/labs/types';

const CLI = resolve(__dirname, '../../../dist/cli.js');
const LAB = 'ilab-netchecks';

describe('lab pack checks on a live lab: the network', function () {
  this.timeout(180_000);
  let lab: EmbeddedLab;
  let state: LabRunState;
  const check = (c: LabCheck) => evaluateCheck(c, { lab, state });
  const ipOf = async (pod: string) => (await lab.status()).pods.find((p) => p.name === pod)!.ip;
  const node1 = (argv: string[]) => lab.exec({ kind: 'node', node: 'node1' }, argv);

  /** Masquerades node1's traffic to node2's Pods: the mistake a CNI's ipMasq makes. */
  async function withMasquerade(body: () => Promise<void>): Promise<void> {
    for (const argv of [
      ['nft', 'add', 'table', 'ip', 'ilabnat'],
      ['nft', 'add', 'chain', 'ip', 'ilabnat', 'post', '{ type nat hook postrouting priority srcnat ; }'],
      ['nft', 'add', 'rule', 'ip', 'ilabnat', 'post', 'ip', 'daddr', '10.244.2.0/24', 'oifname', 'eth0', 'masquerade'],
    ]) {
      const res = await node1(argv);
      assert.equal(res.code, 0, `${argv.join(' ')}: ${res.stderr}`);
    }
    try {
      await body();
    } finally {
      await node1(['nft', 'delete', 'table', 'ip', 'ilabnat']);
    }
  }

  before(async () => {
    await stopLab(LAB).catch(() => undefined);
    state = createRunState(await startLab({ lab: LAB, topology: parseTopology(ARTICLE_WITH_DOCKER_HOST_YAML), entry: CLI }));
    lab = await EmbeddedLab.connect(LAB);
  });
  after(async () => {
    lab?.close();
    await stopLab(LAB).catch(() => undefined);
  });

  it('trace: delivered across nodes through cbr0 and the wire with no NAT, as the probe saw it', async () => {
    const res = await check({ type: 'trace', from: 'pod-a', to: 'pod-c', expect: { disposition: 'DELIVERED', passes: [{ where: 'node1', interface: 'cbr0' }, { where: 'wire' }], nat: 'none' } });
    assert.equal(res.passed, true, res.message);
    assert.match(res.message, /^The ICMP packet from pod-a to pod-c was DELIVERED in \d+ hops; the real probe was seen on every predicted hop; it passed cbr0 in node1; it passed wire; the destination kernel saw source 10\.244\.1\.\d+, the sender's own address/);
  });

  it('trace: the wrong disposition, a place not on the path, and NAT where there is none each fail with the reason', async () => {
    const wrong = await check({ type: 'trace', from: 'pod-a', to: 'pod-c', expect: { disposition: 'NO_ROUTE' } });
    assert.equal(wrong.passed, false);
    assert.match(wrong.message, /^The ICMP packet from pod-a to pod-c ended DELIVERED, not NO_ROUTE\.$/);
    const path = await check({ type: 'trace', from: 'pod-a', to: 'pod-b', expect: { passes: [{ where: 'wire' }] } });
    assert.equal(path.passed, false);
    assert.match(path.message, /It did not pass wire; its path was pod-a → node1 → pod-b\.$/);
    const nat = await check({ type: 'trace', from: 'pod-a', to: 'pod-c', proto: 'tcp', expect: { nat: 'source' } });
    assert.equal(nat.passed, false);
    assert.match(nat.message, /^This step expects source NAT, but pod-c saw no rewrite: the web server reported source 10\.244\.1\.\d+, the sender's own address/);
  });

  it('trace: DELIVERED fails when the connection was refused (nothing listens on the port), with what the probe saw', async () => {
    const res = await check({ type: 'trace', from: 'pod-a', to: 'pod-c', proto: 'tcp', port: 9999, expect: { disposition: 'DELIVERED' } });
    assert.equal(res.passed, false, res.message);
    assert.match(res.message, /The probe got no answer \(refused\): the connection to 10\.244\.2\.\d+:9999 was refused/);
  });

  it('trace: a Docker container leaving its host is source-NATed (passes), so nat: none fails there', async () => {
    const src = await check({ type: 'trace', from: 'web-a', to: 'node1', expect: { disposition: 'DELIVERED', passes: [{ where: 'docker-host', interface: 'docker0' }], nat: 'source' } });
    assert.equal(src.passed, true, src.message);
    assert.match(src.message, /saw source 192\.168\.1\.10, but the sender's address is 172\.17\.0\.\d+: it was rewritten on the way/);
    const none = await check({ type: 'trace', from: 'web-a', to: 'node1', expect: { nat: 'none' } });
    assert.equal(none.passed, false);
    assert.match(none.message, /^NAT was observed where this step expects none: the destination kernel saw source 192\.168\.1\.10, but the sender's address is 172\.17\.0\.\d+/);
    const dst = await check({ type: 'trace', from: 'node1', to: '192.168.1.10:8081', expect: { nat: 'destination' } });
    assert.equal(dst.passed, true, dst.message);
  });

  it('receiverSawSender: pod-c sees pod-a\'s own IP; with a masquerade rule on node1 it sees node1 and the check says NAT', async () => {
    const a = await ipOf('pod-a');
    assert.deepEqual(await check({ type: 'receiverSawSender', from: 'pod-a', to: 'pod-c' }), { passed: true, message: `pod-c saw the request come from ${a}, pod-a's own address: nothing rewrote the source on the way.` });
    await withMasquerade(async () => {
      assert.deepEqual(await check({ type: 'receiverSawSender', from: 'pod-a', to: 'pod-c' }), {
        passed: false,
        message: `pod-c saw the request come from 192.168.1.100 (node1's address), not from pod-a's own address ${a}: something on the way rewrote the source address (NAT).`,
      });
    });
  });

  it('trace: the same masquerade on node1 makes nat: source pass and nat: none fail between Pods', async () => {
    await withMasquerade(async () => {
      const src = await check({ type: 'trace', from: 'pod-a', to: 'pod-c', proto: 'tcp', expect: { nat: 'source' } });
      assert.equal(src.passed, true, src.message);
      const none = await check({ type: 'trace', from: 'pod-a', to: 'pod-c', proto: 'tcp', expect: { nat: 'none' } });
      assert.equal(none.passed, false);
      assert.match(none.message, /^NAT was observed where this step expects none: the web server reported source 192\.168\.1\.100, but the sender's address is 10\.244\.1\.\d+/);
    });
  });

  it('reachable: Pod to Pod answers; the Docker host has no route to Pods, so expect: false passes and expect: true fails', async () => {
    const c = await ipOf('pod-c');
    assert.deepEqual(await check({ type: 'reachable', from: 'pod-a', to: 'pod-c' }), { passed: true, message: `pod-a reaches pod-c (${c}): the ping was answered.` });
    assert.deepEqual(await check({ type: 'reachable', from: 'docker-host', to: 'pod-c', expect: false }), { passed: true, message: `the Docker host docker-host cannot reach pod-c (${c}), as this step expects: the ping got no answer.` });
    const fail = await check({ type: 'reachable', from: 'docker-host', to: 'pod-c' });
    assert.equal(fail.passed, false);
    assert.match(fail.message, new RegExp(`^the Docker host docker-host cannot reach pod-c \\(${c.replace(/\./g, '\\.')}\\): the ping got no answer`));
    assert.deepEqual(await check({ type: 'reachable', from: 'pod-a', to: 'pod-c', expect: false }), { passed: false, message: `pod-a still reaches pod-c (${c}), but this step expects it not to: the ping was answered.` });
  });
});
