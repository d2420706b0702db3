/** Validates a Pod added to a running lab against the lab's topology and the Pods it already has. */
import { LabError } from '../providers/embedded/control/labError';
import type { PodRequest } from '../providers/embedded/control/protocol';
import { hostCount } from './cidr';
import { labelsProblem } from './labels';
import type { ContainerSpec, PodSpec, Topology, WorkloadKind } from './topology';

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const WORKLOADS: readonly WorkloadKind[] = ['web', 'sidecar', 'sleep'];

function checkName(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || !DNS_LABEL.test(value) || value.length > max) {
    throw new LabError(`${field} "${String(value)}" is not a valid name: use lowercase letters, digits and "-", at most ${max} characters`, 'BAD_REQUEST', field);
  }
  return value;
}

function checkContainers(req: PodRequest): ContainerSpec[] {
  const list = req.containers?.length ? req.containers : [{ name: 'web', workload: 'web' as const }];
  const names = new Set<string>();
  const ports = new Map<number, string>();
  return list.map((c, i) => {
    const field = `containers[${i}]`;
    const name = checkName(c.name, `${field}.name`, 15);
    if (names.has(name)) throw new LabError(`container name "${name}" is used twice in pod ${req.name}`, 'BAD_REQUEST', `${field}.name`);
    names.add(name);
    const workload = c.workload ?? 'web';
    if (!WORKLOADS.includes(workload)) throw new LabError(`unknown workload "${workload}" (use ${WORKLOADS.join(', ')})`, 'BAD_REQUEST', `${field}.workload`);
    const port = c.port ?? (workload === 'web' ? 8080 : undefined);
    if (port !== undefined) {
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new LabError(`port ${port} is not between 1 and 65535`, 'BAD_REQUEST', `${field}.port`);
      const other = ports.get(port);
      if (other) throw new LabError(`containers ${other} and ${name} both use port ${port}; containers of a Pod share one IP, so their ports must differ`, 'BAD_REQUEST', `${field}.port`);
      ports.set(port, name);
    }
    return { name, workload, ...(port !== undefined ? { port } : {}) };
  });
}

function checkLabels(value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new LabError('labels must be a mapping of label keys to values, such as {"app": "web"}', 'BAD_REQUEST', 'labels');
  const problem = labelsProblem(value as Record<string, string>);
  if (problem) throw new LabError(problem.problem, 'BAD_REQUEST', `labels.${problem.key}`);
  return { ...(value as Record<string, string>) };
}

/** Returns the full PodSpec for `req`, or throws a LabError naming the bad field (name, node, capacity, containers, labels). */
export function validatePodAddition(topology: Topology, existing: readonly PodSpec[], req: PodRequest): PodSpec {
  const name = checkName(req?.name, 'name', 63);
  if (existing.some((p) => p.name === name)) throw new LabError(`pod "${name}" already exists; delete it first or pick another name`, 'CONFLICT', 'name');
  const node = topology.nodes.find((n) => n.name === req.node);
  if (!node) throw new LabError(`node "${String(req.node)}" does not exist (nodes: ${topology.nodes.map((n) => n.name).join(', ')})`, 'NOT_FOUND', 'node');
  const onNode = existing.filter((p) => p.node === node.name).length;
  if (onNode >= hostCount(node.podCIDR)) {
    throw new LabError(`node ${node.name} is full: its Pod CIDR ${node.podCIDR} holds ${hostCount(node.podCIDR)} Pods`, 'CONFLICT', 'node');
  }
  const labels = checkLabels(req.labels);
  return { name, node: node.name, containers: checkContainers(req), ...(labels ? { labels } : {}) };
}
