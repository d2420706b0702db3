/** `podnet service` and `podnet get svc|endpoints` end to end on a real embedded lab: kube-proxy-style rules, a real request through the ClusterIP. */
import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PodInfo, ServiceInfo } from '../../../src/providers/embedded/control/protocol';
import { type Mode, runCli, runCliOk, testableModes } from '../../support/cli';

const TOPOLOGY = `nodes: [{name: node1}, {name: node2}]
pods:
  - {name: pod-a, node: node1, labels: {app: web}}
  - {name: pod-b, node: node1}
client: {}
`;

/** Rows of a printed table, cells split at two or more spaces. */
const rows = (text: string) => text.trim().split('\n').map((l) => l.split(/\s{2,}/));

for (const mode of testableModes()) {
  describe(`podnet service on the embedded lab (${mode})`, function () {
    this.timeout(120_000);
    const lab = `isvc-${mode === 'root' ? 'root' : 'user'}`;
    let dir: string;
    const cli = (...args: string[]) => runCli(mode as Mode, ['--lab', lab, ...args]);
    const ok = (...args: string[]) => runCliOk(mode as Mode, ['--lab', lab, ...args]);
    const pods = async () => JSON.parse((await ok('get', 'pods', '-o', 'json')).stdout) as PodInfo[];

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'podnet-svc-cli-'));
      chmodSync(dir, 0o755); // the unprivileged CLI reads the topology too
      const file = join(dir, 'lab.yaml');
      writeFileSync(file, TOPOLOGY, { mode: 0o644 });
      await cli('lab', 'down');
      const up = await cli('lab', 'up', '--topology', file, '-q');
      assert.equal(up.code, 0, up.stderr + up.stdout);
      assert.match(up.stdout, /outside client outside: eth0 192\.168\.1\.50/);
    });
    after(async () => {
      await cli('lab', 'down');
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('create prints the ClusterIP and endpoint; get svc and get endpoints list it like kubectl; a request through it reaches the Pod', async () => {
      const podA = (await pods()).find((p) => p.name === 'pod-a')!;
      const created = await ok('service', 'create', 'web', '--selector', 'app=web', '--port', '80', '--target-port', '8080');
      assert.equal(created.stdout.trim(), `service/web created: ClusterIP 10.96.0.100, port 80/TCP to target port 8080; endpoints ${podA.ip} (pod-a)`);

      const svc = rows((await ok('get', 'svc', '-o', 'wide')).stdout);
      assert.deepEqual(svc[0], ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
      assert.deepEqual([svc[1].slice(0, 5), svc[1][6]], [['web', 'ClusterIP', '10.96.0.100', '<none>', '80/TCP'], 'app=web']);
      assert.match(svc[1][5], /^\d+s$/, 'a new Service is seconds old');
      assert.deepEqual(rows((await ok('get', 'endpoints', 'web')).stdout).map((r) => r.slice(0, 2)), [['NAME', 'ENDPOINTS'], ['web', `${podA.ip}:8080`]]);

      const answer = await ok('exec', 'pod-b', '--', 'busybox', 'wget', '-qO-', 'http://10.96.0.100/');
      assert.match(answer.stdout, /pod-a/, 'the ClusterIP was DNATed to pod-a');
    });

    it('a Pod created with a matching --label becomes an endpoint, shown by get pods --show-labels and -o json', async () => {
      await ok('pod', 'create', 'web-2', '--node', 'node2', '--label', 'app=web', '--label', 'tier=front');
      const labelled = rows((await ok('get', 'pods', '--show-labels')).stdout);
      const labels = Object.fromEntries(labelled.slice(1).map((r) => [r[0], r[r.length - 1]]));
      assert.deepEqual(labels, { 'pod-a': 'app=web', 'pod-b': '<none>', 'web-2': 'app=web,tier=front' });
      const web2 = (await pods()).find((p) => p.name === 'web-2')!;
      const [web] = JSON.parse((await ok('get', 'svc', 'web', '-o', 'json')).stdout) as ServiceInfo[];
      assert.deepEqual(web.endpoints.filter((e) => e.ready).map((e) => e.pod).sort(), ['pod-a', 'web-2']);
      assert.ok(web.endpoints.some((e) => e.ip === web2.ip && e.node === 'node2'));
    });

    it('bad input is one sentence naming the option or field, and changes nothing', async () => {
      const before = (await ok('get', 'svc', '-o', 'json')).stdout;
      const usage = await cli('service', 'create', 'api', '--selector', 'app=api', '--port', 'http');
      assert.equal(usage.code, 2);
      assert.match(usage.stderr.split('\n')[0], /^podnet: --port "http" must be a whole number from 1 to 65535$/);
      const taken = await cli('service', 'create', 'web', '--pods', 'pod-b', '--port', '81');
      assert.equal(taken.code, 1, taken.stderr);
      assert.equal(taken.stderr.trim().split('\n').length, 1, taken.stderr);
      assert.match(taken.stderr, /^podnet: .*web/);
      assert.equal((await ok('get', 'svc', '-o', 'json')).stdout, before);
    });

    it('a NodePort made with the CLI answers the outside client on a node\'s address; with Cluster the Pod sees the node, not the client', async () => {
      const created = await ok('service', 'create', 'np', '--pods', 'pod-a', '--port', '80', '--target-port', '8080', '--type', 'NodePort');
      assert.match(created.stdout, /^service\/np created: NodePort 10\.96\.0\.\d+, port 80:30080\/TCP to target port 8080; NodePort 30080 on every node \(externalTrafficPolicy Cluster\)/);
      assert.equal(rows((await ok('get', 'svc', 'np')).stdout)[1][4], '80:30080/TCP');
      const answer = JSON.parse((await ok('exec', '--client', '--', 'busybox', 'wget', '-qO-', 'http://192.168.1.101:30080/')).stdout) as { pod: string; sawSource: string };
      assert.equal(answer.pod, 'pod-a');
      assert.notEqual(answer.sawSource, '192.168.1.50', 'externalTrafficPolicy Cluster masquerades the client');
      await ok('service', 'delete', 'np');
    });

    it('delete removes the Service, its endpoints listing and every node\'s rules for it', async () => {
      const deleted = await ok('service', 'delete', 'web');
      assert.equal(deleted.stdout.trim(), 'service/web deleted; its ClusterIP 10.96.0.100 is free again and every node\'s rules for it are gone');
      const empty = await ok('get', 'svc');
      assert.equal(empty.stdout, '');
      assert.match(empty.stderr, /No Services in this lab yet/);
      for (const node of ['node1', 'node2']) {
        const rules = await ok('exec', '--node', node, '--', 'nft', 'list', 'table', 'ip', 'kube-proxy');
        assert.doesNotMatch(rules.stdout, /10\.96\.0\.100/, `${node} still has rules for the deleted ClusterIP`);
      }
      const missing = await cli('get', 'endpoints', 'web');
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /^podnet: service: no Service "web" \(Services: none\)/);
    });

    it('exec --client runs on the outside client: its own address, no route to the Pod or Service range, a Pod IP unreachable', async () => {
      assert.match((await ok('exec', '--client', '--', 'ip', '-4', '-o', 'addr', 'show', 'eth0')).stdout, /inet 192\.168\.1\.50\//);
      const routes = (await ok('exec', '--client', '--', 'ip', '-4', 'route')).stdout;
      assert.doesNotMatch(routes, /10\.244\.|10\.96\./);
      const podA = (await pods()).find((p) => p.name === 'pod-a')!;
      const tried = await cli('exec', '--client', '--timeout', '5', '--', 'busybox', 'wget', '-qO-', `http://${podA.ip}:8080/`);
      assert.notEqual(tried.code, 0, 'a Pod IP must not be reachable from outside the cluster');
    });
  });
}
