/** The temporary nftables tables that mark a probe for tracing in one namespace, and their removal. */
import { OBSERVATION_CHAINS, TRACE_TABLE } from './traceEvents';
import type { TraceProto } from '../types';

// Marking chains run first (before conntrack and NAT); observing chains run last, so they see NATed headers.
const MARK_PRIORITY = -350;
const OBSERVE_PRIORITY = 300;

/**
 * The nft match that selects the probe's first packet. `ipLength` (ICMP, UDP: the probe's size is chosen per trace)
 * keeps a concurrent trace's probes unmarked; it survives NAT and forwarding, unlike an address.
 */
export function probeMatch(proto: TraceProto, ports: number[], ipLength?: number): string {
  const length = ipLength === undefined ? '' : ` ip length ${ipLength}`;
  if (proto === 'icmp') return `icmp type echo-request${length}`;
  const set = `{ ${[...new Set(ports)].join(', ')} }`;
  return proto === 'tcp' ? `tcp dport ${set} tcp flags & (syn | ack) == syn` : `udp dport ${set}${length}`;
}

function table(family: 'inet' | 'bridge', name: string, match: string): string {
  const chains = Object.entries(OBSERVATION_CHAINS)
    .filter(([, hook]) => family === 'inet' || hook !== 'input')
    .map(([chain, hook]) => {
      const marks = hook === 'prerouting' || hook === 'output';
      return `  chain ${chain} { type filter hook ${hook} priority ${marks ? MARK_PRIORITY : OBSERVE_PRIORITY}; ${marks ? `${match} meta nftrace set 1; ` : ''}}`;
    });
  // Declaring then deleting first clears a table a crashed trace may have left.
  return [`table ${family} ${name}`, `delete table ${family} ${name}`, `table ${family} ${name} {`, ...chains, '}'].join('\n');
}

/** Table name for one trace run. */
export function traceTableName(runId: string): string {
  return `${TRACE_TABLE}_${runId}`;
}

/** The nft script (for `nft -f -`) that installs the marking and observing chains. */
export function installScript(name: string, proto: TraceProto, ports: number[], ipLength?: number): string {
  const match = probeMatch(proto, ports, ipLength);
  return `${table('inet', name, match)}\n${table('bridge', name, match)}\n`;
}
