/** Lab packs and Services: {{clusterIP:SVC}}, {{nodePort:SVC}}, {{ip:}} of the outside client, the validator's view of Services, and kind's refusals. */
import { strict as assert } from 'node:assert';
import { kindIncompatibility } from '../../src/labs/kindCompat';
import { parseLabPack, validateLabPack } from '../../src/labs/parse';
import { fillCheck, fillPlaceholders, scanPlaceholders } from '../../src/labs/placeholders';
import type { LabStatus } from '../../src/providers/embedded/control/protocol';
import { makePack } from './helpers';

const status = {
  pods: [{ name: 'pod-a', ip: '10.244.1.2' }],
  nodes: [{ name: 'node1', ip: '192.168.1.100', podCIDR: '10.244.1.0/24' }],
  services: [
    { name: 'web', type: 'ClusterIP', clusterIP: '10.96.0.100', ports: [{ protocol: 'tcp', port: 80, targetPort: 8080 }], endpoints: [] },
    { name: 'web-np', type: 'NodePort', clusterIP: '10.96.0.101', ports: [{ protocol: 'tcp', port: 80, targetPort: 8080, nodePort: 30081 }], endpoints: [] },
  ],
  client: { name: 'outside', ip: '192.168.1.50', wirePort: 'w-client' },
} as unknown as LabStatus;

/** A pack with Services web (ClusterIP) and web-np (NodePort), an outside client, and the given steps. */
const pack = (steps: string) => makePack({
  'lab.yaml': `id: t
title: T
version: '1'
author: tests
minutes: 1
topology:
  nodes: [{name: node1}, {name: node2}]
  pods:
    - {name: pod-a, node: node1, labels: {app: web}}
    - {name: pod-c, node: node2, labels: {app: web}}
  services:
    - {name: web, selector: {app: web}, port: 80, targetPort: 8080}
    - {name: web-np, selector: {app: web}, port: 80, targetPort: 8080, type: NodePort}
  client: {}
steps:
  - id: s1
    title: One
    file: steps/a.md
${steps}`,
});

describe('lab placeholders and checks for Services', () => {
  it('fills a Service\'s ClusterIP and NodePort, and the outside client\'s address', () => {
    assert.deepEqual(fillPlaceholders(['http://{{clusterIP:web}}/', '{{ip:node1}}:{{nodePort:web-np}}', '{{ip:outside}}'], status),
      ['http://10.96.0.100/', '192.168.1.100:30081', '192.168.1.50']);
    assert.throws(() => fillPlaceholders(['{{nodePort:web}}'], status), /\{\{nodePort:web\}\} has no value: web is not in the lab right now/);
    assert.deepEqual(scanPlaceholders(['{{clusterIP:web}}', '{{nodePort:web-np}}']).refs.map((r) => r.kind), ['clusterIP', 'nodePort']);
    assert.deepEqual(fillCheck({ type: 'httpAnswer', from: 'outside', to: '{{ip:node1}}', sawSource: '{{ip:outside}}' }, status),
      { type: 'httpAnswer', from: 'outside', to: '192.168.1.100', sawSource: '192.168.1.50' });
  });

  it('validates Service checks and placeholders against the topology and the service create/delete actions before them', () => {
    const ok = pack(`    actions:
      - id: mk
        run: [podnet, service, create, extra, --selector, app=web, --port, '80']
      - id: get
        run: [podnet, exec, --client, --, busybox, wget, -qO-, 'http://{{ip:node1}}:{{nodePort:web-np}}/']
    checks:
      - {type: serviceEndpoints, service: extra, pods: [pod-a, pod-c]}
      - {type: serviceIpStable, service: web}
      - {type: httpAnswer, from: outside, to: web, answeredBy: [pod-a, pod-c], each: true, sawSource: outside}
      - {type: trace, from: outside, to: node1, proto: tcp, port: 30081, expect: {service: web-np, nat: dnat+snat}}
`);
    assert.deepEqual(validateLabPack(ok).map((e) => e.format()), []);
    assert.deepEqual(parseLabPack(ok).steps[0].checks[3], { type: 'trace', from: 'outside', to: 'node1', proto: 'tcp', port: 30081, expect: { service: 'web-np', nat: 'dnat+snat' } });
    const bad = pack(`    actions:
      - id: rm
        run: [podnet, service, delete, web]
      - id: get
        run: [podnet, exec, pod-a, --, busybox, wget, -qO-, 'http://{{clusterIP:web}}/']
    checks:
      - {type: serviceIpStable, service: web}
      - {type: serviceEndpoints, service: web-np, pods: [pod-z]}
      - {type: httpAnswer, from: pod-a, to: web-np, each: true}
      - {type: trace, from: pod-a, to: web-np, expect: {nat: snat}}
`);
    const errors = validateLabPack(bad).map((e) => `${e.location.field}: ${e.message}`).join('\n');
    assert.match(errors, /actions\[1\]\.run\[7\]: \{\{clusterIP:web\}\} names 'web', which is not a Service of this lab at this step/);
    assert.match(errors, /checks\[0\]\.service: Service 'web' is not in this lab at this step/);
    assert.match(errors, /checks\[1\]\.pods\[0\]: Pod 'pod-z' is not in this lab/);
    assert.match(errors, /checks\[2\]\.each: each: true needs answeredBy/);
    assert.match(errors, /checks\[3\]\.expect\.nat/);
  });

  it('refuses a Service check on a Service the topology does not start with, where a first ClusterIP is needed', () => {
    const p = pack(`    actions:
      - id: mk
        run: [podnet, service, create, extra, --pods, pod-a, --port, '80']
    checks:
      - {type: serviceIpStable, service: extra}
`);
    assert.match(validateLabPack(p).map((e) => e.message).join('\n'), /Service 'extra' is not in the topology, so it has no ClusterIP from the start/);
  });

  it('says why a pack with the outside client, subnets or a service action cannot run on kind (the topology\'s own Services can)', () => {
    const topology = { name: 't', network: { cidr: '192.168.1.0/24' }, clusterCIDR: '10.244.0.0/16', nodes: [], pods: [] };
    const step = (run: string[]) => [{ id: 's1', title: 'S', file: 'a.md', hints: [], checks: [], actions: [{ id: 'a1', run }] }];
    assert.match(kindIncompatibility({ topology: { ...topology, client: { name: 'outside', ip: '192.168.1.50' } }, steps: [] }) ?? '', /outside client/);
    assert.equal(kindIncompatibility({ topology: { ...topology, services: [{} as never] }, steps: [] }), undefined, 'lab run --kind makes the topology\'s Services');
    assert.match(kindIncompatibility({ topology: { ...topology, network: { ...topology.network, subnets: [] } }, steps: [] }) ?? '', /several subnets/);
    assert.match(kindIncompatibility({ topology, steps: step(['podnet', 'service', 'create', 'x', '--pods', 'pod-a', '--port', '80']) }) ?? '', /s1\/a1 runs podnet service create/);
    assert.match(kindIncompatibility({ topology, steps: step(['podnet', 'exec', '--client', '--', 'ip', 'route']) }) ?? '', /uses --client, the outside client/);
  });
});
