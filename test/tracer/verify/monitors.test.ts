/** Reading which sockets listen for nftables trace events, from /proc/net/netlink as the kernel prints it. */
import { strict as assert } from 'node:assert';
import { traceSockets } from '../../../src/tracer/verify/monitors';

// Recorded in a lab namespace while `nft monitor trace` ran (pid 5667), beside other netlink sockets.
const RECORDED = `sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode
00000000964be835 0   0          00000000 0        0        0     2        0        2005882 
00000000fc7253c6 12  0          00000000 0        0        0     2        0        2005889 
00000000dde805de 12  5667       00000100 1280     0        0     2        0        2005904 
00000000aaaaaaaa 12  5668       00000002 0        0        0     2        0        2005905 
0000000086105b78 15  0          00000000 0        0        0     2        0        2005885 
`;

describe('traceSockets', () => {
  it('finds the one netfilter socket subscribed to trace events, with its port id and unread bytes', () => {
    assert.deepEqual(traceSockets(RECORDED), [{ portid: 5667, inode: '2005904', rmem: 1280 }]);
  });

  it('sees no listener where nobody subscribed (another netfilter group does not count)', () => {
    assert.deepEqual(traceSockets(RECORDED.split('\n').filter((l) => !l.includes('5667')).join('\n')), []);
  });
});
