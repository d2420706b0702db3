/** Address ranges no lab network or Pod can use (loopback, multicast, link-local, 0.0.0.0/8, 240.0.0.0/4) are refused where they are written. */
import { strict as assert } from 'node:assert';
import { validateTopologyText } from '../../src/model/topologySpec';

const y = (...lines: string[]) => `${lines.join('\n')}\n`;

/** The errors of `text`, formatted as the CLI prints them. */
const errorsOf = (text: string) => validateTopologyText(text, 'lab.yaml').map((e) => e.format());

const RANGES = [
  ['loopback', '127.0.0.0/16', '127.0.0.0/8'],
  ['multicast', '224.1.0.0/16', '224.0.0.0/4'],
  ['link-local', '169.254.0.0/16', '169.254.0.0/16'],
  ['"this network"', '0.0.0.0/16', '0.0.0.0/8'],
  ['reserved', '240.0.0.0/16', '240.0.0.0/4'],
] as const;

describe('unusable address ranges in a topology', () => {
  for (const [name, cidr, range] of RANGES) {
    const said = new RegExp(`${range.replace(/[./]/g, '\\$&')}`);

    it(`network.cidr in the ${name} range ${range} is refused at its line and column`, () => {
      const ip = cidr.replace(/0\/16$/, '10');
      const errors = errorsOf(y('network:', `  cidr: ${cidr}`, 'nodes:', '  - name: node1', `    ip: ${ip}`));
      const e = errors.find((m) => m.startsWith('lab.yaml:2:9: network.cidr: '));
      assert.ok(e, errors.join('\n'));
      assert.match(e, said);
      assert.match(e, /no lab network or Pod can use/);
    });

    it(`clusterCIDR in the ${name} range is refused at its line`, () => {
      const errors = errorsOf(y(`clusterCIDR: ${cidr}`, 'nodes:', '  - name: node1'));
      assert.ok(errors.some((m) => m.startsWith('lab.yaml:1:14: clusterCIDR: ') && said.test(m)), errors.join('\n'));
    });

    it(`a node podCIDR in the ${name} range is refused at its line`, () => {
      const pod = cidr.replace(/\/16$/, '/24');
      const errors = errorsOf(y(`clusterCIDR: ${cidr}`, 'nodes:', '  - name: node1', `    podCIDR: ${pod}`));
      assert.ok(errors.some((m) => m.startsWith('lab.yaml:4:14: nodes[0].podCIDR: ') && said.test(m)), errors.join('\n'));
    });

    it(`dockerHost.bridgeCIDR in the ${name} range is refused at its line`, () => {
      const errors = errorsOf(y('nodes:', '  - name: node1', 'dockerHost:', `  bridgeCIDR: ${cidr}`));
      assert.ok(errors.some((m) => m.startsWith('lab.yaml:4:15: dockerHost.bridgeCIDR: ') && said.test(m)), errors.join('\n'));
    });
  }

  it('a range that only contains an unusable one is refused too (0.0.0.0/0 holds them all)', () => {
    const errors = errorsOf(y('network: {cidr: 0.0.0.0/0}', 'nodes: [{name: node1, ip: 10.0.0.1}]'));
    assert.ok(errors.some((m) => /network\.cidr: .*0\.0\.0\.0\/8/.test(m)), errors.join('\n'));
  });

  it('the usual private ranges stay valid', () => {
    assert.deepEqual(errorsOf(y('network: {cidr: 172.16.0.0/16}', 'clusterCIDR: 10.8.0.0/14', 'nodes: [{name: a}, {name: b}]', 'dockerHost: {bridgeCIDR: 192.168.100.0/24}')), []);
  });
});
