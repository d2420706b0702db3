import { strict as assert } from 'node:assert';
import { UsageError } from '../../src/cli/cliError';
import { extractClusterOptions, namespaceOption } from '../../src/cli/clusterArgs';

describe('cluster options on the command line', () => {
  it('takes --context, --kubeconfig, -n and -A from before or after the command, in both = and space forms', () => {
    assert.deepEqual(extractClusterOptions(['--context', 'kind-lab', 'get', 'pods', '-o', 'wide', '-n', 'web']), {
      rest: ['get', 'pods', '-o', 'wide'], cluster: { context: 'kind-lab', namespace: 'web', allNamespaces: false, yes: false },
    });
    const after = extractClusterOptions(['get', 'pods', '-A', '--kubeconfig=/tmp/kc', '--context=x']);
    assert.deepEqual(after.rest, ['get', 'pods']);
    assert.deepEqual(after.cluster, { kubeconfig: '/tmp/kc', context: 'x', allNamespaces: true, yes: false });
    assert.equal(namespaceOption(after.cluster!), 'all');
  });

  it('leaves the embedded lab alone: no cluster without --context/--kubeconfig, whatever $KUBECONFIG says', () => {
    assert.deepEqual(extractClusterOptions(['get', 'pods', '--lab', 'x']), { rest: ['get', 'pods', '--lab', 'x'] });
  });

  it('never takes options from the command after --', () => {
    const r = extractClusterOptions(['exec', 'pod-a', '--context', 'c', '--', 'ping', '-n', '-A', '--context', 'x']);
    assert.deepEqual(r.rest, ['exec', 'pod-a', '--', 'ping', '-n', '-A', '--context', 'x']);
    assert.equal(r.cluster?.context, 'c');
  });

  it('reads --debug-pods with and without an image, and --yes only alongside it', () => {
    assert.equal(extractClusterOptions(['snapshot', '--context', 'c', '--debug-pods']).cluster?.debugPods, true);
    const r = extractClusterOptions(['snapshot', '--context', 'c', '--debug-pods=busybox:1.36', '--yes']);
    assert.equal(r.cluster?.debugPods, 'busybox:1.36');
    assert.equal(r.cluster?.yes, true);
    assert.deepEqual(extractClusterOptions(['lab', 'run', 'pack', '--yes']).rest, ['lab', 'run', 'pack', '--yes'], 'another command keeps its own --yes');
  });

  it('refuses cluster-only options without a cluster, a missing value, and -n with -A', () => {
    assert.throws(() => extractClusterOptions(['get', 'pods', '-n', 'web']), (e: unknown) => e instanceof UsageError && /add --context CTX or --kubeconfig FILE/.test(e.message));
    assert.throws(() => extractClusterOptions(['get', 'pods', '--context']), /--context needs a value/);
    assert.throws(() => extractClusterOptions(['get', '--context', '-A']), /--context needs a value/);
    assert.throws(() => extractClusterOptions(['get', '--context', 'c', '-n', 'a', '-A']), /either -n NS or -A/);
  });
});
