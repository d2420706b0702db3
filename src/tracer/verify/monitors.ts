/**
 * `nft monitor trace` in each namespace, started, proven ready and stopped on evidence rather than after fixed delays:
 * a monitor is ready once the kernel lists its netlink socket subscribed to trace events (/proc/net/netlink, which is
 * per network namespace); it is stopped once the probe finished and its socket's receive queue is empty (all read).
 */
import type { LabProvider } from '../../providers/provider';
import { sleep } from '../../util/concurrency';
import { execTargetFor } from './namespaceTarget';
import { programMissing } from '../../util/exec';

/** NETLINK_NETFILTER, the netlink protocol of nftables. */
const NETLINK_NETFILTER = 12;
/** NFNLGRP_NFTRACE (group 9) as the bit /proc/net/netlink prints in its Groups column. */
const NFTRACE_GROUP_BIT = 1 << 8;
/** How long a monitor may take to subscribe: long enough for a cluster node reached through `docker exec` or a debug Pod. */
export const MONITOR_READY_TIMEOUT_MS = 15_000;
/** Upper bound on a monitor's life should stopping it fail (it then ends by this timeout instead). */
export const MONITOR_MAX_MS = 20_000;
const POLL_MS = 5;

/** One trace-event subscriber socket of a namespace, as the kernel lists it. */
export interface TraceSocket {
  /** Netlink port id: the nft process's pid in its PID namespace (autobind picks the pid first). */
  portid: number;
  inode: string;
  /** Bytes waiting in the receive queue, not read by nft yet. */
  rmem: number;
}

/** The sockets subscribed to nftables trace events in the output of `cat /proc/net/netlink`. */
export function traceSockets(procNetNetlink: string): TraceSocket[] {
  const out: TraceSocket[] = [];
  for (const line of procNetNetlink.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || Number(f[1]) !== NETLINK_NETFILTER) continue;
    if ((parseInt(f[3], 16) & NFTRACE_GROUP_BIT) === 0) continue;
    out.push({ portid: Number(f[2]), inode: f[9], rmem: Number(f[4]) });
  }
  return out;
}

/** A file's text as seen from a namespace (`cat`, else busybox's), or undefined when it cannot be read there. */
async function readIn(lab: LabProvider, ns: string, ...paths: string[]): Promise<string | undefined> {
  for (const argv of [['cat', ...paths], ['busybox', 'cat', ...paths]]) {
    const res = await lab.exec(execTargetFor(ns), argv, { timeoutMs: 10_000 });
    if (res.code === 0) return res.stdout;
    if (!programMissing(res)) return undefined;
  }
  return undefined;
}

/** The trace sockets of one namespace now, or undefined when /proc/net/netlink cannot be read there. */
async function readSockets(lab: LabProvider, ns: string): Promise<TraceSocket[] | undefined> {
  const text = await readIn(lab, ns, '/proc/net/netlink');
  return text === undefined ? undefined : traceSockets(text);
}

/** A running monitor: its output once it ended, and (once ready) its socket and, when proven to be ours, its pid. */
export interface Monitor {
  namespace: string;
  done: Promise<{ stdout: string; stderr: string; code: number }>;
  socket?: TraceSocket;
  /** Set only when /proc/PID/cmdline showed this trace's own token: the one process PodNet may signal. */
  pid?: number;
  ended: boolean;
}

/**
 * Starts `nft monitor trace` in every namespace and resolves once each is subscribed: a trace socket whose process
 * carries this trace's mark. No look beforehand is needed: the mark, not novelty, tells ours from a concurrent trace's.
 */
export async function startMonitors(lab: LabProvider, namespaces: string[], token: string): Promise<Monitor[]> {
  // `-I DIR` only adds an include path (unused by monitor): it marks the process as this trace's, for /proc/PID/cmdline.
  const argv = ['nft', '-I', monitorMark(token), 'monitor', 'trace'];
  const monitors = namespaces.map((namespace): Monitor => {
    const m: Monitor = { namespace, ended: false, done: Promise.resolve({ stdout: '', stderr: '', code: 0 }) };
    m.done = lab.exec(execTargetFor(namespace), argv, { timeoutMs: MONITOR_MAX_MS }).finally(() => { m.ended = true; });
    return m;
  });
  const ready = await Promise.allSettled(monitors.map((m) => waitReady(lab, m, new Set(), token)));
  const failed = ready.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    // Stop those that did start before giving up; one that never subscribed ends by its own timeout.
    await stopMonitors(lab, monitors.filter((m) => m.socket));
    throw failed.reason;
  }
  return monitors;
}

/** The include path that marks one trace's monitors. */
function monitorMark(token: string): string {
  return `/podnet-trace-monitor-${token}`;
}

/** Takes the first new subscriber whose command line carries `token`; one whose command line cannot be read is taken, unsignalled. */
async function claim(lab: LabProvider, m: Monitor, sockets: TraceSocket[], known: Set<string>, token: string): Promise<void> {
  for (const s of sockets.filter((x) => !known.has(x.inode))) {
    known.add(s.inode);
    const cmdline = s.portid > 0 ? await readIn(lab, m.namespace, `/proc/${s.portid}/cmdline`) : undefined;
    if (cmdline?.includes(monitorMark(token))) {
      m.socket = s;
      m.pid = s.portid;
      return;
    }
    // Another nft monitor (a concurrent trace) is not ours. No pid to look at, or a pid that is no nft where we look
    // (another PID namespace): whose it is cannot be told, so use it for readiness but never signal it.
    if (cmdline === undefined || !/(^|\/)nft\0/.test(cmdline)) {
      m.socket = s;
      return;
    }
  }
}

async function waitReady(lab: LabProvider, m: Monitor, known: Set<string>, token: string): Promise<void> {
  const deadline = performance.now() + MONITOR_READY_TIMEOUT_MS;
  while (!m.socket) {
    if (m.ended) {
      const res = await m.done;
      throw new Error(`nft monitor trace in ${m.namespace} ended before it listened (exit ${res.code}: ${res.stderr.trim() || 'no message'}); is nftables installed there?`);
    }
    if (performance.now() > deadline) throw new Error(`nft monitor trace in ${m.namespace} did not start listening within ${MONITOR_READY_TIMEOUT_MS / 1000} s; the machine may be overloaded: try again`);
    const sockets = await readSockets(lab, m.namespace);
    // The snapshot already read /proc files with cat in every namespace, so this is not expected; if it happens the
    // monitor cannot be shown to listen, and the trace says so rather than guess (the monitor ends by its own timeout).
    if (!sockets) throw new Error(`cannot read /proc/net/netlink in ${m.namespace} (no cat or busybox there), so PodNet cannot tell when its nft monitor listens; trace with --no-verify`);
    await claim(lab, m, sockets, known, token);
    if (!m.socket) await sleep(POLL_MS);
  }
}

/**
 * Called once the probe has finished, so every event of its packet is already queued (the kernel sends trace events
 * while the packet passes): waits until each monitor has read its queue, stops it, and returns what it printed.
 */
export async function stopMonitors(lab: LabProvider, monitors: Monitor[]): Promise<{ namespace: string; stdout: string }[]> {
  return Promise.all(monitors.map(async (m) => {
    await drained(lab, m);
    if (!m.ended && m.pid !== undefined) await stop(lab, m, m.pid);
    const res = await m.done;
    return { namespace: m.namespace, stdout: res.stdout };
  }));
}

/** Waits until the monitor's receive queue is empty (nft read it all; it prints and flushes each event as it reads it). */
async function drained(lab: LabProvider, m: Monitor): Promise<void> {
  const deadline = performance.now() + MONITOR_READY_TIMEOUT_MS;
  while (!m.ended && performance.now() < deadline) {
    const mine = (await readSockets(lab, m.namespace))?.find((s) => s.inode === m.socket?.inode);
    // Gone: nft ended and its output is complete. Empty: nft has read (and so printed) every queued event.
    if (!mine || mine.rmem === 0) return;
    await sleep(POLL_MS);
  }
}

/** Stops the monitor with SIGTERM. */
async function stop(lab: LabProvider, m: Monitor, pid: number): Promise<void> {
  const target = execTargetFor(m.namespace);
  for (const argv of [['kill', '-TERM', String(pid)], ['busybox', 'kill', '-TERM', String(pid)]]) {
    const res = await lab.exec(target, argv, { timeoutMs: 10_000 });
    if (!programMissing(res)) return;
  }
}
