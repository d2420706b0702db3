/** Service checks on a scripted lab: the verdicts for outcomes a healthy lab gives only by chance (one endpoint answering 20 times) or not at all. */
import { strict as assert } from 'node:assert';
import { evaluateCheck } from '../../../src/labs/checks';
import type { LabRunState } from '../../../src/labs/state';
import type { ExecResult, LabStatus, ServiceInfo } from '../../../src/providers/embedded/control/protocol';
import type { LabProvider } from '../../../src/providers/provider';

const web = (endpoints: [string, string][], clusterIP = '10.96.0.100'): ServiceInfo => ({
  name: 'web', type: 'ClusterIP', clusterIP, externalTrafficPolicy: 'Cluster', ports: [{ protocol: 'tcp', port: 80, targetPort: 8080 }],
  endpoints: endpoints.map(([pod, ip]) => ({ pod, ip, ready: true, ports: [{ protocol: 'tcp', port: 8080 }] })),
});

/** A lab with pod-a, pod-b, pod-c, the Service `svc`, and GETs answered by `answers` in turn (a string: that failure). */
function scripted(svc: ServiceInfo, answers: (string | { pod: string; sawSource: string })[]): { lab: LabProvider; gets: string[] } {
  const pods = [['pod-a', '10.244.1.2'], ['pod-b', '10.244.1.3'], ['pod-c', '10.244.2.3']].map(([name, ip]) => ({ name, ip, node: 'node1', containers: [] }));
  const status = { pods, nodes: [{ name: 'node1', ip: '192.168.1.100', bridgeIP: '10.244.1.1' }], services: [svc], client: { name: 'outside', ip: '192.168.1.50' } } as unknown as LabStatus;
  const gets: string[] = [];
  let i = 0;
  const lab = {
    status: async () => status,
    exec: async (_t: unknown, argv: string[]): Promise<ExecResult> => {
      gets.push(argv[argv.length - 1]);
      const a = answers[Math.min(i++, answers.length - 1)];
      if (typeof a === 'string') return { code: 1, stdout: '', stderr: a, timedOut: false };
      return { code: 0, stdout: JSON.stringify({ ...a, container: 'web', sawSourcePort: 40000 }), stderr: '', timedOut: false };
    },
  } as unknown as LabProvider;
  return { lab, gets };
}

const state = (services: [string, string][] = [['web', '10.96.0.100']]): LabRunState => ({ initialPods: new Map(), initialServices: new Map(services), outputs: new Map() });

describe('Service checks (scripted lab)', () => {
  it('serviceEndpoints passes for exactly the listed Pods at their current IPs, and names the missing and the extra ones', async () => {
    const ctx = (svc: ServiceInfo) => ({ lab: scripted(svc, []).lab, state: state() });
    assert.equal((await evaluateCheck({ type: 'serviceEndpoints', service: 'web', pods: ['pod-a', 'pod-c'] }, ctx(web([['pod-a', '10.244.1.2'], ['pod-c', '10.244.2.3']])))).passed, true);
    const stale = await evaluateCheck({ type: 'serviceEndpoints', service: 'web', pods: ['pod-a', 'pod-c'] }, ctx(web([['pod-a', '10.244.1.2'], ['pod-c', '10.244.2.2']])));
    assert.deepEqual([stale.passed, /pod-c \(10\.244\.2\.3\) is missing/.test(stale.message)], [false, true], stale.message);
    const extra = await evaluateCheck({ type: 'serviceEndpoints', service: 'web', pods: ['pod-a'] }, ctx(web([['pod-a', '10.244.1.2'], ['pod-c', '10.244.2.3']])));
    assert.match(extra.message, /10\.244\.2\.3 is there too, beyond pod-a/);
    assert.match((await evaluateCheck({ type: 'serviceEndpoints', service: 'nope', pods: ['pod-a'] }, ctx(web([])))).message, /There is no Service named nope in the lab right now \(it has: web\)/);
  });

  it('serviceIpStable fails when the ClusterIP changed or the Service was not there at the start', async () => {
    const { lab } = scripted(web([], '10.96.0.105'), []);
    assert.match((await evaluateCheck({ type: 'serviceIpStable', service: 'web' }, { lab, state: state() })).message, /web now has the ClusterIP 10\.96\.0\.105 instead of 10\.96\.0\.100/);
    assert.match((await evaluateCheck({ type: 'serviceIpStable', service: 'web' }, { lab, state: state([]) })).message, /web was not in the lab when it started/);
    assert.equal((await evaluateCheck({ type: 'serviceIpStable', service: 'web' }, { lab: scripted(web([]), []).lab, state: state() })).passed, true);
  });

  it('httpAnswer with each keeps asking until every listed Pod answered, and fails after 20 answers from one', async () => {
    const both = scripted(web([]), [{ pod: 'pod-a', sawSource: '10.244.1.3' }, { pod: 'pod-a', sawSource: '10.244.1.3' }, { pod: 'pod-c', sawSource: '10.244.1.3' }]);
    const ok = await evaluateCheck({ type: 'httpAnswer', from: 'pod-b', to: 'web', answeredBy: ['pod-a', 'pod-c'], each: true, sawSource: 'pod-b' }, { lab: both.lab, state: state() });
    assert.deepEqual([ok.passed, both.gets.length, both.gets[0]], [true, 3, 'http://10.96.0.100:80/'], ok.message);
    const one = scripted(web([]), [{ pod: 'pod-a', sawSource: '10.244.1.3' }]);
    const bad = await evaluateCheck({ type: 'httpAnswer', from: 'pod-b', to: 'web', answeredBy: ['pod-a', 'pod-c'], each: true }, { lab: one.lab, state: state() });
    assert.deepEqual([bad.passed, one.gets.length], [false, 20]);
    assert.match(bad.message, /never by pod-c \(pod-a 20\)/);
  });

  it('httpAnswer names the source a masquerade left, and passes expect: false only when nothing answers', async () => {
    const ctx = (answers: Parameters<typeof scripted>[1]) => ({ lab: scripted(web([]), answers).lab, state: state() });
    const masq = await evaluateCheck({ type: 'httpAnswer', from: 'outside', to: 'node1', port: 30080, sawSource: 'outside' }, ctx([{ pod: 'pod-c', sawSource: '192.168.1.100' }]));
    assert.match(masq.message, /pod-c saw the request come from 192\.168\.1\.100 \(node1's address\), not from outside \(192\.168\.1\.50\)/);
    assert.equal((await evaluateCheck({ type: 'httpAnswer', from: 'outside', to: 'node1', port: 30080, expect: false }, ctx(['wget: download timed out']))).passed, true);
    const answered = await evaluateCheck({ type: 'httpAnswer', from: 'outside', to: 'node1', port: 30080, expect: false }, ctx([{ pod: 'pod-c', sawSource: '192.168.1.50' }]));
    assert.match(answered.message, /was answered, but this step expects no answer/);
    assert.match((await evaluateCheck({ type: 'httpAnswer', from: 'outside', to: 'node1' }, ctx([]))).message, /No port is given for node1/);
  });
});
