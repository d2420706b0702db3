/** Prefixes as the kernel prints them are read as the kernel means them; user input keeps its strict parser. */
import { strict as assert } from 'node:assert';
import { parseCIDR } from '../../src/model/cidr';
import { canonicalPrefix, kernelCidr, kernelPrefixContains } from '../../src/tracer/kernelCidr';

describe('kernelCidr (kernel output, not user input)', () => {
  it('accepts a prefix with host bits set, as `ip rule` prints `from 10.244.1.5/24`, and masks them', () => {
    assert.deepEqual(kernelCidr('10.244.1.5/24'), parseCIDR('10.244.1.0/24'));
    assert.equal(canonicalPrefix('10.244.1.5/24'), '10.244.1.0/24');
    assert.equal(kernelPrefixContains('10.244.1.5/24', '10.244.1.200'), true);
    assert.equal(kernelPrefixContains('10.244.1.5/24', '10.244.2.1'), false);
  });

  it('reads a bare address as /32 and default/all as 0.0.0.0/0', () => {
    assert.equal(kernelPrefixContains('10.0.0.7', '10.0.0.7'), true);
    assert.equal(kernelPrefixContains('10.0.0.7', '10.0.0.8'), false);
    assert.equal(kernelPrefixContains('default', '8.8.8.8'), true);
    assert.equal(kernelPrefixContains('all', '1.2.3.4'), true);
  });

  it('still refuses text that is no IPv4 prefix at all, saying it came from the kernel', () => {
    assert.throws(() => kernelCidr('10.0.0.0/33'), /kernel printed a prefix PodNet cannot read: '10\.0\.0\.0\/33'/);
    assert.throws(() => kernelCidr('10.0.0/24'), /not IPv4/);
  });

  it('leaves the user-input parser strict', () => {
    assert.throws(() => parseCIDR('10.244.1.5/24'), /host bits are set/);
  });
});
