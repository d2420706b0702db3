/** Turns per-hop observations into the trace's overall verdicts: match, NAT, TTL. */
import type { Hop, TraceResult, Verification } from '../types';
import { type ProbeOutput, probeOutcome } from './outcome';
import { natWords, senderSource } from '../natWords';

/** The source address the web workload reported seeing, if the probe got its JSON answer. */
function sawSource(out: ProbeOutput): string | undefined {
  try {
    return (JSON.parse(out.stdout) as { sawSource?: string }).sawSource;
  } catch {
    // Not the web workload's JSON (another server, an error page, no answer): it reported nothing, which is said as unknown.
    return undefined;
  }
}

function natVerdict(t: TraceResult, out: ProbeOutput): Pick<Verification, 'natVerdict' | 'natEvidence'> {
  const sender = senderSource(t);
  const reported = sawSource(out);
  const last = t.hops[t.hops.length - 1];
  const arrived = last?.decision === 'deliver' && last.observation?.observed ? last.observation.headers : undefined;
  const seen = reported ?? arrived?.srcIP;
  const how = reported ? 'the web server reported' : 'the destination kernel saw';
  if (!seen) return { natVerdict: 'unknown', natEvidence: 'the probe was not seen at its destination, so nothing can be said about NAT' };
  const target = `${t.request.to.ip}${t.request.port ? `:${t.request.port}` : ''}`;
  const landed = arrived?.dstIP ? `${arrived.dstIP}${arrived.dstPort ? `:${arrived.dstPort}` : ''}` : undefined;
  if (t.service) return serviceNatVerdict(t, sender, seen, how, landed);
  const dnat = landed !== undefined && landed !== target ? `the destination ${target} was rewritten to ${landed} on the way (a port mapping)` : undefined;
  if (seen !== sender) return { natVerdict: 'nat', natEvidence: `${how} source ${seen}, but the sender's address is ${sender}: it was rewritten on the way${dnat ? `; also ${dnat}` : ''}` };
  if (dnat) return { natVerdict: 'nat', natEvidence: `${how} source ${seen}, the sender's own address, but ${dnat}` };
  return { natVerdict: 'no-nat', natEvidence: `${how} source ${seen}, the sender's own address, at the address it was sent to` };
}

/** A Service trace: the destination was rewritten by design; the words say whether the source was too. */
function serviceNatVerdict(t: TraceResult, sender: string, seen: string, how: string, landed: string | undefined): Pick<Verification, 'natVerdict' | 'natEvidence'> {
  const s = t.service!;
  const words = natWords(t, sender, seen) ?? 'NAT';
  const at = landed ?? t.delivered?.dstIP ?? s.chosen ?? '?';
  const svc = `Service ${s.namespace ? `${s.namespace}/` : ''}${s.name} (${s.address}${s.port !== undefined ? `:${s.port}` : ''})`;
  const source = seen === sender ? `source ${seen}, the sender's own address` : `source ${seen}, not the sender's ${sender}`;
  return { natVerdict: 'nat', natEvidence: `${words}: ${how} ${source}, at ${at}, an endpoint of ${svc}` };
}

function ttlCheck(hops: Hop[]): Verification['ttlCheck'] {
  // Dropped in the sender itself (no route, a rule): no packet ever left, so there is no TTL to compare, and that is as predicted.
  if (hops.length === 1 && hops[0].decision === 'drop') return { ok: true, detail: `${hops[0].headers.ttl}: the packet never left ${hops[0].where}` };
  const observed = hops.filter((h) => h.observation?.observed && h.observation.headers?.ttl !== undefined);
  const wrong = observed.filter((h) => h.observation!.headers!.ttl !== h.headers.ttl);
  // Inside a VXLAN tunnel a router lowers only the outer packet's TTL, not the probe's; a hairpin 'forward' that br_netfilter
  // bridges back out of the port it came in on keeps it too: only a hop that lowers the probe's TTL counts as routing.
  const routers = hops.filter((h, i) => h.decision === 'forward' && !h.outer && (i === 0 || h.headers.ttl < hops[i - 1].headers.ttl)).map((h) => h.where);
  const bridges = [...new Set(hops.filter((h) => h.decision.startsWith('bridge')).map((h) => `${h.where}`))];
  const first = hops[0]?.headers.ttl;
  const last = [...observed].pop()?.observation?.headers?.ttl;
  const detail = `${first}${last !== undefined ? ` -> ${last}` : ''}: minus one in ${routers.length ? routers.join(', ') : 'no namespace'} (routing), unchanged across ${bridges.length ? `the bridges in ${bridges.join(', ')}` : 'no bridge'}${wrong.length ? `; hop ${wrong.map((h) => `${h.index} saw ${h.observation!.headers!.ttl}, predicted ${h.headers.ttl}`).join(', ')}` : ''}`;
  return { ok: wrong.length === 0 && observed.length > 0, detail };
}

/** Compares prediction and observation and states the verdicts. */
export function summarize(t: TraceResult, probe: string, out: ProbeOutput): Verification {
  const differences: string[] = [];
  const outcome = probeOutcome(t, out);
  // Nothing was sent, so nothing could be seen: say that once instead of "not seen" at every hop.
  if (outcome.kind === 'not-sent') differences.push(`the probe could not be sent: ${outcome.detail}`);
  else for (const h of t.hops) {
    if (!h.observation) continue;
    if (!h.observation.observed && h.decision !== 'drop') differences.push(`hop ${h.index} (${h.where}, ${h.decision}) was predicted but not seen`);
    for (const d of h.observation.differences ?? []) differences.push(`hop ${h.index} (${h.where}): ${d}`);
  }
  const stop = t.hops[t.hops.length - 1];
  // An answer where the tables say the request cannot arrive: the prediction is wrong, whatever the hops showed.
  if (t.disposition !== 'DELIVERED' && outcome.kind === 'answered') differences.push(`the probe was answered (${outcome.detail}), but the prediction says ${t.disposition}`);
  if (t.disposition === 'DELIVERED' && outcome.kind === 'answered' && t.returnPath && !t.returnPath.notPredicted && t.returnPath.disposition !== 'DELIVERED') {
    differences.push(`the probe was answered, but the predicted return path says the reply cannot return (${t.returnPath.reason})`);
  }
  if (t.disposition !== 'DELIVERED' && stop?.decision === 'drop' && stop.observation?.verdict === undefined && t.disposition === 'DROPPED_BY_RULE') {
    differences.push(`no drop verdict was seen in ${stop.where}`);
  }
  return {
    probe,
    matches: differences.length === 0,
    differences,
    ...natVerdict(t, out),
    ttlCheck: ttlCheck(t.hops),
    method: 'nft trace (meta nftrace + nft monitor trace) in every namespace on the path',
    outcome,
  };
}
