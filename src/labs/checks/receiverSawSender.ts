/** `receiverSawSender`: a Pod's web server saw the sender's own IP as the source of a request, so nothing NATed it. */
import { whoSawWhat } from '../../demo/httpProbe';
import { answeredBy, findPod } from '../lookup';
import { type CheckEvaluator, noSuchPod, ownerOf, resolveTarget } from './context';

/** Sends an HTTP GET from `from` to the Pod `to` and compares the source its web server reports with the sender's address. */
export const receiverSawSender: CheckEvaluator<'receiverSawSender'> = async (check, { lab }) => {
  const st = await lab.status();
  const from = resolveTarget(st, check.from);
  if (!from) return { passed: false, message: `${check.from} is not in the lab right now, so it cannot send the request.` };
  const to = findPod(st, check.to);
  if (!to) return noSuchPod(st, check.to);
  const name = check.to;
  const port = check.port ?? to.containers.find((c) => c.workload === 'web' && c.port !== undefined)?.port ?? to.containers.find((c) => c.port !== undefined)?.port ?? 8080;
  const url = `http://${to.ip}:${port}/`;
  let answer;
  try {
    answer = await whoSawWhat(lab, from.target, to.ip, port);
  } catch (e) {
    return { passed: false, message: `${from.label} could not fetch ${url} from ${name}, so there is no answer to read the source from: ${(e as Error).message}` };
  }
  if (answer.pod && !answeredBy(to, answer.pod)) return { passed: false, message: `The answer from ${url} came from ${answer.pod}, not ${name}: is ${to.ip} really ${name}'s address?` };
  if (answer.sawSource === from.ip) return { passed: true, message: `${name} saw the request come from ${answer.sawSource}, ${from.label}'s own address: nothing rewrote the source on the way.` };
  const owner = ownerOf(st, answer.sawSource);
  return {
    passed: false,
    message: `${name} saw the request come from ${answer.sawSource}${owner ? ` (${owner})` : ''}, not from ${from.label}'s own address ${from.ip}: something on the way rewrote the source address (NAT).`,
  };
};
