/** What an action may run: only podnet subcommands that inspect or change the pack's own lab, each refusal at the offending word. */
import { strict as assert } from 'node:assert';
import { EXEC_OPTIONS } from '../../src/cli/commands/exec';
import { GET_OPTIONS } from '../../src/cli/commands/get';
import { SERVICE_OPTIONS } from '../../src/cli/commands/service';
import { checkActionArgv } from '../../src/labs/actionPolicy';
import { parseLabPack, validateLabPack } from '../../src/labs/parse';
import { HEAD, makePack, posOf } from './helpers';

const run = (argv: string[]) => checkActionArgv(argv);
const messages = (argv: string[]) => run(argv).problems.map((p) => p.message);

describe('action policy', () => {
  it('allows exec, trace, get, pod, snapshot and lab status', () => {
    for (const argv of [
      ['podnet', 'exec', 'pod-a', '-c', 'sidecar', '--', 'ip', 'addr'], ['podnet', 'exec', '--node', 'node1', '--', 'ip', 'route'],
      ['podnet', 'exec', '--wire', '--', 'bridge', 'link'], ['podnet', 'trace', 'pod-a', 'pod-c', '--proto', 'tcp', '--port', '8080'],
      ['podnet', 'get', 'pods', '-o', 'wide'], ['podnet', 'pod', 'create', 'web-2', '--node', 'node2'], ['podnet', 'pod', 'delete', 'pod-c'],
      ['podnet', 'snapshot'], ['podnet', 'lab', 'status', '-o', 'json'],
    ]) assert.deepEqual(messages(argv), [], argv.join(' '));
  });

  it('allows Services: get svc|endpoints [NAME], service create|delete, exec on the outside client and the router', () => {
    for (const argv of [
      ['podnet', 'get', 'svc'], ['podnet', 'get', 'endpoints', 'web', '-o', 'wide'], ['podnet', 'get', 'pods', '--show-labels'],
      ['podnet', 'service', 'create', 'web', '--selector', 'app=web', '--port', '80', '--target-port', '8080'],
      ['podnet', 'service', 'create', 'np', '--pods', 'pod-a,pod-c', '--port', '80', '--type', 'NodePort', '--external-traffic-policy', 'Local'],
      ['podnet', 'service', 'delete', 'web'], ['podnet', 'exec', '--client', '--', 'ip', 'route'], ['podnet', 'exec', '--router', '--', 'ip', 'addr'],
    ]) assert.deepEqual(messages(argv), [], argv.join(' '));
  });

  it('refuses what the CLI refuses for Services, at the word to blame', () => {
    assert.match(messages(['podnet', 'get', 'pods', 'pod-a'])[0], /podnet get pods pod-a is not something to get/);
    assert.match(messages(['podnet', 'get', 'svc', 'a', 'b'])[0], /podnet get svc a b is not something to get/);
    assert.deepEqual(run(['podnet', 'service', 'create', 'web', '--selector', 'app', '--port', '80']).problems.map((p) => [p.message, p.arg]),
      [['--selector "app": "app" should look like KEY=VALUE (several joined by commas)', 3]]);
    assert.match(messages(['podnet', 'service', 'create', 'web', '--selector', 'app=web'])[0], /needs --port PORT/);
    assert.match(messages(['podnet', 'service', 'expose', 'web'])[0], /podnet service expose is not a service command/);
    assert.match(messages(['podnet', 'service', 'delete'])[0], /needs a Service NAME/);
    assert.match(messages(['podnet', 'exec', '--client', '--router', '--', 'id'])[0], /exactly one target: a POD, --node NODE, --wire, --client, --router/);
  });

  it('refuses other programs, lab up/down/run, demo, --lab and writing files', () => {
    assert.match(messages(['ip', 'addr'])[0], /must run podnet, not "ip"/);
    for (const sub of ['up', 'down', 'run']) assert.match(messages(['podnet', 'lab', sub])[0], new RegExp(`podnet lab ${sub} is not allowed`));
    assert.match(messages(['podnet', 'demo'])[0], /podnet demo is not allowed/);
    assert.match(messages(['podnet', 'topology', 'show'])[0], /podnet topology is not allowed/);
    assert.match(messages(['podnet', 'get', 'pods', '--lab', 'default'])[0], /--lab is set by the runner/);
    assert.match(messages(['podnet', 'exec', '--lab=x', 'pod-a', '--', 'id'])[0], /--lab is set by the runner/);
    assert.match(messages(['podnet', 'snapshot', '-o', '/etc/passwd'])[0], /would write a file/);
    assert.match(messages(['podnet', 'get', 'pods', '--kubeconfig', 'x'])[0], /podnet get has no option --kubeconfig/);
    assert.match(messages(['podnet', 'trace', 'pod-a', 'pod-c', '--snapshot', '../../etc/x.json'])[0], /uses "\.\."/);
  });

  it('reads options exactly as the CLI does: attached short values, --opt=value, and refuses what the CLI would', () => {
    for (const argv of [
      ['podnet', 'exec', 'pod-a', '-cweb', '--', 'ip', 'addr'], ['podnet', 'get', 'pods', '-owide'], ['podnet', 'get', 'pods', '--output=json'],
      ['podnet', 'lab', 'status', '-ojson'], ['podnet', 'trace', 'pod-a', 'pod-c', '--port=8080', '--proto=tcp'], ['podnet', 'pod', 'create', 'x', '--node=node1'],
    ]) assert.deepEqual(messages(argv), [], argv.join(' '));
    assert.deepEqual(run(['podnet', 'exec', 'pod-a', '-cweb', '--', 'id']).refs.pods, [{ name: 'pod-a', container: 'web', arg: 2 }]);
    assert.match(messages(['podnet', 'get', 'pods', '-owide', '-x'])[0], /podnet get has no option -x/);
    assert.match(messages(['podnet', 'trace', 'pod-a', 'pod-c', '--json=yes'])[0], /--json takes no value/);
    assert.match(messages(['podnet', 'snapshot', '-o/etc/passwd'])[0], /would write a file/);
    assert.match(messages(['podnet', 'exec', 'pod-a', '-i', '--', 'cat'])[0], /-i may not be used in an action: an action has no terminal input/);
    assert.match(messages(['podnet', 'lab', 'status', '--topology', 't.yaml'])[0], /--topology may not be used in an action: it only applies to lab up/);
  });

  it('knows every option of the CLI commands it allows (no copy to drift)', () => {
    for (const name of Object.keys(EXEC_OPTIONS).filter((n) => n !== 'stdin')) {
      assert.doesNotMatch(messages(['podnet', 'exec', 'pod-a', `--${name}`, 'v', '--', 'id']).join('\n'), /has no option/, name);
    }
    for (const [name, o] of Object.entries(GET_OPTIONS)) assert.deepEqual(messages(['podnet', 'get', 'pods', `--${name}`, ...(o.type === 'string' ? ['wide'] : [])]), [], name);
    for (const name of Object.keys(SERVICE_OPTIONS)) {
      assert.doesNotMatch(messages(['podnet', 'service', 'create', 'web', `--${name}`, 'v']).join('\n'), /has no option/, name);
    }
  });

  it('flags a shell inside the lab, and only then', () => {
    assert.equal(run(['podnet', 'exec', 'pod-a', '--', 'sh', '-c', 'ip addr; ip route']).usesShell, true);
    assert.equal(run(['podnet', 'exec', 'pod-a', '--', 'busybox', 'sh', '-c', 'id']).usesShell, true);
    assert.equal(run(['podnet', 'exec', 'pod-a', '-c', 'sidecar', '--', 'ip', 'addr']).usesShell, false);
  });

  it('collects what the argv names: Pods, nodes, endpoints, created Pods, placeholders', () => {
    const r = run(['podnet', 'exec', 'pod-a', '-c', 'web', '--', 'busybox', 'wget', '-qO-', 'http://{{ip:pod-c}}:8080/']);
    assert.deepEqual(r.refs.pods, [{ name: 'pod-a', container: 'web', arg: 2 }]);
    assert.deepEqual(r.refs.ips, [{ kind: 'ip', name: 'pod-c', arg: 9 }]);
    assert.deepEqual(run(['podnet', 'pod', 'create', 'duo', '--node', 'node1', '--container', 'web', '--container', 'helper:sleep']).refs.creates, { pod: 'duo', node: 'node1', containers: ['web', 'helper'], arg: 3 });
    assert.match(messages(['podnet', 'exec', 'pod-a', '--', 'ping', '{{pod-c}}'])[0], /unknown placeholder \{\{pod-c\}\}/);
  });

  it('in lab.yaml: each refusal at its word with the field path; a sh -c action parses with usesShell', () => {
    const yaml = `${HEAD}steps:\n  - id: s1\n    title: One\n    file: steps/a.md\n    actions:\n      - id: up\n        run: [podnet, lab, up]\n      - id: pipe\n        run: podnet exec pod-a -- ip addr | grep inet\n      - id: ip\n        run: [podnet, exec, pod-a, --, ping, '{{ip:pod-z}}']\n`;
    const errors = validateLabPack(makePack({ 'lab.yaml': yaml }));
    assert.deepEqual(errors.map((e) => [e.location.line, e.location.column, e.location.field]), [
      [posOf(yaml, 'up]').line, posOf(yaml, 'up]').column, 'steps[0].actions[0].run[2]'],
      [posOf(yaml, 'podnet exec pod-a -- ip').line, posOf(yaml, 'podnet exec pod-a -- ip').column, 'steps[0].actions[1].run'],
      [posOf(yaml, "'{{ip:pod-z}}'").line, posOf(yaml, "'{{ip:pod-z}}'").column, 'steps[0].actions[2].run[5]'],
    ], errors.map((e) => e.format()).join('\n'));
    assert.match(errors[1].message, /"\|" outside quotes/);
    assert.match(errors[2].message, /names 'pod-z'/);
    const shell = `${HEAD}steps:\n  - id: s1\n    title: One\n    file: steps/a.md\n    actions:\n      - id: both\n        run: podnet exec pod-a -- sh -c 'ip -4 addr; ip route'\n`;
    const action = parseLabPack(makePack({ 'lab.yaml': shell })).steps[0].actions[0];
    assert.deepEqual(action, { id: 'both', run: ['podnet', 'exec', 'pod-a', '--', 'sh', '-c', 'ip -4 addr; ip route'], usesShell: true });
  });

  it('a Pod created by an earlier action may be used later; before that it is unknown', () => {
    const yaml = (order: string) => `${HEAD}steps:\n  - id: s1\n    title: One\n    file: steps/a.md\n    actions:\n${order}`;
    const create = '      - {id: mk, run: podnet pod create web-2 --node node2}\n';
    const use = '      - {id: use, run: podnet exec web-2 -- ip addr}\n';
    assert.deepEqual(validateLabPack(makePack({ 'lab.yaml': yaml(create + use) })).map((e) => e.format()), []);
    const errors = validateLabPack(makePack({ 'lab.yaml': yaml(use + create) }));
    assert.equal(errors.length, 1);
    assert.equal(errors[0].location.field, 'steps[0].actions[0].run');
  });
});
