import { strict as assert } from 'node:assert';
import { UsageError } from '../../../src/cli/cliError';
import { EXEC_TARGETS, joinArgv, targetFrom } from '../../../src/cli/commands/exec';
import type { ExecRoute } from '../../../src/providers/embedded/control/protocol';

const NSENTER = '/usr/bin/nsenter';
const ROUTE: ExecRoute = { sandboxPid: 4242, rootless: false, netns: '/run/podnet/demo.state/ns/pod-a/net', utsns: '/run/podnet/demo.state/ns/pod-a/uts', env: {} };

describe('podnet exec', () => {
  describe('joinArgv', () => {
    it('as root enters the sandbox mount and PID namespaces, then the target net and uts namespaces, then runs the command', () => {
      assert.deepEqual(joinArgv(NSENTER, ROUTE, ['ip', 'addr']), [
        NSENTER, '-t', '4242', '--mount', '--pid', '--',
        NSENTER, `--net=${ROUTE.netns}`, `--uts=${ROUTE.utsns}`, '--',
        'ip', 'addr',
      ]);
    });

    it('rootless also joins the sandbox user namespace, keeping our credentials', () => {
      const argv = joinArgv(NSENTER, { ...ROUTE, rootless: true }, ['id']);
      assert.deepEqual(argv.slice(0, 5), [NSENTER, '-t', '4242', '--user', '--preserve-credentials']);
      const second = argv.indexOf(NSENTER, 1);
      assert.ok(argv.indexOf('--user') < second, 'the user namespace is joined by the first nsenter');
      assert.ok(!joinArgv(NSENTER, ROUTE, ['id']).includes('--user'), 'not as root');
    });

    it('puts the target namespaces after the second nsenter and the command last, untouched', () => {
      const command = ['sh', '-c', 'echo "$POD_NAME" -- --net=x'];
      const argv = joinArgv(NSENTER, ROUTE, command);
      const second = argv.indexOf(NSENTER, 1);
      assert.ok(second > 0);
      assert.deepEqual(argv.slice(second + 1, second + 4), [`--net=${ROUTE.netns}`, `--uts=${ROUTE.utsns}`, '--']);
      assert.ok(argv.indexOf(`--net=${ROUTE.netns}`) > second, 'the first nsenter does not switch network namespace');
      assert.deepEqual(argv.slice(-command.length), command);
      assert.equal(argv.length, second + 4 + command.length);
    });
  });
});

describe('podnet exec targets', () => {
  it('--client and --router name the outside client and the router', () => {
    assert.deepEqual(targetFrom({ client: true }, []), { kind: 'client' });
    assert.deepEqual(targetFrom({ router: true }, []), { kind: 'router' });
    assert.deepEqual(targetFrom({}, ['pod-a']), { kind: 'pod', pod: 'pod-a', container: undefined });
  });

  it('refuses none or two targets, naming every target there is', () => {
    for (const [values, positionals] of [[{}, []], [{ client: true, router: true }, []], [{ client: true }, ['pod-a']], [{ router: true, node: 'node1' }, []]] as const) {
      assert.throws(() => targetFrom(values, [...positionals]), (e: unknown) => e instanceof UsageError && e.message === `name exactly one target: ${EXEC_TARGETS}`);
    }
    assert.match(EXEC_TARGETS, /--client, --router/);
  });
});
