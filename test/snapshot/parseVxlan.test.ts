import { strict as assert } from 'node:assert';
import { parseFdb } from '../../src/snapshot/parseFdb';
import { parseJsonArray, parseLinks } from '../../src/snapshot/parseIp';

// Captured from iproute2 6.1 in a throwaway namespace (`unshare -n`): flannel.1 made as the lab makes it, and one FDB entry on it.
const FLANNEL = '[{"ifindex":4,"ifname":"flannel.1","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1450,"qdisc":"noqueue","operstate":"UNKNOWN",'
  + '"linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"0e:f1:c0:a8:01:64","broadcast":"ff:ff:ff:ff:ff:ff","promiscuity":0,'
  + '"allmulti":0,"min_mtu":68,"max_mtu":65535,"linkinfo":{"info_kind":"vxlan","info_data":{"id":1,"local":"192.168.1.100","link":"eth0",'
  + '"port_range":{"low":0,"high":0},"port":8472,"learning":false,"ttl":0,"df":"unset","ageing":300,"udp_csum":true,"udp_zero_csum6_tx":false,'
  + '"udp_zero_csum6_rx":false}},"inet6_addr_gen_mode":"eui64","num_tx_queues":1,"num_rx_queues":1}]';
const FDB = '[{"mac":"33:33:00:00:00:01","ifname":"eth0","flags":["self"],"state":"permanent"},'
  + '{"mac":"0e:f1:c0:a8:02:64","ifname":"flannel.1","dst":"192.168.2.100","flags":["self"],"state":"permanent"},'
  + '{"mac":"0e:f1:c0:a8:03:64","ifname":"flannel.1","dst":"192.168.3.100","flags":["self"],"state":"permanent"}]';

describe('ip -j / bridge -j parsers: VXLAN devices and their FDB', () => {
  it('reads a vxlan link as kind vxlan with its VNI, UDP port, local VTEP, underlay device and learning off', () => {
    const [parsed] = parseLinks(parseJsonArray(FLANNEL));
    assert.deepEqual(parsed, {
      link: {
        ifindex: 4, name: 'flannel.1', kind: 'vxlan', mac: '0e:f1:c0:a8:01:64', mtu: 1450, state: 'UNKNOWN', up: true,
        vxlan: { id: 1, port: 8472, local: '192.168.1.100', dev: 'eth0', learning: false },
      },
    });
    assert.deepEqual(Object.keys(parsed.link.vxlan!), ['id', 'port', 'local', 'dev', 'learning'], 'the schema order');
  });

  it('takes learning as on when iproute2 does not print it, a port of 0 as the kernel default 8472, and no VNI as no vxlan details', () => {
    const links = parseLinks([
      { ifindex: 5, ifname: 'vx0', flags: [], mtu: 1500, operstate: 'DOWN', address: 'aa:bb:cc:dd:ee:ff', linkinfo: { info_kind: 'vxlan', info_data: { id: 42, port: 0 } } },
      { ifindex: 6, ifname: 'vx1', flags: [], mtu: 1500, operstate: 'DOWN', address: 'aa:bb:cc:dd:ee:fe', linkinfo: { info_kind: 'vxlan', info_data: { local: 'x' } } },
      { ifindex: 7, ifname: 'vx2', flags: [], mtu: 1500, operstate: 'DOWN', address: 'aa:bb:cc:dd:ee:fd', linkinfo: { info_kind: 'vxlan', info_data: 'garbage' } },
    ]);
    assert.deepEqual(links[0].link.vxlan, { id: 42, port: 8472, learning: true });
    assert.equal(links[1].link.kind, 'vxlan');
    assert.equal(links[1].link.vxlan, undefined);
    assert.equal(links[2].link.vxlan, undefined);
  });

  it('keeps the remote VTEP of each vxlan FDB entry as dst, and no dst on ordinary entries', () => {
    assert.deepEqual(parseFdb(parseJsonArray(FDB)), [
      { mac: '33:33:00:00:00:01', dev: 'eth0', state: 'permanent', flags: ['self'] },
      { mac: '0e:f1:c0:a8:02:64', dev: 'flannel.1', state: 'permanent', flags: ['self'], dst: '192.168.2.100' },
      { mac: '0e:f1:c0:a8:03:64', dev: 'flannel.1', state: 'permanent', flags: ['self'], dst: '192.168.3.100' },
    ]);
  });
});
