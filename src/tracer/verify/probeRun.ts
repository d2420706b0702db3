/** One probe sent from its source namespace, and what the monitors and the probe showed, gathered into an attempt. */
import type { LabProvider } from '../../providers/provider';
import { execTargetFor } from './namespaceTarget';
import type { ProbeOutput } from './outcome';
import { type Probe, probeUnusable } from './probeTools';
import { type TraceEvent, type TraceVerdict, parseTraceOutput } from './traceEvents';

/** What one probe run showed: every monitor's events and verdicts, and the probe's own output. */
export interface Attempt {
  events: TraceEvent[];
  verdicts: TraceVerdict[];
  output: ProbeOutput;
  probe: Probe;
}

/** Sends the first probe that can run in `origin` (a missing or unusable one sends nothing, so trying the next is safe). */
export async function sendProbe(lab: LabProvider, origin: string, probes: Probe[]): Promise<{ probe: Probe; output: ProbeOutput }> {
  let last: { probe: Probe; output: ProbeOutput } | undefined;
  for (const probe of probes) {
    const output = await lab.exec(execTargetFor(origin), probe.argv, { timeoutMs: 3000, input: probe.input });
    last = { probe, output };
    if (!probeUnusable(output)) return last;
  }
  return { ...last!, output: { ...last!.output, missing: true } };
}

/** Parses what each monitor printed into the attempt's events and verdicts. */
export function collect(outputs: { namespace: string; stdout: string }[], sent: { probe: Probe; output: ProbeOutput }): Attempt {
  const attempt: Attempt = { events: [], verdicts: [], ...sent };
  for (const o of outputs) {
    const parsed = parseTraceOutput(o.namespace, o.stdout);
    attempt.events.push(...parsed.events);
    attempt.verdicts.push(...parsed.verdicts);
  }
  return attempt;
}
