import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { parseTopology, topologyToYaml, validateTopologyText } from '../../src/model/topologySpec';
import { listErrors } from './specAssert';

const DOC = readFileSync(join(__dirname, '../../docs/topology.md'), 'utf8');
const SCHEMA = JSON.parse(readFileSync(join(__dirname, '../../schemas/lab.schema.json'), 'utf8'));
/** The lab pack schema's topology part (what editors check a pack's `topology:` with). */
const topologySchema = new Ajv({ allErrors: true, strict: false }).compile({ definitions: SCHEMA.definitions, $ref: '#/definitions/topology' });

/** Every ```yaml block of docs/topology.md that is a whole topology (it has `nodes:`). */
function examples(): string[] {
  return [...DOC.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((m) => m[1]).filter((text) => /^nodes:/m.test(text));
}

describe('docs/topology.md examples', () => {
  it('every whole-topology YAML example in the docs is valid', () => {
    const list = examples();
    assert.ok(list.length >= 4, `found ${list.length} examples`);
    for (const text of list) assert.deepEqual(validateTopologyText(text), [], `${text}\n${listErrors(validateTopologyText(text))}`);
  });

  it('the Services example gives what its comments say', () => {
    const text = examples().find((e) => e.includes('web-outside'));
    assert.ok(text, 'the Services example is there');
    const t = parseTopology(text);
    assert.deepEqual(t.services?.map((s) => [s.name, s.clusterIP, s.port, s.targetPort, s.nodePort]), [['web', '10.96.0.100', 80, 8080, undefined], ['web-outside', '10.96.0.101', 8080, 8080, 30081]]);
    assert.deepEqual(t.client, { name: 'outside', ip: '192.168.1.50' });
  });

  it('the two-subnet vxlan example gives what its comments say', () => {
    const text = examples().find((e) => e.includes('subnets:'));
    assert.ok(text, 'the subnets example is there');
    const t = parseTopology(text);
    assert.deepEqual(t.network.subnets?.map((s) => s.routerIP), ['192.168.1.1', '192.168.2.1']);
    assert.deepEqual(t.nodes.map((n) => [n.ip, n.subnet, n.cni]), [['192.168.1.100', 'left', 'vxlan'], ['192.168.2.100', 'right', 'vxlan']]);
    assert.deepEqual(t.client, { name: 'outside', ip: '192.168.1.50', subnet: 'left' });
  });

  it('the lab pack schema accepts every example and its fully-defaulted form, and refuses what the parser refuses', () => {
    for (const text of examples()) {
      assert.ok(topologySchema(parse(text)), `${text}\n${JSON.stringify(topologySchema.errors)}`);
      assert.ok(topologySchema(parse(topologyToYaml(parseTopology(text)))), JSON.stringify(topologySchema.errors));
    }
    const base = { nodes: [{ name: 'n1' }], pods: [{ name: 'p', node: 'n1', labels: { app: 'web' } }] };
    const svc = { name: 'web', port: 80 };
    for (const bad of [
      { ...base, services: [{ ...svc, selector: { app: 'web' }, pods: ['p'] }] },
      { ...base, services: [svc] },
      { ...base, services: [{ ...svc, pods: ['p'], nodePort: 80 }] },
      { ...base, services: [{ ...svc, pods: ['p'], protocol: 'SCTP' }] },
      { ...base, pods: [{ name: 'p', node: 'n1', labels: { '-x': 'y' } }] },
      { ...base, nodes: [{ name: 'n1', cni: 'calico' }] },
      { ...base, network: { subnets: [] } },
    ]) {
      assert.equal(topologySchema(bad), false, JSON.stringify(bad));
      assert.notDeepEqual(validateTopologyText(JSON.stringify(bad)), [], `the parser refuses it too: ${JSON.stringify(bad)}`);
    }
  });
});
