import { strict as assert } from 'node:assert';
import { bridgeConflist, findBridgePlugin, peerRouteCommands } from '../../../src/providers/kind/bridgeCni';

describe('bridge mode node set-up', () => {
  it('writes a conflist for cbr0 as the gateway, host-local over the node podCIDR, a default route, no masquerade', () => {
    const conf = JSON.parse(bridgeConflist('10.244.1.0/24')) as { name: string; plugins: Record<string, unknown>[] };
    const bridge = conf.plugins[0];
    assert.equal(bridge.type, 'bridge');
    assert.equal(bridge.bridge, 'cbr0');
    assert.equal(bridge.isGateway, true);
    assert.equal(bridge.ipMasq, false);
    assert.deepEqual(bridge.ipam, { type: 'host-local', ranges: [[{ subnet: '10.244.1.0/24' }]], routes: [{ dst: '0.0.0.0/0' }] });
  });

  it('routes every other node podCIDR via that node InternalIP, skipping itself and nodes without a CIDR', () => {
    const nodes = [
      { name: 'cp', internalIP: '172.18.0.2', podCIDR: '10.244.0.0/24' },
      { name: 'w1', internalIP: '172.18.0.3', podCIDR: '10.244.1.0/24' },
      { name: 'w2', internalIP: '172.18.0.4', podCIDR: '10.244.2.0/24' },
      { name: 'new', internalIP: '172.18.0.5', podCIDR: '' },
    ];
    assert.deepEqual(peerRouteCommands('w1', nodes), [
      ['ip', 'route', 'replace', '10.244.0.0/24', 'via', '172.18.0.2'],
      ['ip', 'route', 'replace', '10.244.2.0/24', 'via', '172.18.0.4'],
    ]);
  });
});

describe('finding the host bridge plugin', () => {
  it('prefers Debian\'s path, falls back to /opt/cni/bin, and says none when neither exists', () => {
    assert.equal(findBridgePlugin((p) => p === '/usr/lib/cni/bridge' || p === '/opt/cni/bin/bridge'), '/usr/lib/cni/bridge');
    assert.equal(findBridgePlugin((p) => p === '/opt/cni/bin/bridge'), '/opt/cni/bin/bridge');
    assert.equal(findBridgePlugin(() => false), undefined);
  });
});
