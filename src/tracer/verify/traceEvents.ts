/** Parses `nft monitor trace` output into per-packet events (where the packet was, its headers) and verdicts. */
import type { PacketHeaders } from '../types';

/** One packet seen by a traced chain. */
export interface TraceEvent {
  namespace: string;
  traceId: string;
  family: string;
  table: string;
  chain: string;
  /** The hook, known for our own observation chains (t_pre ... t_post). */
  hook?: string;
  iif?: string;
  oif?: string;
  headers: Partial<PacketHeaders>;
  icmpId?: number;
  icmpSeq?: number;
  /** The IP total length (`ip length`), which tells one trace's sized probe from another's. */
  ipLength?: number;
}

/** A rule that decided a traced packet's fate (e.g. a drop). */
export interface TraceVerdict {
  namespace: string;
  traceId: string;
  family: string;
  table: string;
  chain: string;
  rule: string;
  verdict: string;
}

/** Prefix of the table PodNet adds to a namespace while it observes a probe (a per-trace suffix keeps traces apart). */
export const TRACE_TABLE = 'podnet_trace';

/** Our observation chains and the hook each sits on. */
export const OBSERVATION_CHAINS: Record<string, string> = { t_pre: 'prerouting', t_in: 'input', t_fwd: 'forward', t_out: 'output', t_post: 'postrouting' };

const LINE = /^trace id (\S+) (\S+) (\S+) (\S+) (packet: (.*)|rule (.*) \(verdict (\w+)\)|verdict (\w+)|policy (\w+))\s*$/;

function field(text: string, re: RegExp): string | undefined {
  return re.exec(text)?.[1];
}

function numberField(text: string, re: RegExp): number | undefined {
  const v = field(text, re);
  return v === undefined ? undefined : Number(v);
}

/** Parses the `packet:` part of a trace line into headers. */
export function parsePacket(text: string): Pick<TraceEvent, 'iif' | 'oif' | 'headers' | 'icmpId' | 'icmpSeq' | 'ipLength'> {
  const proto = field(text, /\bip protocol (\w+)/) as PacketHeaders['proto'] | undefined;
  const sport = numberField(text, /\b(?:tcp|udp) sport (\d+)/);
  const dport = numberField(text, /\b(?:tcp|udp) dport (\d+)/);
  return {
    iif: field(text, /\biif "([^"]+)"/),
    oif: field(text, /\boif "([^"]+)"/),
    headers: {
      srcIP: field(text, /\bip saddr (\S+)/),
      dstIP: field(text, /\bip daddr (\S+)/),
      ttl: numberField(text, /\bip ttl (\d+)/),
      srcMAC: field(text, /\bether saddr (\S+)/),
      dstMAC: field(text, /\bether daddr (\S+)/),
      ...(proto ? { proto } : {}),
      ...(sport !== undefined ? { srcPort: sport } : {}),
      ...(dport !== undefined ? { dstPort: dport } : {}),
    },
    icmpId: numberField(text, /\bicmp id (\d+)/),
    icmpSeq: numberField(text, /\bicmp sequence (\d+)/),
    ipLength: numberField(text, /\bip length (\d+)/),
  };
}

/** Parses everything one namespace's `nft monitor trace` printed. */
export function parseTraceOutput(namespace: string, output: string): { events: TraceEvent[]; verdicts: TraceVerdict[] } {
  const events: TraceEvent[] = [];
  const verdicts: TraceVerdict[] = [];
  for (const line of output.split('\n')) {
    const m = LINE.exec(line.trim());
    if (!m) continue;
    const [, traceId, family, table, chain, , packet, ruleText, ruleVerdict, , policy] = m;
    if (packet !== undefined) {
      events.push({
        namespace, traceId, family, table, chain, hook: table.startsWith(TRACE_TABLE) ? OBSERVATION_CHAINS[chain] : undefined, ...parsePacket(packet),
      });
    } else if (ruleText !== undefined && ruleVerdict !== 'continue') {
      verdicts.push({ namespace, traceId, family, table, chain, rule: ruleText, verdict: ruleVerdict });
    } else if (policy === 'drop') {
      verdicts.push({ namespace, traceId, family, table, chain, rule: 'policy drop', verdict: 'drop' });
    }
  }
  return { events, verdicts };
}
