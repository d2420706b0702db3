/** `podnet trace` on the real lab: the predicted path, checked by the kernel and observed with a real probe. */
import { strict as assert } from 'node:assert';
import type { PodInfo } from '../../src/providers/embedded/control/protocol';
import type { TraceResult } from '../../src/tracer/types';
import { runCli, runCliOk, testableModes } from '../support/cli';

for (const mode of testableModes()) {
  describe(`podnet trace on the embedded lab (${mode})`, function () {
    this.timeout(120_000);
    const lab = `itrace-${mode === 'root' ? 'root' : 'user'}`;
    let pods: PodInfo[];
    const ip = (name: string) => pods.find((p) => p.name === name)!.ip;

    async function trace(args: string[], expectedCode = 0): Promise<TraceResult> {
      const res = await runCli(mode, ['trace', '--lab', lab, '--json', ...args]);
      assert.equal(res.code, expectedCode, `trace ${args.join(' ')} exited ${res.code}: ${res.stderr}${res.stdout.slice(0, 2000)}`);
      return JSON.parse(res.stdout) as TraceResult;
    }

    function assertAllObserved(t: TraceResult): void {
      assert.ok(t.verification, 'verified');
      assert.deepEqual(t.verification.differences, []);
      assert.equal(t.verification.matches, true);
      for (const h of t.hops) assert.equal(h.observation?.observed, true, `hop ${h.index} ${h.where} ${h.decision} not observed`);
      for (const h of t.hops.filter((x) => x.kernel)) assert.equal(h.kernel!.agrees, true, `kernel disagrees at hop ${h.index}: ${JSON.stringify(h.kernel)}`);
    }

    before(async () => {
      await runCli(mode, ['lab', 'down', '--lab', lab]);
      await runCliOk(mode, ['lab', 'up', '--lab', lab, '-q']);
      pods = JSON.parse((await runCliOk(mode, ['get', 'pods', '--lab', lab, '-o', 'json'])).stdout) as PodInfo[];
    });
    after(async () => {
      await runCli(mode, ['lab', 'down', '--lab', lab]);
    });

    it('same node: through cbr0 at layer 2, TTL unchanged, no NAT, every hop observed', async () => {
      const t = await trace(['pod-a', 'pod-b']);
      assert.equal(t.disposition, 'DELIVERED');
      assert.deepEqual(t.hops.map((h) => h.decision), ['send', 'veth', 'bridge-forward', 'veth', 'deliver']);
      assert.equal(t.hops[2].where, 'node1');
      assert.ok(t.hops[2].rows.some((r) => r.kind === 'fdb'), 'the bridge hop cites its FDB entry');
      assert.equal(t.delivered?.ttl, 64);
      assert.equal(t.hops[4].observation?.headers?.ttl, 64);
      assert.equal(t.verification?.natVerdict, 'no-nat');
      assertAllObserved(t);
    });

    it('cross node: two routing hops, TTL 64 -> 62, the receiver sees the sender address', async () => {
      const t = await trace(['pod-a', 'pod-c']);
      assert.equal(t.disposition, 'DELIVERED');
      const routers = t.hops.filter((h) => h.decision === 'forward');
      assert.deepEqual(routers.map((h) => h.where), ['node1', 'node2']);
      const node1Route = routers[0].rows.find((r) => r.kind === 'route');
      assert.ok(node1Route?.kind === 'route');
      assert.equal(node1Route.route.dst, '10.244.2.0/24');
      assert.equal(node1Route.route.gateway, '192.168.1.101');
      assert.match(routers[0].sentence, /node1 .*sends 10\.244\.2\.\d+ \(in 10\.244\.2\.0\/24\) to 192\.168\.1\.101 out of eth0/);
      assert.ok(t.hops.some((h) => h.decision === 'veth' && h.ifIn === 'eth0' && h.where === 'pod-a → node1'), 'the veth crossing is its own hop');
      assert.equal(t.delivered?.ttl, 62);
      assert.equal(t.delivered?.srcIP, ip('pod-a'));
      assert.equal(t.verification?.natVerdict, 'no-nat');
      assert.equal(t.verification?.ttlCheck.ok, true);
      assertAllObserved(t);
    });

    it('HTTP to a Pod: the web server itself reports the sender Pod IP', async () => {
      const t = await trace(['pod-a', `${ip('pod-c')}:8080`]);
      assert.equal(t.request.proto, 'tcp');
      assert.equal(t.disposition, 'DELIVERED');
      assert.match(t.verification!.natEvidence, new RegExp(`web server reported source ${ip('pod-a').replace(/\./g, '\\.')}`));
      assertAllObserved(t);
    });

    it('Pod to a node IP on another node is delivered to that node with one routing hop', async () => {
      const t = await trace(['pod-a', '192.168.1.101']);
      assert.equal(t.disposition, 'DELIVERED');
      assert.equal(t.hops[t.hops.length - 1].namespace, 'node/node2');
      assert.equal(t.delivered?.ttl, 63);
      assertAllObserved(t);
    });

    it('an address with no route stops at node1 with NO_ROUTE, as the kernel agrees and the probe shows', async () => {
      const t = await trace(['pod-a', '10.244.9.9'], 4);
      assert.equal(t.disposition, 'NO_ROUTE');
      const last = t.hops[t.hops.length - 1];
      assert.equal(last.where, 'node1');
      assert.equal(last.decision, 'drop');
      assert.equal(last.observation?.observed, true, 'the probe reached node1');
      assert.equal(last.kernel?.agrees, true);
      assert.match(last.kernel?.error ?? '', /unreachable/i);
    });

    it('an nft drop rule on node1 gives DROPPED_BY_RULE, and the probe stops exactly there', async () => {
      const node1 = ['exec', '--lab', lab, '--node', 'node1', '--'];
      await runCliOk(mode, [...node1, 'nft', 'add', 'table', 'ip', 'lesson']);
      await runCliOk(mode, [...node1, 'nft', 'add', 'chain', 'ip', 'lesson', 'guard', '{', 'type', 'filter', 'hook', 'forward', 'priority', '0', ';', '}']);
      await runCliOk(mode, [...node1, 'nft', 'add', 'rule', 'ip', 'lesson', 'guard', 'ip', 'daddr', ip('pod-c'), 'drop']);
      try {
        const t = await trace(['pod-a', 'pod-c'], 4);
        assert.equal(t.disposition, 'DROPPED_BY_RULE');
        assert.match(t.reason ?? '', new RegExp(`ip daddr ${ip('pod-c').replace(/\./g, '\\.')} drop`));
        const last = t.hops[t.hops.length - 1];
        assert.equal(last.where, 'node1');
        assert.ok(last.rows.some((r) => r.kind === 'filter' && r.rule.verdict === 'drop' && r.rule.table === 'lesson'));
        assert.equal(last.observation?.observed, true);
        assert.match(last.observation?.verdict ?? '', /lesson guard: .*drop \(verdict drop\)/);
        assert.ok(!t.hops.some((h) => h.namespace === 'node/node2' || h.namespace === 'wire'), 'nothing predicted beyond node1');
        assert.equal(t.verification?.matches, true);
      } finally {
        await runCliOk(mode, [...node1, 'nft', 'delete', 'table', 'ip', 'lesson']);
      }
      const after = await trace(['pod-a', 'pod-c']);
      assert.equal(after.disposition, 'DELIVERED');
    });

    it('same-node traffic meets IP rules exactly when br_netfilter is on, and the prediction says so', async () => {
      const snap = JSON.parse((await runCliOk(mode, ['snapshot', '--lab', lab])).stdout) as { namespaces: { id: string; bridgeNetfilter?: boolean }[] };
      const bnf = snap.namespaces.find((n) => n.id === 'node/node1')?.bridgeNetfilter === true;
      const node1 = ['exec', '--lab', lab, '--node', 'node1', '--'];
      await runCliOk(mode, [...node1, 'nft', 'add', 'table', 'ip', 'lesson2']);
      await runCliOk(mode, [...node1, 'nft', 'add', 'chain', 'ip', 'lesson2', 'guard', '{', 'type', 'filter', 'hook', 'forward', 'priority', '0', ';', '}']);
      await runCliOk(mode, [...node1, 'nft', 'add', 'rule', 'ip', 'lesson2', 'guard', 'ip', 'daddr', ip('pod-b'), 'drop']);
      try {
        const t = await trace(['pod-a', 'pod-b'], bnf ? 4 : 0);
        assert.equal(t.disposition, bnf ? 'DROPPED_BY_RULE' : 'DELIVERED');
        assert.equal(t.verification?.matches, true, t.verification?.differences.join('; '));
      } finally {
        await runCliOk(mode, [...node1, 'nft', 'delete', 'table', 'ip', 'lesson2']);
      }
    });

    it('TCP to a port where nothing listens: every hop seen, but REFUSED and exit 4, not a verified delivery', async () => {
      const res = await runCli(mode, ['trace', '--lab', lab, 'pod-a', `${ip('pod-c')}:9999`]);
      assert.equal(res.code, 4, res.stdout);
      assert.match(res.stdout, /but REFUSED: the connection to 10\.244\.\d+\.\d+:9999 was refused .*nothing listens on port 9999/);
      assert.match(res.stdout, /^Outcome: REFUSED/m);
      assert.doesNotMatch(res.stdout, /^DELIVERED/m);
      const t = await trace(['pod-a', `${ip('pod-c')}:9999`], 4);
      assert.equal(t.verification?.outcome.kind, 'refused');
      assert.equal(t.verification?.matches, true, 'the path was as predicted; only the answer differs');
    });

    it('TCP to the web workload: ANSWERED, exit 0, and the return path is predicted back to pod-a', async () => {
      const t = await trace(['pod-a', `${ip('pod-c')}:8080`]);
      assert.equal(t.verification?.outcome.kind, 'answered');
      assert.equal(t.returnPath?.disposition, 'DELIVERED');
      assert.equal(t.returnPath?.hops[t.returnPath.hops.length - 1].namespace, 'pod/pod-a');
    });

    it('loopback: pod-a to 127.0.0.1 stays in pod-a through lo, no NAT, the kernel agrees, observed and answered', async () => {
      const t = await trace(['pod-a', '127.0.0.1']);
      assert.equal(t.disposition, 'DELIVERED');
      assert.deepEqual(t.hops.map((h) => `${h.decision}@${h.namespace}`), ['deliver@pod/pod-a']);
      assert.deepEqual(t.nat, []);
      assert.equal(t.verification?.natVerdict, 'no-nat', t.verification?.natEvidence);
      assert.deepEqual(t.warnings, []);
      assert.equal(t.verification?.outcome.kind, 'answered');
      assertAllObserved(t);
    });

    it('verification leaves nothing behind: no trace table, no monitor still subscribed, in any namespace of the path', async () => {
      await trace(['pod-a', 'pod-c']);
      // `podnet exec --wire` fails rootless today (nsenter cannot join the wire's UTS namespace): the wire only as root.
      const path = mode === 'root' ? [['pod-a'], ['--node', 'node1'], ['--wire'], ['--node', 'node2'], ['pod-c']] : [['pod-a'], ['--node', 'node1'], ['--node', 'node2'], ['pod-c']];
      for (const where of path) {
        const tables = await runCliOk(mode, ['exec', '--lab', lab, ...where, '--', 'nft', 'list', 'tables']);
        assert.doesNotMatch(tables.stdout, /podnet_trace/, `${where.join(' ')} still has a trace table`);
        const netlink = await runCliOk(mode, ['exec', '--lab', lab, ...where, '--', 'cat', '/proc/net/netlink']);
        const subscribed = netlink.stdout.split('\n').filter((l) => { const f = l.trim().split(/\s+/); return f[1] === '12' && (parseInt(f[3], 16) & 0x100) !== 0; });
        assert.deepEqual(subscribed, [], `${where.join(' ')} still has an nft monitor trace listening`);
      }
    });

    it('four verified traces at once, on a busy machine, each see every hop (monitors proven ready, not timed)', async () => {
      const runs = await Promise.all([['pod-a', 'pod-c'], ['pod-b', 'pod-c'], ['pod-c', 'pod-a'], ['pod-a', 'pod-b']].map((args) => trace(args)));
      for (const t of runs) assertAllObserved(t);
    });

    it('predicts without sending anything when asked (--no-verify)', async () => {
      const t = await trace(['pod-c', 'pod-a', '--no-verify']);
      assert.equal(t.disposition, 'DELIVERED');
      assert.equal(t.verification, undefined);
      assert.ok(t.hops.every((h) => h.observation === undefined));
    });

    it('refuses unknown endpoints and addresses outside the lab with a clear error', async () => {
      const cases: [string[], RegExp][] = [
        [['trace', '--lab', lab, 'pod-zz', 'pod-a'], /from: "pod-zz" is not a Pod, node, Service or IP of this lab \(Pods: pod-a, pod-b, pod-c; nodes: node1, node2\)/],
        [['trace', '--lab', lab, 'pod-a', '8.8.8.8'], /to: 8\.8\.8\.8 is in no network of this lab/],
        [['trace', '--lab', lab, 'pod-a', 'pod-c', '--proto', 'sctp'], /--proto sctp is not supported/],
        [['trace', '--lab', `${lab}-missing`, 'pod-a', 'pod-c'], /no lab named/],
      ];
      for (const [args, message] of cases) {
        const res = await runCli(mode, args);
        assert.notEqual(res.code, 0);
        assert.match(res.stderr, message);
      }
    });
  });
}
