import { strict as assert } from 'node:assert';
import {
  broadcastAddress,
  cidrContains,
  cidrSize,
  cidrWithin,
  cidrsOverlap,
  firstAddress,
  formatCIDR,
  formatIPv4,
  hostCount,
  lastAddress,
  nthHost,
  parseCIDR,
  parseIPv4,
  prefixMask,
  subnet,
} from '../../src/model/cidr';

describe('cidr', () => {
  describe('parseIPv4 / formatIPv4', () => {
    it('parses dotted quads into unsigned numbers, including addresses above 2^31', () => {
      assert.equal(parseIPv4('0.0.0.0'), 0);
      assert.equal(parseIPv4('10.244.1.2'), 0x0af40102);
      assert.equal(parseIPv4('192.168.1.100'), 0xc0a80164);
      assert.equal(parseIPv4('255.255.255.255'), 0xffffffff);
    });

    it('round-trips through formatIPv4 without going negative', () => {
      for (const s of ['0.0.0.0', '1.2.3.4', '128.0.0.0', '192.168.1.255', '255.255.255.255']) {
        assert.equal(formatIPv4(parseIPv4(s)), s);
      }
    });

    it('rejects anything that is not a strict dotted quad', () => {
      for (const s of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.04', '1.2.3.-1', ' 1.2.3.4', '1.2.3.4 ', '1.2.3.4\n', 'a.b.c.d', '1..3.4', '1.2.3.4/24']) {
        assert.throws(() => parseIPv4(s), /invalid IPv4 address/, `should reject ${JSON.stringify(s)}`);
      }
    });

    it('formatIPv4 rejects numbers that are not 32-bit addresses', () => {
      assert.throws(() => formatIPv4(-1));
      assert.throws(() => formatIPv4(2 ** 32));
      assert.throws(() => formatIPv4(1.5));
    });
  });

  describe('parseCIDR', () => {
    it('parses network and prefix', () => {
      assert.deepEqual(parseCIDR('10.244.0.0/16'), { network: parseIPv4('10.244.0.0'), prefix: 16 });
      assert.deepEqual(parseCIDR('0.0.0.0/0'), { network: 0, prefix: 0 });
      assert.deepEqual(parseCIDR('192.168.1.7/32'), { network: parseIPv4('192.168.1.7'), prefix: 32 });
      assert.equal(formatCIDR(parseCIDR('200.1.2.0/23')), '200.1.2.0/23');
    });

    it('rejects host bits and names the CIDR to use instead', () => {
      assert.throws(() => parseCIDR('10.244.1.5/24'), /host bits are set; use 10\.244\.1\.0\/24/);
      assert.throws(() => parseCIDR('192.168.1.1/0'), /use 0\.0\.0\.0\/0/);
    });

    it('rejects malformed CIDRs and names the value', () => {
      for (const s of ['10.0.0.0', '10.0.0.0/33', '10.0.0.0/024', '10.0.0.0/', '/24', '10.0.0/8', '10.0.0.0/8/8', '10.0.0.0/-1']) {
        assert.throws(() => parseCIDR(s), (e: Error) => e.message.includes(`'${s}'`), `should reject ${s}`);
      }
    });
  });

  it('prefixMask handles /0 and /32 without shift wrap-around', () => {
    assert.equal(prefixMask(0), 0);
    assert.equal(prefixMask(1), 0x80000000);
    assert.equal(prefixMask(24), 0xffffff00);
    assert.equal(prefixMask(32), 0xffffffff);
  });

  it('cidrSize and broadcastAddress', () => {
    assert.equal(cidrSize('10.244.1.0/24'), 256);
    assert.equal(cidrSize('0.0.0.0/0'), 2 ** 32);
    assert.equal(formatIPv4(broadcastAddress('10.244.1.0/24')), '10.244.1.255');
    assert.equal(formatIPv4(broadcastAddress('0.0.0.0/0')), '255.255.255.255');
  });

  it('cidrContains includes both ends of the block and nothing beyond', () => {
    assert.ok(cidrContains('10.244.1.0/24', '10.244.1.0'));
    assert.ok(cidrContains('10.244.1.0/24', '10.244.1.255'));
    assert.ok(!cidrContains('10.244.1.0/24', '10.244.2.0'));
    assert.ok(!cidrContains('10.244.1.0/24', '10.244.0.255'));
    assert.ok(cidrContains('128.0.0.0/1', '255.255.255.255'));
    assert.ok(cidrContains(parseCIDR('0.0.0.0/0'), parseIPv4('8.8.8.8')));
  });

  it('cidrsOverlap is true for nesting and shared addresses, false for neighbours', () => {
    assert.ok(cidrsOverlap('10.244.0.0/16', '10.244.3.0/24'));
    assert.ok(cidrsOverlap('10.244.3.0/24', '10.244.0.0/16'));
    assert.ok(cidrsOverlap('10.0.0.0/8', '10.0.0.0/8'));
    assert.ok(!cidrsOverlap('10.244.1.0/24', '10.244.2.0/24'));
    assert.ok(!cidrsOverlap('192.168.1.0/24', '10.244.0.0/16'));
  });

  it('cidrWithin requires the whole inner block to be inside', () => {
    assert.ok(cidrWithin('10.244.1.0/24', '10.244.0.0/16'));
    assert.ok(cidrWithin('10.244.0.0/16', '10.244.0.0/16'));
    assert.ok(!cidrWithin('10.244.0.0/16', '10.244.1.0/24'));
    assert.ok(!cidrWithin('10.245.0.0/24', '10.244.0.0/16'));
    assert.ok(!cidrWithin('10.0.0.0/8', '10.244.0.0/16'));
  });

  it('hostCount leaves out network, gateway and broadcast', () => {
    assert.equal(hostCount('10.244.1.0/24'), 253);
    assert.equal(hostCount('10.244.0.0/23'), 509);
    assert.equal(hostCount('10.244.0.0/16'), 65533);
    assert.equal(hostCount('10.244.1.0/30'), 1);
    assert.equal(hostCount('10.244.1.0/31'), 0);
    assert.equal(hostCount('10.244.1.1/32'), 0);
  });

  it('nthHost counts from the address after the network and stops before broadcast', () => {
    assert.equal(formatIPv4(nthHost('192.168.1.0/24', 1)), '192.168.1.1');
    assert.equal(formatIPv4(nthHost('192.168.1.0/24', 100)), '192.168.1.100');
    assert.equal(formatIPv4(nthHost('192.168.1.0/24', 254)), '192.168.1.254');
    assert.throws(() => nthHost('192.168.1.0/24', 0), /no host number 0/);
    assert.throws(() => nthHost('192.168.1.0/24', 255), /no host number 255/);
    assert.throws(() => nthHost('192.168.1.0/24', 1.5));
  });

  it('firstAddress is the gateway and lastAddress the one before broadcast', () => {
    assert.equal(formatIPv4(firstAddress('10.244.1.0/24')), '10.244.1.1');
    assert.equal(formatIPv4(lastAddress('10.244.1.0/24')), '10.244.1.254');
    assert.equal(formatIPv4(lastAddress('128.0.0.0/1')), '255.255.255.254');
  });

  it('subnet picks the index-th block of a given size', () => {
    assert.equal(formatCIDR(subnet('10.244.0.0/16', 24, 0)), '10.244.0.0/24');
    assert.equal(formatCIDR(subnet('10.244.0.0/16', 24, 2)), '10.244.2.0/24');
    assert.equal(formatCIDR(subnet('10.244.0.0/16', 24, 255)), '10.244.255.0/24');
    assert.equal(formatCIDR(subnet('128.0.0.0/1', 2, 1)), '192.0.0.0/2');
    assert.throws(() => subnet('10.244.0.0/16', 24, 256), /no \/24 block number 256/);
    assert.throws(() => subnet('10.244.0.0/16', 8, 0));
  });
});
