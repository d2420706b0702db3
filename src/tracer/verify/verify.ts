/** Sends a real probe along a predicted path and records, per hop, whether and how the kernel saw it (nft tracing). */
import { randomBytes } from 'node:crypto';
import type { LabProvider } from '../../providers/provider';
import type { Snapshot } from '../../snapshot/types';
import type { TraceResult, Verification } from '../types';
import { type Monitor, startMonitors, stopMonitors } from './monitors';
import { execTargetFor } from './namespaceTarget';
import { observeHops } from './observe';
import { type Attempt, collect, sendProbe } from './probeRun';
import { programMissing } from '../../util/exec';
import { type Probe, probeAlternatives, probeExtraBytes, probeIpLength } from './probeTools';
import type { TraceEvent } from './traceEvents';
import { removeTraceTables } from './tableCleanup';
import { installScript, traceTableName } from './traceTables';
import { summarize } from './verdicts';
import { observeTunnel, tunnelMarkScript } from './tunnelObserve';
import { candidatePaths, followEndpoint, reachedCandidate } from './serviceCandidates';

/** The probe could not be observed: nft tracing cannot run in one of the namespaces on the path. */
export class TraceNotObservable extends Error {
  constructor(readonly namespace: string, readonly detail: string, hint: string) {
    super(`could not add the trace table in ${namespace} (nft -f -): ${detail}${hint ? `. ${hint}` : ''}`);
    this.name = 'TraceNotObservable';
  }
}

/** Every destination port the probe's packet carries: the one it is sent to (a DNAT at its very first hop leaves it in no hop), then each rewrite's. */
function destinationPorts(t: TraceResult, more: number[]): number[] {
  const ports = [t.request.port, ...t.hops.map((h) => h.headers.dstPort), ...more].filter((p): p is number => p !== undefined);
  return ports.length ? ports : [8080];
}

/**
 * Keeps only the events of the probe's own packet: its size (ICMP, UDP) and the ICMP id or source port it left the
 * sender with; a concurrent trace's probes pass the same chains. Once a Service's masquerade (fully-random) gave it a new
 * source address and port, it is the packet from another source to one of the Service's endpoints (`endpoints`, ip:port).
 */
function probeEvents(events: TraceEvent[], origin: string, ipLength: number | undefined, dst: string, endpoints: Set<string>): TraceEvent[] {
  if (ipLength !== undefined) events = events.filter((e) => e.ipLength === undefined || e.ipLength === ipLength);
  const first = events.find((e) => e.namespace === origin && (e.hook === 'output' || e.hook === 'postrouting') && (e.headers.dstIP === undefined || e.headers.dstIP === dst));
  if (!first) return events;
  const masqueraded = (e: TraceEvent) => e.headers.srcIP !== first.headers.srcIP && endpoints.has(`${e.headers.dstIP}:${e.headers.dstPort}`);
  return events.filter((e) => (first.icmpId === undefined || e.icmpId === first.icmpId)
    && (first.headers.srcPort === undefined || e.headers.srcPort === first.headers.srcPort || masqueraded(e)));
}

/** Monitors proven listening, the probe, then the monitors stopped once they read everything: no fixed window to miss. */
async function probeOnEvidence(lab: LabProvider, monitors: Monitor[], origin: string, probes: Probe[], afterProbe: () => unknown): Promise<Attempt> {
  const sent = await sendProbe(lab, origin, probes).then((s) => ({ s }), (error: unknown) => ({ error }));
  afterProbe();
  // Stop the monitors whatever happened to the probe: none may outlive the trace.
  const outputs = await stopMonitors(lab, monitors);
  if ('error' in sent) throw sent.error;
  return collect(outputs, sent.s);
}

/** Waits for the monitors and the table installs; if the installs fail, stops the monitors that started before rethrowing. */
async function allOrStop(lab: LabProvider, monitors: Promise<Monitor[]>, installs: Promise<void>): Promise<Monitor[]> {
  const [m, i] = await Promise.allSettled([monitors, installs]);
  if (i.status === 'rejected') {
    if (m.status === 'fulfilled') await stopMonitors(lab, m.value);
    throw i.reason;
  }
  if (m.status === 'rejected') throw m.reason;
  return m.value;
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

/** Runs the probe with tracing in every namespace on the path and fills `result.verification` and each hop's observation. */
export async function verifyTrace(lab: LabProvider, snapshot: Snapshot, result: TraceResult): Promise<Verification> {
  const origin = result.hops[0]?.namespace ?? result.request.from.namespace ?? '';
  // A Service's endpoint is chosen at random: watch the way to every candidate.
  const others = candidatePaths(snapshot, result);
  const namespaces = [...new Set([origin, ...result.hops.map((h) => h.namespace), ...others.namespaces])];
  const runId = randomBytes(3).toString('hex');
  const table = traceTableName(runId);
  const installed: string[] = [];
  const extra = probeExtraBytes(runId);
  const ipLength = probeIpLength(result.request.proto, extra);
  const probes = probeAlternatives(result, extra);
  let attempt: Attempt;
  let removal: Promise<string[]> | undefined;
  // Once the probe is done the tables have served: remove them while the monitors drain (monitors only read events).
  const remove = () => (removal ??= removeTraceTables(lab, installed, table, snapshot.source));
  try {
    // Monitors need no table to subscribe: start them while the tables go in.
    const ports = destinationPorts(result, others.ports);
    const script = installScript(table, result.request.proto, ports, ipLength) + tunnelMarkScript(table, result, ports, ipLength);
    const monitors = await allOrStop(lab, startMonitors(lab, namespaces, runId), installTables(lab, namespaces, script, installed));
    attempt = await probeOnEvidence(lab, monitors, origin, probes, remove);
  } finally {
    result.warnings.push(...await remove());
  }
  const endpoints = new Set((result.service?.candidates ?? []).map((c) => `${c.ip}:${c.port}`));
  const mine = probeEvents(attempt.events, origin, ipLength, result.hops[0]?.headers.dstIP ?? result.request.to.ip, endpoints);
  const reached = result.service?.candidates.length ? reachedCandidate(result, mine) : undefined;
  if (reached && reached !== result.service?.chosen) followEndpoint(snapshot, result, reached);
  observeHops(result.hops, snapshot, mine, attempt.verdicts.filter((v) => mine.some((e) => e.traceId === v.traceId && e.namespace === v.namespace)));
  observeTunnel(result.hops, snapshot, attempt.events, ipLength);
  result.verification = summarize(result, attempt.probe.label, attempt.output);
  if (result.service?.candidates.length) serviceVerdict(result.verification, result, reached);
  return result.verification;
}

/**
 * A Service trace predicted to arrive matches when the probe reached one of the candidates (and the hops to it were seen
 * as predicted); one predicted to stop before any endpoint (Local's drop) is judged by its hops alone.
 */
function serviceVerdict(v: Verification, t: TraceResult, reached: string | undefined): void {
  if (reached) {
    v.chosenEndpoint = reached;
    return;
  }
  if (t.disposition !== 'DELIVERED') return;
  const list = t.service!.candidates.map((c) => c.ip).join(', ');
  v.differences.push(`the probe was not seen reaching any endpoint of Service ${t.service!.name} (${list})`);
  v.matches = false;
}
