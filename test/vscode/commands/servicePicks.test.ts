/** Create Service's picks: selectors from Pod labels or names, name and port checks, the suggested targetPort. */
import { strict as assert } from 'node:assert';
import type { LabStatus, PodInfo } from '../../../src/providers/embedded/control/protocol';
import {
  portProblem, selectorChoices, selectorFrom, serviceNameProblem, serviceRequest, suggestedTargetPort,
} from '../../../src/vscode/commands/servicePicks';

const pod = (name: string, labels: Record<string, string>, port = 8080): PodInfo => ({
  name, node: 'node1', ip: `10.244.1.${name.length}`, hostVeth: '', status: 'Running', labels,
  containers: [{ name: 'web', workload: 'web', port, state: 'running' }],
} as unknown as PodInfo);

const pods = [pod('pod-a', { app: 'web', tier: 'front' }), pod('pod-b', { app: 'web' }), pod('pod-c', { app: 'db' }, 5432)];
const st = { pods, services: [{ name: 'web' }] } as unknown as LabStatus;

describe('Create Service picks', () => {
  it('offers each distinct label with the Pods carrying it, then every Pod', () => {
    const c = selectorChoices(pods);
    assert.deepEqual(c.filter((x) => x.kind === 'label').map((x) => x.kind === 'label' && `${x.key}=${x.value} ${x.pods.join('+')}`), ['app=db pod-c', 'app=web pod-a+pod-b', 'tier=front pod-a']);
    assert.deepEqual(c.filter((x) => x.kind === 'pod').map((x) => x.kind === 'pod' && x.pod), ['pod-a', 'pod-b', 'pod-c']);
  });

  it('makes a label selector (all must match) or a Pod list, and refuses mixing them or one key twice', () => {
    const c = selectorChoices(pods);
    const label = (k: string, v: string) => c.find((x) => x.kind === 'label' && x.key === k && x.value === v)!;
    const byPod = (n: string) => c.find((x) => x.kind === 'pod' && x.pod === n)!;
    assert.deepEqual(selectorFrom([label('app', 'web'), label('tier', 'front')]), { labels: { app: 'web', tier: 'front' } });
    assert.deepEqual(selectorFrom([byPod('pod-a'), byPod('pod-c')]), { pods: ['pod-a', 'pod-c'] });
    assert.match(selectorFrom([label('app', 'web'), byPod('pod-c')]) as string, /labels or Pods, not both/);
    assert.match(selectorFrom([label('app', 'web'), label('app', 'db')]) as string, /app picked twice/);
    assert.match(selectorFrom([]) as string, /at least one/);
  });

  it('checks the name (DNS label, not taken) and the port (1-65535)', () => {
    assert.equal(serviceNameProblem('api', st), undefined);
    assert.match(serviceNameProblem('web', st)!, /exists already/);
    assert.match(serviceNameProblem('Web_1', st)!, /DNS label/);
    assert.equal(portProblem('80'), undefined);
    assert.ok(portProblem('0') && portProblem('65536') && portProblem('8o'));
  });

  it('suggests the selected Pods\' container port as targetPort, none when they differ', () => {
    assert.equal(suggestedTargetPort(st, { labels: { app: 'web' } }), 8080);
    assert.equal(suggestedTargetPort(st, { pods: ['pod-c'] }), 5432);
    assert.equal(suggestedTargetPort(st, { pods: ['pod-a', 'pod-c'] }), undefined);
    assert.deepEqual(serviceRequest('api', { pods: ['pod-a'] }, '80', '8080', 'NodePort'), { name: 'api', selector: { pods: ['pod-a'] }, port: 80, targetPort: 8080, type: 'NodePort' });
  });
});
