/**
 * The evaluator against the kernel: the lab's kube-proxy table for node1 is loaded into a scratch user + network
 * namespace with the node's address, real connections are opened from the node to each Service, and the destination
 * every packet had after DNAT (recorded by a postrouting set) must be one of the evaluator's candidates.
 */
import { strict as assert } from 'node:assert';
import { findExecutable } from '../../src/providers/embedded/tools';
import { runOk } from '../../src/util/exec';
import { inScratch, NODES, SERVICES } from '../support/nftFixtures';
import { fixtureText, hook, ruleset, tcp } from './nftSupport';

const NODE = NODES.node1.ip;
const OBSERVE = `table ip observe {
  set seen { type ipv4_addr . inet_service; flags dynamic; }
  chain post { type filter hook postrouting priority 200; policy accept; meta l4proto { tcp, udp } update @seen { ip daddr . th dport }; }
}
`;
// Opens one connection (tcp) or sends one datagram (udp) and prints how it ended; the packet leaves during the call.
const CLIENT = `const [proto, host, port] = process.argv.slice(1);
if (proto === 'udp') { const d = require('dgram').createSocket('udp4'); d.send('x', Number(port), host, () => d.close()); }
else { const s = require('net').connect(Number(port), host); s.on('connect', () => { console.log('connected'); process.exit(0); });
  s.on('error', (e) => { console.log(e.code); process.exit(0); }); setTimeout(() => { console.log('pending'); process.exit(0); }, 300); }`;

describe('nft evaluator against the kernel (kube-proxy table of node1 in a scratch namespace)', function () {
  this.timeout(60_000);
  const nft = findExecutable('nft');
  const ip = findExecutable('ip');
  const rs = ruleset('kube-proxy-node1.json');

  before(function () {
    if (!nft || !ip) this.skip(); // nftables or iproute2 not installed: no kernel to compare with
  });

  async function observed(inNs: (argv: string[]) => string[], proto: 'tcp' | 'udp', host: string, port: number, tries: number) {
    await runOk(inNs([nft!, 'flush', 'set', 'ip', 'observe', 'seen']));
    const outcomes: string[] = [];
    for (let i = 0; i < tries; i++) outcomes.push((await runOk(inNs([process.execPath, '-e', CLIENT, proto, host, String(port)]))).stdout.trim());
    const listed = JSON.parse((await runOk(inNs([nft!, '-j', 'list', 'set', 'ip', 'observe', 'seen']))).stdout) as { nftables: { set?: { elem?: unknown[] } }[] };
    const elems = listed.nftables.find((x) => x.set)?.set?.elem ?? [];
    const seen = elems.map((e) => ((e as { concat?: unknown[] }).concat ?? []).join(':'));
    return { outcomes, seen };
  }

  it('every destination the kernel DNATs to is one of the predicted candidates; a Service without endpoints is refused by both', async () => {
    await inScratch(async (inNs) => {
      for (const argv of [
        ['link', 'set', 'lo', 'up'], ['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], ['addr', 'add', `${NODE}/24`, 'dev', 'v0'],
        ['link', 'set', 'v0', 'up'], ['link', 'set', 'v1', 'up'], ['route', 'add', '10.244.0.0/16', 'dev', 'v0'], ['route', 'add', '10.96.0.0/12', 'dev', 'v0'],
      ]) await runOk(inNs([ip!, ...argv]));
      await runOk(inNs([nft!, '-f', '-']), { input: fixtureText('kube-proxy-node1.nft') });
      await runOk(inNs([nft!, '-f', '-']), { input: OBSERVE });
      for (const s of SERVICES) {
        const { spec } = s;
        const [host, port] = spec.nodePort !== undefined ? [NODE, spec.nodePort] : [spec.clusterIP, spec.port];
        const packet = { ...tcp(NODE, host, port), proto: spec.protocol };
        const ctx = { packet, oifname: 'v0', localAddresses: [`${NODE}/24`, '127.0.0.1/8'] };
        const out = hook(rs, 'output', ctx);
        // not rewritten and addressed to the node itself: looped back through lo to the input hook
        const predicted = out.verdict === 'accept' && !out.changes.length && host === NODE ? hook(rs, 'input', { ...ctx, iifname: 'lo' }) : out;
        const kernel = await observed(inNs, spec.protocol, host, port, s.endpoints.length > 1 ? 8 : 1);
        if (!s.endpoints.length) {
          assert.equal(predicted.verdict, 'drop', `${spec.name}: predicted refused`);
          assert.equal(predicted.rows.at(-1)?.verdict, 'reject');
          assert.deepEqual(kernel.outcomes, ['ECONNREFUSED'], `${spec.name}: the kernel refused too`);
          continue;
        }
        const candidates = predicted.balance?.candidates.map((c) => `${c.addr}:${c.port}`) ?? [];
        assert.equal(candidates.length, s.endpoints.length, `${spec.name}: every endpoint predicted`);
        assert.ok(kernel.seen.length > 0, `${spec.name}: the kernel sent something`);
        for (const dst of kernel.seen) assert.ok(candidates.includes(dst), `${spec.name}: the kernel sent to ${dst}, predicted one of ${candidates.join(', ')}`);
      }
    });
  });
});
