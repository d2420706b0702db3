/** The per-node `cni` choice in the topology format: bridge (default), kind-style ptp, or Flannel-style vxlan. */
import { strict as assert } from 'node:assert';
import { parseTopology, topologyToYaml, validateTopologyText } from '../../src/model/topologySpec';

describe('topology nodes[].cni', () => {
  it('defaults to no explicit choice (the cbr0 bridge) and accepts ptp and vxlan', () => {
    const t = parseTopology('nodes:\n  - name: node1\n  - name: kind1\n    cni: ptp\n  - name: flan1\n    cni: vxlan\n');
    assert.equal(t.nodes[0].cni, undefined);
    assert.equal(t.nodes[1].cni, 'ptp');
    assert.equal(t.nodes[2].cni, 'vxlan');
    assert.deepEqual(parseTopology(topologyToYaml(t)).nodes.map((n) => n.cni), [undefined, 'ptp', 'vxlan'], 'survives a round trip');
  });

  it('rejects an unknown plugin with its line, field and the choices', () => {
    const [err] = validateTopologyText('nodes:\n  - name: node1\n    cni: flannel\n', 'f.yaml');
    assert.equal(err.location.field, 'nodes[0].cni');
    assert.equal(err.location.line, 3);
    assert.match(err.format(), /f\.yaml:3:\d+: nodes\[0\]\.cni: .*"flannel".*\(use bridge .*, ptp .* or vxlan/);
  });
});
