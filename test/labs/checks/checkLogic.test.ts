/** Check logic on a scripted lab, for outcomes a healthy embedded lab never produces (two containers of one Pod in different namespaces). */
import { strict as assert } from 'node:assert';
import { evaluateCheck } from '../../../src/labs/checks';
import type { LabRunState } from '../../../src/labs/state';
import type { ExecResult, LabStatus, PodInfo } from '../../../src/providers/embedded/control/protocol';
import type { LabProvider } from '../../../src/providers/provider';

function pod(name: string, ip: string, createdAt = '2025-01-01T00:00:00Z'): PodInfo {
  return {
    name, node: 'node1', ip, prefixLength: 24, gateway: '10.244.1.1', mac: '', hostVeth: '', status: 'Running', sandboxId: name, createdAt,
    containers: [{ name: 'web', workload: 'web', port: 8080, pid: 11, state: 'running' }, { name: 'sidecar', workload: 'sidecar', pid: 12, state: 'running' }],
  };
}

/** A provider whose status and exec answers are scripted. */
function scripted(pods: PodInfo[], exec: (argv: string[]) => Partial<ExecResult> | Promise<never>): LabProvider {
  const status = { lab: 't', state: 'running', rootless: false, sandboxPid: 1, startedAt: '', topology: { name: 't', network: { cidr: '192.168.1.0/24' }, clusterCIDR: '10.244.0.0/16', nodes: [], pods: [] }, nodes: [], pods, wireBridge: 'wire' } as LabStatus;
  return {
    kind: 'embedded',
    status: async () => status,
    exec: async (_t, argv) => ({ code: 0, stdout: '', stderr: '', timedOut: false, ...(await exec(argv)) }),
    addPod: async () => assert.fail('not used'),
    deletePod: async () => assert.fail('not used'),
    close: () => undefined,
  };
}

const state = (): LabRunState => ({ initialPods: new Map([['pod-c', { ip: '10.244.2.2', node: 'node2', createdAt: '2025-01-01T00:00:00Z' }]]), outputs: new Map() });

describe('check logic (scripted lab)', () => {
  it('sharedNetns fails when the two containers report different namespace inodes', async () => {
    const lab = scripted([pod('pod-a', '10.244.1.2')], () => ({ stdout: 'net:[4026532300]\nnet:[4026532399]\n' }));
    assert.deepEqual(await evaluateCheck({ type: 'sharedNetns', pod: 'pod-a', containers: ['web', 'sidecar'] }, { lab, state: state() }), {
      passed: false,
      message: 'web is in net:[4026532300] but sidecar is in net:[4026532399]: the two containers of pod-a are in different network namespaces, so they do not share an IP or localhost.',
    });
  });

  it('ipChangedAfterRecreate tells a Pod never re-created from one re-created with the same IP', async () => {
    const same = scripted([pod('pod-c', '10.244.2.2', '2025-01-01T00:05:00Z')], () => ({}));
    assert.match((await evaluateCheck({ type: 'ipChangedAfterRecreate', pod: 'pod-c' }, { lab: same, state: state() })).message, /was created again but got 10\.244\.2\.2 back/);
    assert.match((await evaluateCheck({ type: 'ipChangedAfterRecreate', pod: 'pod-x' }, { lab: same, state: state() })).message, /pod-x was not in the lab when it started/);
  });

  it('a check that throws or hangs fails with a sentence instead of breaking the run', async () => {
    const broken = scripted([pod('pod-a', '10.244.1.2')], () => Promise.reject(new Error('the lab connection closed')));
    assert.deepEqual(await evaluateCheck({ type: 'podIpInCidr', pod: 'pod-a', cidr: '10.244.1.0/24' }, { lab: broken, state: state() }), { passed: false, message: 'The check could not look at the lab: the lab connection closed' });
    const hung = scripted([pod('pod-a', '10.244.1.2')], () => new Promise<never>(() => undefined));
    assert.deepEqual(await evaluateCheck({ type: 'podIpInCidr', pod: 'pod-a', cidr: '10.244.1.0/24' }, { lab: hung, state: state() }, 50), { passed: false, message: 'The check took longer than 0.05 s and was stopped; is the lab still running?' });
  });
});
