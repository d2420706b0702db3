import { strict as assert } from 'node:assert';
import type { ExecResult, ExecTarget, LabStatus } from '../../src/providers/embedded/control/protocol';
import type { LabProvider } from '../../src/providers/provider';
import { readIpBatch, readSysctlBatch, splitJsonDocuments } from '../../src/snapshot/collectBatch';
import type { NamespaceTarget } from '../../src/snapshot/collectExec';

/** A provider that answers every exec with one canned result and records the stdin it was given. */
function answering(res: Partial<ExecResult>): LabProvider & { inputs: (string | undefined)[] } {
  const inputs: (string | undefined)[] = [];
  return {
    kind: 'kube', inputs,
    status: () => Promise.resolve({} as LabStatus),
    exec: (_t: ExecTarget, _argv: string[], opts?: { input?: string }) => {
      inputs.push(opts?.input);
      return Promise.resolve({ code: 0, stdout: '', stderr: '', timedOut: false, ...res });
    },
    addPod: () => Promise.reject(new Error('not used')),
    deletePod: () => Promise.reject(new Error('not used')),
    close: () => undefined,
  } as LabProvider & { inputs: (string | undefined)[] };
}
const NS: NamespaceTarget = { id: 'node/n1', kind: 'node', name: 'n1', target: { kind: 'node', node: 'n1' } };

describe('collectBatch: several tables per process', () => {
  it('splits ip -batch output into its JSON documents, brackets and quotes inside strings included', () => {
    const text = '[{"a":"]["}]\n[]\n[{"b":"\\"}{"},{"c":[1,[2]]}]\n[]\n';
    assert.deepEqual(splitJsonDocuments(text), ['[{"a":"]["}]', '[]', '[{"b":"\\"}{"},{"c":[1,[2]]}]', '[]']);
  });

  it('refuses output that is not a clean run of documents (truncated, junk between, a stray bracket)', () => {
    assert.throws(() => splitJsonDocuments('[{"a":1}]\n[{"b":'), /ends inside a document/);
    assert.throws(() => splitJsonDocuments('[]\nCommand failed -:2\n[]'), /unexpected "C" between documents/);
    assert.throws(() => splitJsonDocuments('[]]'), /unexpected "]"/);
  });

  it('sends the four ip commands on stdin and returns their documents; any other count means: use single commands', async () => {
    const four = answering({ stdout: '[]\n[]\n[]\n[]\n' });
    assert.deepEqual(await readIpBatch(four, NS), ['[]', '[]', '[]', '[]']);
    assert.equal(four.inputs[0], 'addr show\nroute show table all root 0.0.0.0/0\nrule show\nneigh show\n');
    assert.equal(await readIpBatch(answering({ stdout: '[]\n[]\n' }), NS), undefined);
    assert.equal(await readIpBatch(answering({ code: 1, stdout: '[]\n', stderr: 'Command failed -:2' }), NS), undefined);
  });

  it('reads forwarding and bridge-netfilter from one cat, and a missing bridge-nf file as bridged frames skipping the IP hooks', async () => {
    assert.deepEqual(await readSysctlBatch(answering({ stdout: '1\n1\n' }), NS), { forwarding: '1', bridgeNetfilter: true });
    assert.deepEqual(await readSysctlBatch(answering({ stdout: '1\n0\n' }), NS), { forwarding: '1', bridgeNetfilter: false });
    const noModule = answering({ code: 1, stdout: '0\n', stderr: 'cat: /proc/sys/net/bridge/bridge-nf-call-iptables: No such file or directory\n' });
    assert.deepEqual(await readSysctlBatch(noModule, NS), { forwarding: '0', bridgeNetfilter: false });
  });

  it('leaves anything else to the single commands (a failing first file, odd values, cat missing)', async () => {
    assert.equal(await readSysctlBatch(answering({ code: 1, stdout: '', stderr: 'cat: /proc/sys/net/ipv4/ip_forward: Permission denied' }), NS), undefined);
    assert.equal(await readSysctlBatch(answering({ stdout: '1\nyes\n' }), NS), undefined);
    assert.equal(await readSysctlBatch(answering({ code: 127, stdout: '', stderr: 'cat: not found' }), NS), undefined);
  });
});
