/** `reachable`: one endpoint can (or, with `expect: false`, cannot) ping another. */
import { execFirst, pingCommands } from '../../demo/execFirst';
import { type CheckEvaluator, resolveTarget } from './context';

/** Sends one ICMP echo from `from` to `to` (a name or an IP) and compares the answer with `expect` (default true). */
export const reachable: CheckEvaluator<'reachable'> = async (check, { lab }) => {
  const st = await lab.status();
  const from = resolveTarget(st, check.from);
  if (!from) return { passed: false, message: `${check.from} is not in the lab right now, so it cannot send a ping.` };
  const named = resolveTarget(st, check.to);
  const ip = named?.ip ?? (/^\d+\.\d+\.\d+\.\d+(:\d+)?$/.test(check.to) ? check.to.split(':')[0] : undefined);
  if (!ip) return { passed: false, message: `${check.to} is not in the lab right now, so there is nothing to ping.` };
  const target = named ? `${check.to} (${ip})` : ip;
  const res = await execFirst(lab, from.target, pingCommands(ip), { timeoutMs: 10_000 });
  const reached = res.code === 0;
  const expect = check.expect ?? true;
  const why = (res.stderr.trim() || res.stdout.trim().split('\n').pop() || '').slice(0, 200);
  if (reached && expect) return { passed: true, message: `${from.label} reaches ${target}: the ping was answered.` };
  if (!reached && !expect) return { passed: true, message: `${from.label} cannot reach ${target}, as this step expects: the ping got no answer.` };
  if (reached) return { passed: false, message: `${from.label} still reaches ${target}, but this step expects it not to: the ping was answered.` };
  return { passed: false, message: `${from.label} cannot reach ${target}: the ping got no answer${why ? ` (${why})` : ''}.` };
};
