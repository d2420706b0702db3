/** Sends a real probe along a predicted path and records, per hop, whether and how the kernel saw it (nft tracing). */
import { randomBytes } from 'node:crypto';
import type { LabProvider } from '../../providers/provider';
import type { Snapshot } from '../../snapshot/types';
import { sleep } from '../../util/concurrency';
import type { TraceResult, Verification } from '../types';
import { execTargetFor } from './namespaceTarget';
import { observeHops } from './observe';
import { type TraceEvent, type TraceVerdict, parseTraceOutput } from './traceEvents';
import { installScript, removeScript, traceTableName } from './traceTables';
import { summarize } from './verdicts';

/** When the probe goes out after the monitors start, per attempt: a busy machine gets a second, slower try. */
export const PROBE_DELAYS_MS = [250, 800];
/** How long the monitors keep listening after the probe went out. */
export const LISTEN_AFTER_PROBE_MS = 650;

/** argv of the probe sent from the source namespace. */
export function probeArgv(t: TraceResult): { argv: string[]; input?: string; label: string } {
  const { to, proto, port } = t.request;
  if (proto === 'icmp') return { argv: ['busybox', 'ping', '-c', '1', '-W', '1', to.ip], label: `one ICMP echo to ${to.ip}` };
  if (proto === 'tcp') return { argv: ['busybox', 'wget', '-q', '-O', '-', `http://${to.ip}:${port}/`], label: `an HTTP GET to ${to.ip}:${port}` };
  return { argv: ['busybox', 'nc', '-u', '-w', '1', to.ip, String(port)], input: 'podnet probe\n', label: `one UDP datagram to ${to.ip}:${port}` };
}

function destinationPorts(t: TraceResult): number[] {
  const ports = t.hops.map((h) => h.headers.dstPort).filter((p): p is number => p !== undefined);
  return ports.length ? ports : [t.request.port ?? 8080];
}

/** Keeps only the events of the probe's own packet (same ICMP id or TCP/UDP source port as at the sender). */
function probeEvents(events: TraceEvent[], origin: string): TraceEvent[] {
  const first = events.find((e) => e.namespace === origin && (e.hook === 'output' || e.hook === 'postrouting'));
  if (!first) return events;
  return events.filter((e) => (first.icmpId === undefined || e.icmpId === first.icmpId) && (first.headers.srcPort === undefined || e.headers.srcPort === first.headers.srcPort));
}

interface Attempt {
  events: TraceEvent[];
  verdicts: TraceVerdict[];
  output: { code: number; stdout: string; stderr: string };
}

/** Starts `nft monitor trace` in every namespace, sends the probe after `delay`, and collects what each monitor saw. */
async function probeOnce(lab: LabProvider, namespaces: string[], origin: string, probe: ReturnType<typeof probeArgv>, delay: number): Promise<Attempt> {
  const events: TraceEvent[] = [];
  const verdicts: TraceVerdict[] = [];
  const monitors = namespaces.map(async (ns) => {
    const res = await lab.exec(execTargetFor(ns), ['nft', 'monitor', 'trace'], { timeoutMs: delay + LISTEN_AFTER_PROBE_MS });
    const parsed = parseTraceOutput(ns, res.stdout);
    events.push(...parsed.events);
    verdicts.push(...parsed.verdicts);
  });
  await sleep(delay);
  const sent = lab.exec(execTargetFor(origin), probe.argv, { timeoutMs: 3000, input: probe.input });
  await Promise.all(monitors);
  return { events, verdicts, output: await sent };
}

/** Runs the probe with tracing in every namespace on the path and fills `result.verification` and each hop's observation. */
export async function verifyTrace(lab: LabProvider, snapshot: Snapshot, result: TraceResult): Promise<Verification> {
  const origin = result.hops[0]?.namespace ?? result.request.from.namespace ?? '';
  const namespaces = [...new Set([origin, ...result.hops.map((h) => h.namespace)])];
  const table = traceTableName(randomBytes(3).toString('hex'));
  const script = installScript(table, result.request.proto, destinationPorts(result));
  const installed: string[] = [];
  const events: TraceEvent[] = [];
  const verdicts: TraceVerdict[] = [];
  const probe = probeArgv(result);
  let probeOutput = { code: -1, stdout: '', stderr: '' };
  try {
    await Promise.all(namespaces.map(async (ns) => {
      const res = await lab.exec(execTargetFor(ns), ['nft', '-f', '-'], { input: script, timeoutMs: 5000 });
      if (res.code !== 0) throw new Error(`could not add the trace table in ${ns} (nft -f -): ${res.stderr.trim()}. Is nftables installed? (apt-get install -y nftables)`);
      installed.push(ns);
    }));
    for (const delay of PROBE_DELAYS_MS) {
      const attempt = await probeOnce(lab, namespaces, origin, probe, delay);
      events.splice(0, events.length, ...attempt.events);
      verdicts.splice(0, verdicts.length, ...attempt.verdicts);
      probeOutput = attempt.output;
      // No event even where the probe was sent: the monitors were not listening yet, so try again, later.
      if (events.some((e) => e.namespace === origin) || result.hops[0]?.decision === 'drop') break;
    }
  } finally {
    await Promise.all(installed.map((ns) => lab.exec(execTargetFor(ns), ['nft', '-f', '-'], { input: removeScript(table), timeoutMs: 5000 }).catch(() => undefined)));
  }
  const mine = probeEvents(events, origin);
  observeHops(result.hops, snapshot, mine, verdicts.filter((v) => mine.some((e) => e.traceId === v.traceId && e.namespace === v.namespace)));
  result.verification = summarize(result, probe.label, probeOutput);
  return result.verification;
}
