/**
 * `{{ip:NAME}}` in an action's argv: the current IP of a Pod, node, Docker-style host or container,
 * filled in from the live lab just before the action runs (so a re-created Pod's new IP is used).
 * The value is always a dotted quad, and argv never reaches a shell, so nothing can be injected.
 */
import type { LabStatus } from '../providers/embedded/control/protocol';

const ANY = /\{\{(.*?)\}\}/g;
const IP_REF = /^ip:([a-z0-9]([a-z0-9-]*[a-z0-9])?)$/;

/** A placeholder found in argv word `arg`. */
export interface PlaceholderRef {
  name: string;
  arg: number;
}

/** Every `{{ip:NAME}}` in argv, and a problem for every other `{{...}}`. */
export function scanPlaceholders(argv: string[]): { refs: PlaceholderRef[]; problems: { message: string; hint: string; arg: number }[] } {
  const refs: PlaceholderRef[] = [];
  const problems: { message: string; hint: string; arg: number }[] = [];
  argv.forEach((word, arg) => {
    for (const m of word.matchAll(ANY)) {
      const ref = IP_REF.exec(m[1].trim());
      if (ref) refs.push({ name: ref[1], arg });
      else problems.push({ message: `unknown placeholder {{${m[1]}}}`, hint: 'the only placeholder is {{ip:NAME}}: the current IP of the Pod, node or Docker host NAME', arg });
    }
  });
  return { refs, problems };
}

/** True when the word holds a placeholder (its value is only known while the lab runs). */
export function hasPlaceholder(word: string): boolean {
  return /\{\{.*?\}\}/.test(word);
}

function ipOf(st: LabStatus, name: string): string | undefined {
  const host = st.dockerHost;
  return st.pods.find((p) => p.name === name)?.ip
    ?? st.nodes.find((n) => n.name === name)?.ip
    ?? (host?.name === name ? host.ip : host?.containers.find((c) => c.name === name)?.ip);
}

/** argv with every `{{ip:NAME}}` replaced by NAME's IP now; throws a learner-readable error when NAME is not in the lab. */
export function fillPlaceholders(argv: string[], st: LabStatus): string[] {
  return argv.map((word) => word.replace(ANY, (whole, inner: string) => {
    const name = IP_REF.exec(inner.trim())?.[1];
    const ip = name === undefined ? undefined : ipOf(st, name);
    if (ip === undefined || ip === '') throw new Error(`${whole} has no value: ${name ?? inner} is not in the lab right now, so this command was not run`);
    return ip;
  }));
}
