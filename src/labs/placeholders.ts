/**
 * Placeholders in an action's argv and in a check's address, CIDR and regex fields: `{{ip:NAME}}` (the current IP of a
 * Pod, node, Docker-style host or container, the outside client or the router), `{{podCIDR:NODE}}` (a node's Pod CIDR),
 * `{{clusterIP:SVC}}` and `{{nodePort:SVC}}` (a Service's ClusterIP and NodePort), filled in from the live lab just
 * before the action runs or the check is graded (so a re-created Pod's new IP is used, and a kind cluster's own
 * addresses replace the article's). A value is always a dotted quad, a CIDR or a port number; argv never reaches a
 * shell, and a value filled into a regular expression is escaped, so nothing can be injected.
 */
import type { LabStatus } from '../providers/embedded/control/protocol';
import type { LabCheck } from './types';
import { findNode, findPod, findService } from './lookup';

const ANY = /\{\{(.*?)\}\}/g;
const REF = /^(ip|podCIDR|clusterIP|nodePort):([a-z0-9]([a-z0-9-]*[a-z0-9])?)$/;

/** What a placeholder stands for. */
export type PlaceholderKind = 'ip' | 'podCIDR' | 'clusterIP' | 'nodePort';

/** A placeholder found in argv word `arg` (or in a check field, arg 0). */
export interface PlaceholderRef {
  kind: PlaceholderKind;
  name: string;
  arg: number;
}

/** A `{{...}}` that is not a placeholder. */
export interface PlaceholderProblem {
  message: string;
  hint: string;
  arg: number;
}

const HINT = 'the placeholders are {{ip:NAME}} (the current IP of the Pod, node, Docker host, outside client or router NAME), {{podCIDR:NODE}} '
  + '(the Pod CIDR of node NODE), {{clusterIP:SVC}} and {{nodePort:SVC}} (the ClusterIP and NodePort of Service SVC)';

/** Every placeholder in argv, and a problem for every other `{{...}}`. */
export function scanPlaceholders(argv: string[]): { refs: PlaceholderRef[]; problems: PlaceholderProblem[] } {
  const refs: PlaceholderRef[] = [];
  const problems: PlaceholderProblem[] = [];
  argv.forEach((word, arg) => {
    for (const m of word.matchAll(ANY)) {
      const ref = REF.exec(m[1].trim());
      if (ref) refs.push({ kind: ref[1] as PlaceholderKind, name: ref[2], arg });
      else problems.push({ message: `unknown placeholder {{${m[1]}}}`, hint: HINT, arg });
    }
  });
  return { refs, problems };
}

/** True when the word holds a placeholder (its value is only known while the lab runs). */
export function hasPlaceholder(word: string): boolean {
  return /\{\{.*?\}\}/.test(word);
}

/** The value of one placeholder now, or undefined when NAME is not in the lab (or has no such value). */
export function placeholderValue(st: LabStatus, kind: PlaceholderKind, name: string): string | undefined {
  if (kind === 'podCIDR') return findNode(st, name)?.podCIDR || undefined;
  if (kind === 'clusterIP' || kind === 'nodePort') {
    const svc = findService(st, name);
    if (kind === 'clusterIP') return svc?.clusterIP && svc.clusterIP !== 'None' ? svc.clusterIP : undefined;
    const port = svc?.ports.find((p) => p.nodePort !== undefined)?.nodePort;
    return port === undefined ? undefined : String(port);
  }
  const host = st.dockerHost;
  return findPod(st, name)?.ip
    ?? findNode(st, name)?.ip
    ?? (host?.name === name ? host.ip : host?.containers.find((c) => c.name === name)?.ip)
    ?? (st.client?.name === name ? st.client.ip : undefined)
    ?? (st.router?.name === name ? st.router.interfaces[0]?.ip : undefined)
    ?? undefined;
}

/** `text` with every placeholder replaced by its value now (regex-escaped when `regex`); throws a learner-readable error when one has no value. */
export function fillText(text: string, st: LabStatus, opts: { regex?: boolean; what?: string } = {}): string {
  return text.replace(ANY, (whole, inner: string) => {
    const ref = REF.exec(inner.trim());
    const value = ref ? placeholderValue(st, ref[1] as PlaceholderKind, ref[2]) : undefined;
    if (!value) throw new Error(`${whole} has no value: ${ref?.[2] ?? inner} is not in the lab right now, so ${opts.what ?? 'this command was not run'}`);
    return opts.regex ? escapeRegex(value) : value;
  });
}

/** argv with every placeholder replaced by its value now; throws a learner-readable error when NAME is not in the lab. */
export function fillPlaceholders(argv: string[], st: LabStatus): string[] {
  return argv.map((word) => fillText(word, st));
}

/** `s` with every character a regular expression treats specially escaped. */
export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The fields of a check that may hold placeholders, and whether each is a regular expression. */
export const CHECK_PLACEHOLDER_FIELDS: readonly { key: 'cidr' | 'matches' | 'to' | 'sawSource'; regex: boolean }[] = [
  { key: 'cidr', regex: false }, { key: 'matches', regex: true }, { key: 'to', regex: false }, { key: 'sawSource', regex: false },
];

/** The check with its placeholders filled from the live lab; throws (as {@link fillText}) when one has no value. */
export function fillCheck<C extends LabCheck>(check: C, st: LabStatus): C {
  const out: Record<string, unknown> = { ...check };
  for (const { key, regex } of CHECK_PLACEHOLDER_FIELDS) {
    const v = out[key];
    if (typeof v === 'string' && hasPlaceholder(v)) out[key] = fillText(v, st, { regex, what: 'this check cannot be graded' });
  }
  return out as C;
}
