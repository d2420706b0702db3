/** schemas/lab.schema.json (draft-07, for editors via yamlValidation) agrees with the validator on good and bad packs. */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { CHECK_TYPES } from '../../src/labs/readCheck';
import { FIXTURES, REPO } from './helpers';

const schema = JSON.parse(readFileSync(join(REPO, 'schemas/lab.schema.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = ajv.compile(schema);
/** The schema's verdict (a plain boolean, so the document keeps its type). */
const validate = Object.assign((doc: unknown): boolean => compiled(doc), { get errors() { return compiled.errors; } });
const mini = () => parse(readFileSync(join(FIXTURES, 'mini/lab.yaml'), 'utf8'));

describe('lab.yaml JSON schema', () => {
  it('is draft-07 and accepts every built-in pack and the fixtures', () => {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    const packs = [...readdirSync(join(REPO, 'labs')).map((d) => join(REPO, 'labs', d, 'lab.yaml')), join(FIXTURES, 'mini/lab.yaml'), join(FIXTURES, 'failing/lab.yaml')];
    for (const file of packs) assert.ok(validate(parse(readFileSync(file, 'utf8'))), `${file}: ${JSON.stringify(validate.errors)}`);
  });

  it('describes every check type with exactly the keys the validator takes', () => {
    const variants = schema.definitions.check.oneOf as { properties: Record<string, { const?: string }> }[];
    const bySchema = Object.fromEntries(variants.map((v) => [v.properties.type.const, Object.keys(v.properties).filter((k) => k !== 'type' && k !== 'title').sort()]));
    const byValidator = Object.fromEntries(Object.entries(CHECK_TYPES).map(([t, d]) => [t, [...d.keys].sort()]));
    assert.deepEqual(bySchema, byValidator);
    assert.deepEqual(schema.definitions.check.properties.type.enum, Object.keys(CHECK_TYPES));
  });

  it('takes the topology fields of docs/topology.md, nodes[].cni and dockerHost included', () => {
    const doc = mini();
    doc.topology.nodes[1].cni = 'ptp';
    doc.topology.dockerHost = { containers: [{ name: 'web-a', publish: 8081 }] };
    assert.ok(validate(doc), JSON.stringify(validate.errors));
    doc.topology.nodes[1].cni = 'calico';
    assert.equal(validate(doc), false);
  });

  it('rejects what the validator rejects: an unknown check type, a non-podnet or lab up action, unknown keys, a missing id', () => {
    const cases: [string, (d: ReturnType<typeof mini>) => void][] = [
      ['unknown check type', (d) => d.steps[0].checks.push({ type: 'podHasIp', pod: 'pod-a' })],
      ['a key of another check type', (d) => d.steps[0].checks.push({ type: 'uniquePodIps', pod: 'pod-a' })],
      ['a non-podnet argv', (d) => (d.steps[0].actions[0].run = ['ip', 'addr'])],
      ['podnet lab up as a string', (d) => (d.steps[0].actions[0].run = 'podnet lab up')],
      ['podnet demo', (d) => (d.steps[0].actions[0].run = ['podnet', 'demo'])],
      ['an unknown step key', (d) => (d.steps[0].colour = 'blue')],
      ['a step file outside the pack', (d) => (d.steps[0].file = '../x.md')],
      ['no id', (d) => delete d.id],
      ['an unknown topology key', (d) => (d.topology.podCidr = '10.0.0.0/16')],
    ];
    for (const [what, change] of cases) {
      const doc = mini();
      change(doc);
      assert.equal(validate(doc), false, what);
    }
  });
});
