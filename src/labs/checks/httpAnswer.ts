/**
 * `httpAnswer`: an HTTP GET from one place to an address (a Pod, a node's NodePort, a Service's ClusterIP) is answered,
 * or with `expect: false` is not; optionally by one of the listed Pods, and reporting a given source address.
 */
import { whoSawWhat, type SourceAnswer } from '../../demo/httpProbe';
import type { LabStatus } from '../../providers/embedded/control/protocol';
import type { LabProvider } from '../../providers/provider';
import { answeredBy, findPod, findService } from '../lookup';
import { HTTP_ANSWER_TRIES, type LabCheck } from '../types';
import { type CheckEvaluator, type CheckOutcome, ownerOf, type ResolvedTarget, resolveTarget } from './context';

/** Where the GET goes: the address, the port, and how a message names it. */
interface Destination {
  host: string;
  port: number;
  label: string;
}

/** The address and port `to` means now: a Service (its ClusterIP and port), a Pod (its web port), a node or IP (with `port`). */
export function httpDestination(st: LabStatus, to: string, port: number | undefined): Destination | string {
  const svc = findService(st, to);
  if (svc) {
    const p = port ?? svc.ports[0]?.port;
    return p === undefined ? `Service ${to} has no port, so the check does not know where to send the request` : { host: svc.clusterIP, port: p, label: `Service ${to} (${svc.clusterIP}:${p})` };
  }
  const [literal, literalPort] = /^\d+\.\d+\.\d+\.\d+(:\d+)?$/.test(to) ? to.split(':') : [];
  const named = resolveTarget(st, to);
  const host = named?.ip ?? literal;
  if (!host) return `${to} is not in the lab right now, so there is nothing to send the request to`;
  const web = findPod(st, to)?.containers.find((c) => c.workload === 'web' && c.port !== undefined)?.port;
  const p = port ?? (literalPort ? Number(literalPort) : web);
  if (p === undefined) return `No port is given for ${to}, so the check does not know where to send the request`;
  return { host, port: p, label: named ? `${to} (${host}:${p})` : `${host}:${p}` };
}

type HttpCheck = Extract<LabCheck, { type: 'httpAnswer' }>;

function verdict(answer: SourceAnswer, check: HttpCheck, st: LabStatus, who: string): string | undefined {
  const pods = check.answeredBy ?? [];
  const pod = findPod(st, answer.pod);
  if (pods.length && !pods.some((p) => { const want = findPod(st, p); return want ? answeredBy(want, answer.pod) : p === answer.pod; })) {
    return `${who} was answered by ${answer.pod || 'a server that did not say its Pod'}, not by ${pods.join(' or ')}`;
  }
  if (check.sawSource === undefined) return undefined;
  const source = resolveTarget(st, check.sawSource)?.ip ?? check.sawSource;
  if (answer.sawSource === source) return undefined;
  const owner = ownerOf(st, answer.sawSource);
  return `${pod ? answer.pod : 'the server'} saw the request come from ${answer.sawSource}${owner ? ` (${owner})` : ''}, not from ${check.sawSource}${source !== check.sawSource ? ` (${source})` : ''}`;
}

/** With `each`: GETs until every Pod of `answeredBy` has answered (at most HTTP_ANSWER_TRIES), then judges the last answer as usual. */
async function eachAnswers(lab: LabProvider, check: HttpCheck, st: LabStatus, from: ResolvedTarget, to: Destination): Promise<CheckOutcome> {
  const who = `${from.label}'s GETs to ${to.label}`;
  const left = new Set(check.answeredBy ?? []);
  const seen: string[] = [];
  for (let i = 0; i < HTTP_ANSWER_TRIES && left.size > 0; i++) {
    let answer: SourceAnswer;
    try {
      answer = await whoSawWhat(lab, from.target, to.host, to.port);
    } catch (e) {
      return { passed: false, message: `GET number ${i + 1} of ${who} got no answer: ${(e as Error).message.slice(0, 240)}.` };
    }
    const bad = verdict(answer, check, st, who);
    if (bad) return { passed: false, message: `${bad}.` };
    seen.push(answer.pod);
    for (const p of left) if (answeredBy(findPod(st, p) ?? { name: p }, answer.pod)) left.delete(p);
  }
  const count = (pod: string) => seen.filter((s) => s === pod).length;
  const tally = [...new Set(seen)].map((p) => `${p} ${count(p)}`).join(', ');
  if (left.size) return { passed: false, message: `${who} were answered ${seen.length} times, never by ${[...left].join(' or ')} (${tally}): is it an endpoint?` };
  return { passed: true, message: `${who} were answered by each of ${check.answeredBy!.join(' and ')} within ${seen.length} requests (${tally}).` };
}

/** Sends one HTTP GET from `from` (with `each`, several) and compares what came back with the check. */
export const httpAnswer: CheckEvaluator<'httpAnswer'> = async (check, { lab }) => {
  const st = await lab.status();
  const from = resolveTarget(st, check.from);
  if (!from) return { passed: false, message: `${check.from} is not in the lab right now, so it cannot send the request.` };
  const to = httpDestination(st, check.to, check.port);
  if (typeof to === 'string') return { passed: false, message: `${to}.` };
  if (check.each) return eachAnswers(lab, check, st, from, to);
  const who = `${from.label}'s GET to ${to.label}`;
  let answer: SourceAnswer;
  try {
    answer = await whoSawWhat(lab, from.target, to.host, to.port);
  } catch (e) {
    const why = (e as Error).message.slice(0, 240);
    if (check.expect === false) return { passed: true, message: `${who} got no answer, as this step expects (${why}).` };
    return { passed: false, message: `${who} got no answer: ${why}.` };
  }
  const said = `${answer.pod || 'the server'} answered and saw the request come from ${answer.sawSource}${ownerOf(st, answer.sawSource) ? ` (${ownerOf(st, answer.sawSource)})` : ''}`;
  if (check.expect === false) return { passed: false, message: `${who} was answered, but this step expects no answer: ${said}.` };
  const bad = verdict(answer, check, st, who);
  if (bad) return { passed: false, message: `${bad}.` };
  return { passed: true, message: `${who}: ${said}.` };
};
