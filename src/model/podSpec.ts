/** The `pods:` section of a topology file: each Pod, its labels and its containers, with their defaults. */
import type { Node } from 'yaml';
import { readLabels } from './labels';
import type { ContainerSpec, PodSpec, WorkloadKind } from './topology';
import type { SpecReader } from './topologyYaml';

const DEFAULT_WEB_PORT = 8080;
const WORKLOADS: readonly WorkloadKind[] = ['web', 'sidecar', 'sleep'];
const POD_KEYS = ['name', 'node', 'labels', 'containers'];
const CONTAINER_KEYS = ['name', 'workload', 'port'];

/** Reads one Pod at `pods[i]`; problems go to `r`. */
export function readPod(r: SpecReader, item: Node | undefined, i: number): PodSpec {
  const path = `pods[${i}]`;
  const f = item === undefined ? undefined : r.map(item, path, POD_KEYS, `${path} (a Pod)`, '`- {name: pod-a, node: node1}`');
  if (item === undefined) r.fail(path, `${path} is empty`, 'write `- {name: pod-a, node: node1}`');
  if (!f) return { name: '', node: '', containers: [] };
  const name = r.str(f, 'name');
  if (f.get('name') === undefined) r.fail(`${path}.name`, `${path} has no name`, 'add `name: pod-a`');
  const node = r.str(f, 'node');
  if (f.get('node') === undefined) r.fail(`${path}.node`, `Pod ${name ?? path} has no node`, 'add `node: <node name>` to say where it runs');
  const items = r.list(f.get('containers'), `${path}.containers`, '- {name: web, workload: web}');
  if (items?.length === 0) {
    r.fail(`${path}.containers`, `${path}.containers is empty; a Pod needs at least one container`, 'remove the key to get the default web container, or list one');
  }
  const containers = items ? items.map((c, j) => readContainer(r, c, `${path}.containers[${j}]`)) : [defaultContainer()];
  const labels = readLabels(r, f.get('labels'), `${path}.labels`);
  return { name: name ?? '', node: node ?? '', containers, ...(labels ? { labels } : {}) };
}

function defaultContainer(): ContainerSpec {
  return { name: 'web', workload: 'web', port: DEFAULT_WEB_PORT };
}

function readContainer(r: SpecReader, item: Node | undefined, path: string): ContainerSpec {
  const f = item === undefined ? undefined : r.map(item, path, CONTAINER_KEYS, `${path} (a container)`, '`- {name: web, workload: web}`');
  if (item === undefined) r.fail(path, `${path} is empty`, 'write `- {name: web, workload: web}`');
  if (!f) return { name: '', workload: 'web' };
  const name = r.str(f, 'name');
  if (f.get('name') === undefined) r.fail(`${path}.name`, `${path} has no name`, 'add `name: web`');
  const kind = r.str(f, 'workload') ?? 'web';
  const known = WORKLOADS.includes(kind as WorkloadKind);
  if (!known) r.fail(`${path}.workload`, `unknown workload '${kind}'`, `use one of: ${WORKLOADS.join(', ')}`);
  const workload = known ? (kind as WorkloadKind) : 'web';
  // No default port for an unknown workload: it would only cause a follow-on port clash error.
  const port = f.get('port') === undefined ? (kind === 'web' ? DEFAULT_WEB_PORT : undefined) : r.int(f, 'port');
  return port === undefined ? { name: name ?? '', workload } : { name: name ?? '', workload, port };
}
