/** The fallback where a monitor's readiness cannot be read (no /proc/net/netlink there): fixed, measured listening windows. */
import type { LabProvider } from '../../providers/provider';
import { sleep } from '../../util/concurrency';
import type { TraceResult } from '../types';
import { execTargetFor } from './namespaceTarget';
import type { Probe } from './probeTools';
import { type Attempt, collect, sendProbe } from './probeRun';

/** When the probe goes out after the monitors start, per attempt: a busy machine gets a second, slower try. */
export const PROBE_DELAYS_MS = [250, 800];
/** How long the monitors keep listening after the probe went out. */
export const LISTEN_AFTER_PROBE_MS = 650;

async function probeOnce(lab: LabProvider, namespaces: string[], origin: string, probes: Probe[], delay: number): Promise<Attempt> {
  const monitors = Promise.all(namespaces.map(async (namespace) => {
    const res = await lab.exec(execTargetFor(namespace), ['nft', 'monitor', 'trace'], { timeoutMs: delay + LISTEN_AFTER_PROBE_MS });
    return { namespace, stdout: res.stdout };
  }));
  await sleep(delay);
  const sent = sendProbe(lab, origin, probes);
  const outputs = await monitors;
  return collect(outputs, await sent);
}

/** Listens with fixed windows scaled by how long one command takes to start here; retries once if the sender saw nothing. */
export async function listenWithDelays(lab: LabProvider, namespaces: string[], origin: string, probes: Probe[], result: TraceResult): Promise<Attempt> {
  const started = performance.now();
  await lab.exec(execTargetFor(origin), ['true'], { timeoutMs: 10_000 });
  const startup = performance.now() - started;
  let attempt: Attempt | undefined;
  for (const delay of PROBE_DELAYS_MS.map((d) => Math.round(d + 2 * startup))) {
    attempt = await probeOnce(lab, namespaces, origin, probes, delay);
    // No event even where the probe was sent: the monitors were not listening yet, so try again, later.
    if (attempt.events.some((e) => e.namespace === origin) || result.hops[0]?.decision === 'drop') break;
  }
  return attempt!;
}
