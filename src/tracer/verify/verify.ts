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

/** A probe: the argv sent from the source namespace, its stdin, and what it sends in words. */
export interface Probe {
  argv: string[];
  input?: string;
  label: string;
}

/** argv of the probe sent from the source namespace (busybox, which the embedded lab and the test bed nodes have). */
export function probeArgv(t: TraceResult): Probe {
  return probeAlternatives(t)[0];
}

/** The probe with busybox first, then the same probe with tools a node without busybox may have (kind nodes: ping, curl). */
export function probeAlternatives(t: TraceResult): Probe[] {
  const { to, proto, port } = t.request;
  if (proto === 'icmp') {
    const label = `one ICMP echo to ${to.ip}`;
    return [['busybox', 'ping'], ['ping']].map((p) => ({ argv: [...p, '-c', '1', '-W', '1', to.ip], label }));
  }
  const url = `http://${to.ip}:${port}/`;
  if (proto === 'tcp') {
    const label = `an HTTP GET to ${to.ip}:${port}`;
    return [['busybox', 'wget', '-q', '-O', '-', url], ['curl', '-s', '-m', '2', url], ['wget', '-q', '-O', '-', '-T', '2', url]].map((argv) => ({ argv, label }));
  }
  const label = `one UDP datagram to ${to.ip}:${port}`;
  return [['busybox', 'nc'], ['nc']].map((p) => ({ argv: [...p, '-u', '-w', '1', to.ip, String(port)], input: 'podnet probe\n', label }));
}

/** True when a command could not start because its program is not installed where it ran (exit 127/126 or the runtime's "not found"). */
export function programMissing(res: { code: number; stderr: string }): boolean {
  return res.code === 127 || res.code === 126 || (res.code !== 0 && /executable file not found|failed to execute/.test(res.stderr));
}

/** The probe could not be observed: nft tracing cannot run in one of the namespaces on the path. */
export class TraceNotObservable extends Error {
  constructor(readonly namespace: string, readonly detail: string, hint: string) {
    super(`could not add the trace table in ${namespace} (nft -f -): ${detail}${hint ? `. ${hint}` : ''}`);
    this.name = 'TraceNotObservable';
  }
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
async function probeOnce(lab: LabProvider, namespaces: string[], origin: string, probes: Probe[], delay: number): Promise<Attempt & { probe: Probe }> {
  const events: TraceEvent[] = [];
  const verdicts: TraceVerdict[] = [];
  const monitors = namespaces.map(async (ns) => {
    const res = await lab.exec(execTargetFor(ns), ['nft', 'monitor', 'trace'], { timeoutMs: delay + LISTEN_AFTER_PROBE_MS });
    const parsed = parseTraceOutput(ns, res.stdout);
    events.push(...parsed.events);
    verdicts.push(...parsed.verdicts);
  });
  await sleep(delay);
  const sent = sendProbe(lab, origin, probes);
  await Promise.all(monitors);
  const { probe, output } = await sent;
  return { events, verdicts, output, probe };
}

/** Sends the first probe whose program exists in `origin` (a missing one sends nothing, so trying the next is safe). */
async function sendProbe(lab: LabProvider, origin: string, probes: Probe[]): Promise<{ probe: Probe; output: Attempt['output'] }> {
  let last: { probe: Probe; output: Attempt['output'] } | undefined;
  for (const probe of probes) {
    const output = await lab.exec(execTargetFor(origin), probe.argv, { timeoutMs: 3000, input: probe.input });
    last = { probe, output };
    if (!programMissing(output)) return last;
  }
  return last!;
}

/** Adds the trace table in every namespace, recording each one installed in `installed`; the first failure rejects after all finished. */
async function installTables(lab: LabProvider, namespaces: string[], script: string, installed: string[]): Promise<void> {
  // allSettled, not all: every install must have finished before the caller removes what was installed.
  const installs = await Promise.allSettled(namespaces.map(async (ns) => {
    const res = await lab.exec(execTargetFor(ns), ['nft', '-f', '-'], { input: script, timeoutMs: 5000 });
    if (res.code !== 0) {
      const hint = lab.kind === 'kube'
        ? `${programMissing(res) ? 'nft is not installed there' : 'nft tracing is not allowed there'}, so this path is predicted only (kind node images have nft; elsewhere try --debug-pods with an image that has nft)`
        : 'Is nftables installed? (apt-get install -y nftables)';
      throw new TraceNotObservable(ns, res.stderr.trim() || `exit ${res.code}`, hint);
    }
    installed.push(ns);
  }));
  const failed = installs.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** The probe delays for this lab: a monitor only listens once its command started, which through a cluster's node access takes far longer than in the embedded lab. */
async function probeDelays(lab: LabProvider, origin: string): Promise<number[]> {
  const started = performance.now();
  await lab.exec(execTargetFor(origin), ['true'], { timeoutMs: 10_000 });
  const startup = performance.now() - started;
  return PROBE_DELAYS_MS.map((d) => Math.round(d + 2 * startup));
}

/** Runs the probe with tracing in every namespace on the path and fills `result.verification` and each hop's observation. */
export async function verifyTrace(lab: LabProvider, snapshot: Snapshot, result: TraceResult): Promise<Verification> {
  const origin = result.hops[0]?.namespace ?? result.request.from.namespace ?? '';
  const namespaces = [...new Set([origin, ...result.hops.map((h) => h.namespace)])];
  const table = traceTableName(randomBytes(3).toString('hex'));
  const installed: string[] = [];
  const probes = probeAlternatives(result);
  let attempt: Attempt & { probe: Probe } = { events: [], verdicts: [], output: { code: -1, stdout: '', stderr: '' }, probe: probes[0] };
  try {
    await installTables(lab, namespaces, installScript(table, result.request.proto, destinationPorts(result)), installed);
    for (const delay of await probeDelays(lab, origin)) {
      attempt = await probeOnce(lab, namespaces, origin, probes, delay);
      // No event even where the probe was sent: the monitors were not listening yet, so try again, later.
      if (attempt.events.some((e) => e.namespace === origin) || result.hops[0]?.decision === 'drop') break;
    }
  } finally {
    // Best effort: a namespace that vanished meanwhile has no table left to remove; `podnet cluster cleanup` catches the rest.
    await Promise.all(installed.map((ns) => lab.exec(execTargetFor(ns), ['nft', '-f', '-'], { input: removeScript(table), timeoutMs: 5000 }).catch(() => undefined)));
  }
  const mine = probeEvents(attempt.events, origin);
  observeHops(result.hops, snapshot, mine, attempt.verdicts.filter((v) => mine.some((e) => e.traceId === v.traceId && e.namespace === v.namespace)));
  result.verification = summarize(result, attempt.probe.label, attempt.output);
  return result.verification;
}
