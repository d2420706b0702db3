/** The probe commands (busybox first, then the tools a cluster node may have) and how to tell a missing program. */
import type { TraceResult } from '../types';
import { programMissing } from '../../util/exec';

/** A probe: the argv sent from the source namespace, its stdin, and what it sends in words. */
export interface Probe {
  argv: string[];
  input?: string;
  label: string;
}

/** IP header (20) plus ICMP or UDP header (8). */
const HEADERS = 28;
const ICMP_DEFAULT_DATA = 56;
const UDP_TEXT = 'podnet probe\n';

/** A probe size for one trace (0..199 extra bytes, from the trace's random id), so its packets can be told from a concurrent trace's. */
export function probeExtraBytes(runId: string): number {
  return parseInt(runId.slice(0, 4), 16) % 200;
}

/** The IP total length of the probe's first packet, when the probe's size is chosen (ICMP, UDP); undefined for TCP. */
export function probeIpLength(proto: TraceResult['request']['proto'], extra: number): number | undefined {
  if (proto === 'icmp') return HEADERS + ICMP_DEFAULT_DATA + extra;
  if (proto === 'udp') return HEADERS + UDP_TEXT.length + extra;
  return undefined;
}

/** The probe with busybox first, then the same probe with tools a node without busybox may have (kind nodes: ping, curl). */
export function probeAlternatives(t: TraceResult, extra = 0): Probe[] {
  const { to, proto, port } = t.request;
  if (proto === 'icmp') {
    const label = `one ICMP echo to ${to.ip}`;
    const size = String(ICMP_DEFAULT_DATA + extra);
    return [['busybox', 'ping'], ['ping']].map((p) => ({ argv: [...p, '-c', '1', '-W', '1', '-s', size, to.ip], label }));
  }
  const url = `http://${to.ip}:${port}/`;
  if (proto === 'tcp') {
    const label = `an HTTP GET to ${to.ip}:${port}`;
    // No -T for busybox wget: Debian's busybox crashes on it; the exec timeout ends a probe nobody answers.
    return [['busybox', 'wget', '-q', '-O', '-', url], ['curl', '-s', '-S', '-m', '2', url], ['wget', '-q', '-O', '-', '-T', '2', url]].map((argv) => ({ argv, label }));
  }
  const label = `one UDP datagram to ${to.ip}:${port}`;
  const input = `${'.'.repeat(extra)}${UDP_TEXT}`;
  const nc = [['busybox', 'nc'], ['nc']].map((p) => ({ argv: [...p, '-u', '-w', '1', to.ip, String(port)], input, label }));
  // Without a UDP-capable nc (Debian's busybox nc has no -u; the lab's Pods have only busybox), bash's /dev/udp sends the
  // datagram: a fixed script, the address and port as its arguments (never part of the script). It waits for no answer.
  const bash = { argv: ['bash', '-c', 'exec cat > "/dev/udp/$1/$2"', 'podnet-udp-probe', to.ip, String(port)], input, label };
  return [...nc, bash];
}

/** True when a probe program cannot send this probe: missing, or built without the option (Debian's busybox nc has no -u). */
export function probeUnusable(res: { code: number; stderr: string }): boolean {
  return programMissing(res) || (res.code !== 0 && /invalid option|unrecognized option|unknown option/i.test(res.stderr));
}
