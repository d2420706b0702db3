import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kindIncompatibility } from '../../src/labs/kindCompat';
import { parseTopology } from '../../src/model/topologySpec';
import type { LabPack } from '../../src/labs/types';

const withServices = parseTopology(readFileSync(join(__dirname, '../fixtures/kind/services-topology.yaml'), 'utf8'));
const step = (run: string[]): LabPack['steps'] => [{ id: 's1', title: 'S', file: 'a.md', hints: [], checks: [], actions: [{ id: 'a1', title: 'A', run }] }] as never;

describe('which packs run on kind, now that lab run --kind makes the topology\'s Services', () => {
  it('takes a pack whose topology has Services (ClusterIP and NodePort, by labels or by names)', () => {
    assert.equal(kindIncompatibility({ topology: withServices, steps: step(['podnet', 'get', 'svc']) }), undefined);
  });

  it('refuses an outside client, subnets joined by a router, and a podnet service action, each with why', () => {
    const client = { ...withServices, client: { name: 'outside', ip: '192.168.1.50' } };
    assert.match(kindIncompatibility({ topology: client, steps: [] }) ?? '', /outside client, a machine on the node network that is no node/);
    const subnets = { ...withServices, network: { ...withServices.network, subnets: [] } };
    assert.match(kindIncompatibility({ topology: subnets, steps: [] }) ?? '', /several subnets joined by a router/);
    assert.match(kindIncompatibility({ topology: withServices, steps: step(['podnet', 'service', 'create', 'web2']) }) ?? '', /action s1\/a1 runs podnet service create, which changes Services only in the embedded lab/);
    assert.match(kindIncompatibility({ topology: withServices, steps: step(['podnet', 'exec', '--client', '--', 'ip', 'route']) }) ?? '', /uses --client, the outside client/);
  });
});
