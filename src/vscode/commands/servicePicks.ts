/** The pure parts of "Create Service…": what may be picked as a selector, and the checks on name and port (no `vscode` here). */
import type { LabStatus, PodInfo, ServiceRequest } from '../../providers/embedded/control/protocol';
import type { ServiceSelector } from '../../model/topology';

/** One choice of the selector pick: a label pair every chosen Pod carries, or one Pod by name. */
export type SelectorChoice = { kind: 'label'; key: string; value: string; pods: string[] } | { kind: 'pod'; pod: string; ip: string };

/** Every distinct label of the lab's Pods (with the Pods carrying it), then every Pod; labels first, as kubectl users select. */
export function selectorChoices(pods: readonly PodInfo[]): SelectorChoice[] {
  const labels = new Map<string, { key: string; value: string; pods: string[] }>();
  for (const p of pods) {
    for (const [key, value] of Object.entries(p.labels ?? {})) {
      const k = `${key}=${value}`;
      const entry = labels.get(k) ?? { key, value, pods: [] };
      entry.pods.push(p.name);
      labels.set(k, entry);
    }
  }
  const byLabel = [...labels.values()].sort((a, b) => `${a.key}=${a.value}`.localeCompare(`${b.key}=${b.value}`));
  return [...byLabel.map((l) => ({ kind: 'label' as const, ...l })), ...pods.map((p) => ({ kind: 'pod' as const, pod: p.name, ip: p.ip }))];
}

/** The selector the picked choices make (labels: all must match; or a list of Pods), or why they make none. */
export function selectorFrom(picked: readonly SelectorChoice[]): ServiceSelector | string {
  const labels = picked.filter((c) => c.kind === 'label');
  const pods = picked.filter((c) => c.kind === 'pod');
  if (!picked.length) return 'Pick at least one label or Pod.';
  if (labels.length && pods.length) return 'Pick labels or Pods, not both: a Service selects by labels (all must match) or by a list of Pod names.';
  if (pods.length) return { pods: pods.map((p) => p.pod) };
  const out: Record<string, string> = {};
  for (const l of labels) {
    if (out[l.key] !== undefined && out[l.key] !== l.value) return `Label ${l.key} picked twice (${out[l.key]} and ${l.value}): no Pod can match both.`;
    out[l.key] = l.value;
  }
  return { labels: out };
}

/** Why `name` cannot name a new Service (a DNS-1035 label, not taken), or undefined when it can. */
export function serviceNameProblem(name: string, st: LabStatus | undefined): string | undefined {
  if (!/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name)) return 'A Service name is a DNS label: lowercase letters, digits and "-", starting with a letter, at most 63 characters.';
  if (st?.services?.some((s) => s.name === name && !s.namespace)) return `A Service named ${name} exists already.`;
  return undefined;
}

/** Why `text` is not a port (1-65535), or undefined when it is. */
export function portProblem(text: string): string | undefined {
  return /^\d{1,5}$/.test(text.trim()) && +text >= 1 && +text <= 65535 ? undefined : 'A port from 1 to 65535.';
}

/** The port the selected Pods' web containers listen on, to offer as targetPort (undefined when they differ or none listens). */
export function suggestedTargetPort(st: LabStatus, selector: ServiceSelector): number | undefined {
  const chosen = st.pods.filter((p) => selector.pods ? selector.pods.includes(p.name)
    : Object.entries(selector.labels ?? {}).every(([k, v]) => p.labels?.[k] === v));
  const ports = new Set(chosen.flatMap((p) => p.containers.map((c) => c.port).filter((x): x is number => !!x)));
  return ports.size === 1 ? [...ports][0] : undefined;
}

/** The request for the lab: the picks, with the port numbers parsed. */
export function serviceRequest(name: string, selector: ServiceSelector, port: string, targetPort: string, type: 'ClusterIP' | 'NodePort'): ServiceRequest {
  return { name, selector, port: Number(port), targetPort: Number(targetPort), type };
}
