import { strict as assert } from 'node:assert';
import { parseFdb } from '../../src/snapshot/parseFdb';
import { normaliseDst, parseJsonArray, parseLinks, parseNeighbors, parseRoutes, parseRules } from '../../src/snapshot/parseIp';

// Output captured from iproute2 6.1 in a throwaway namespace (`unshare -n`) and on a lab node.
const RULES = '[{"priority":0,"src":"all","table":"local"},{"priority":100,"src":"all","action":"unreachable"},{"priority":200,"src":"10.0.0.0","srclen":8,"dst":"10.1.0.0","dstlen":16,"fwmark":"0x10","iif":"lo","table":"100"},{"priority":32766,"src":"all","table":"main"}]';
const ROUTES = '[{"dst":"10.8.0.0/16","dev":"lo","table":"100","scope":"link","metric":5,"flags":[]},{"dst":"default","gateway":"127.0.0.2","dev":"lo","flags":[]},{"type":"blackhole","dst":"10.9.0.0/16","flags":[]},{"type":"local","dst":"127.0.0.1","dev":"lo","table":"local","protocol":"kernel","scope":"host","prefsrc":"127.0.0.1","flags":[]},{"type":"local","dst":"127.0.0.0/8","dev":"lo","table":"local","protocol":"kernel","scope":"host","prefsrc":"127.0.0.1","flags":[]}]';
const FDB = '[{"mac":"33:33:00:00:00:01","ifname":"cbr0","flags":["self"],"state":"permanent"},{"mac":"f2:79:78:20:ce:94","ifname":"vethb4b600d4","flags":[],"master":"cbr0","state":""},{"mac":"be:0c:87:ae:a8:2f","ifname":"cbr0","flags":[],"master":"cbr0","state":"permanent"}]';

describe('ip -j parsers', () => {
  it('normalises route destinations to CIDRs', () => {
    assert.equal(normaliseDst('default'), '0.0.0.0/0');
    assert.equal(normaliseDst('10.244.1.2'), '10.244.1.2/32');
    assert.equal(normaliseDst('10.244.0.0/16'), '10.244.0.0/16');
  });

  it('keeps type, table, gateway, metric and sorts routes by table, dst (numerically), metric', () => {
    assert.deepEqual(parseRoutes(parseJsonArray(ROUTES)), [
      { table: '100', type: 'unicast', dst: '10.8.0.0/16', dev: 'lo', scope: 'link', metric: 5 },
      { table: 'local', type: 'local', dst: '127.0.0.0/8', dev: 'lo', protocol: 'kernel', scope: 'host', prefsrc: '127.0.0.1' },
      { table: 'local', type: 'local', dst: '127.0.0.1/32', dev: 'lo', protocol: 'kernel', scope: 'host', prefsrc: '127.0.0.1' },
      { table: 'main', type: 'unicast', dst: '0.0.0.0/0', gateway: '127.0.0.2', dev: 'lo' },
      { table: 'main', type: 'blackhole', dst: '10.9.0.0/16' },
    ]);
  });

  it('reads rules: selectors as CIDRs, "all" left out, an action rule with an empty table', () => {
    assert.deepEqual(parseRules(parseJsonArray(RULES)), [
      { priority: 0, table: 'local' },
      { priority: 100, table: '', action: 'unreachable' },
      { priority: 200, table: '100', src: '10.0.0.0/8', dst: '10.1.0.0/16', iif: 'lo', fwmark: '0x10' },
      { priority: 32766, table: 'main' },
    ]);
  });

  it('keeps every fdb entry with ifname as dev, dropping empty state and flags, sorted by dev then mac', () => {
    assert.deepEqual(parseFdb(parseJsonArray(FDB)), [
      { mac: '33:33:00:00:00:01', dev: 'cbr0', state: 'permanent', flags: ['self'] },
      { mac: 'be:0c:87:ae:a8:2f', dev: 'cbr0', master: 'cbr0', state: 'permanent' },
      { mac: 'f2:79:78:20:ce:94', dev: 'vethb4b600d4', master: 'cbr0' },
    ]);
  });

  it('classifies links and keeps link_index only for veths', () => {
    const links = parseLinks([
      { ifindex: 3, ifname: 'cbr0', flags: ['UP'], mtu: 1500, operstate: 'UP', address: 'be:0c:87:ae:a8:2f', linkinfo: { info_kind: 'bridge' } },
      { ifindex: 4, ifname: 'eth0.10', flags: [], mtu: 1500, operstate: 'DOWN', address: 'be:0c:87:ae:a8:30', link_index: 2, linkinfo: { info_kind: 'vlan' } },
    ]);
    assert.deepEqual(links, [
      { link: { ifindex: 3, name: 'cbr0', kind: 'bridge', mac: 'be:0c:87:ae:a8:2f', mtu: 1500, state: 'UP', up: true } },
      { link: { ifindex: 4, name: 'eth0.10', kind: 'other', mac: 'be:0c:87:ae:a8:30', mtu: 1500, state: 'DOWN', up: false } },
    ]);
  });

  it('reads neighbours with their MAC and state, sorted by device then IP', () => {
    assert.deepEqual(parseNeighbors(parseJsonArray('[{"dst":"192.168.1.101","dev":"eth0","lladdr":"12:0c:32:ed:11:20","state":["REACHABLE"]},{"dst":"10.244.1.10","dev":"cbr0","state":["FAILED"]},{"dst":"10.244.1.3","dev":"cbr0","lladdr":"46:7f:e4:57:ba:c5","state":["DELAY"]}]')), [
      { ip: '10.244.1.3', dev: 'cbr0', mac: '46:7f:e4:57:ba:c5', state: ['DELAY'] },
      { ip: '10.244.1.10', dev: 'cbr0', state: ['FAILED'] },
      { ip: '192.168.1.101', dev: 'eth0', mac: '12:0c:32:ed:11:20', state: ['REACHABLE'] },
    ]);
  });
});
