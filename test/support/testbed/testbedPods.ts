/** Test bed Pods: a netns per Pod inside its node (as containerd names them), wired by the real CNI plugin, running a web server. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { DockerEngine } from '../docker/engine';
import { addressFromResult, runCni } from './testbedCni';
import { DEFAULT_CONTAINERS, type TestbedContainer, type TestbedNode, type TestbedPod, type TestbedPodSpec } from './testbedTypes';

/** Where each workload's pidfile lives on the node (/run exists there), so deleting a Pod stops exactly its servers. */
function pidfile(pod: TestbedPod, container: string): string {
  return `/run/podnet-pod-${pod.uid}-${container}.pid`;
}

/** argv starting one container's busybox httpd detached with a pidfile, with POD_NAME for /cgi-bin/hostname. */
function workloadArgv(pod: TestbedPod, c: TestbedContainer): string[] {
  return [
    'env', `POD_NAME=${pod.namespace}/${pod.name}`,
    'start-stop-daemon', '-S', '-b', '-m', '-p', pidfile(pod, c.name), '-x', '/usr/bin/httpd', '--', '-f', '-p', String(c.port), '-h', '/var/www',
  ];
}

/** One `ip -batch` script making the Pods' namespaces, bringing their loopback up and starting their servers in them. */
function sandboxBatch(pods: TestbedPod[]): string {
  const lines: string[] = [];
  for (const pod of pods) {
    const ns = pod.netnsPath.split('/').pop() ?? '';
    lines.push(`netns add ${ns}`, `netns exec ${ns} ip link set lo up`);
    for (const c of pod.containers) lines.push(`netns exec ${ns} ${workloadArgv(pod, c).join(' ')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Ports in LISTEN state in one `netstat -ltn` listing. */
function listeningPorts(netstat: string): Set<number> {
  const ports = new Set<number>();
  for (const m of netstat.matchAll(/^tcp6?\s+\d+\s+\d+\s+\S*:(\d+)\s+\S+\s+LISTEN/gm)) ports.add(Number(m[1]));
  return ports;
}

/** Waits until every Pod's servers listen (start-stop-daemon -b returns before httpd binds), polling one exec per node. */
async function waitForServers(engine: DockerEngine, node: TestbedNode, pods: TestbedPod[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let waiting = pods;
  while (waiting.length > 0) {
    const inNetns = await engine.docker(['exec', node.container, 'ip', '-all', 'netns', 'exec', 'netstat', '-ltn']);
    const onNode = listeningPorts((await engine.docker(['exec', node.container, 'netstat', '-ltn'])).stdout);
    const byNetns = new Map<string, Set<number>>();
    const parts = inNetns.stdout.split(/^netns: (.*)$/m);
    for (let i = 1; i + 1 < parts.length; i += 2) byNetns.set(parts[i].trim(), listeningPorts(parts[i + 1]));
    waiting = waiting.filter((pod) => {
      const ports = pod.hostNetwork ? onNode : byNetns.get(pod.netnsPath.split('/').pop() ?? '');
      return !pod.containers.every((c) => ports?.has(c.port));
    });
    if (waiting.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`the web servers of ${waiting.map((p) => `${p.namespace}/${p.name}`).join(', ')} on ${node.name} did not listen within ${timeoutMs / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs `fn` over items, at most `limit` at a time (the machine has 2 cores; docker exec is the cost). */
export async function inPool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Creates Pods on one node: their namespaces (one `ip -batch`), CNI ADD for each, loopback up, then their web servers. */
export async function createPodsOnNode(engine: DockerEngine, node: TestbedNode, cni: 'ptp' | 'bridge', specs: TestbedPodSpec[]): Promise<TestbedPod[]> {
  const pods: TestbedPod[] = specs.map((s) => {
    const netnsName = `cni-${randomUUID()}`;
    return {
      namespace: s.namespace,
      name: s.name,
      uid: randomUUID(),
      node: node.name,
      ip: s.hostNetwork ? node.ip : '',
      netnsPath: s.hostNetwork ? '' : `/var/run/netns/${netnsName}`,
      sandboxId: randomBytes(32).toString('hex'),
      containers: (s.containers ?? DEFAULT_CONTAINERS).map((c) => ({ ...c })),
      hostNetwork: Boolean(s.hostNetwork),
    };
  });
  const sandboxed = pods.filter((p) => !p.hostNetwork);
  if (sandboxed.length > 0) {
    // Names and ports were checked (DNS labels, numbers), so the batch's whitespace splitting keeps every argument whole.
    await engine.dockerOk(['exec', '-i', node.container, 'ip', '-batch', '-'], { input: sandboxBatch(sandboxed) }, `creating Pod namespaces on ${node.name}`);
    const results = await runCni(engine, node, cni, 'ADD', sandboxed);
    for (const pod of sandboxed) {
      const what = `Pod ${pod.namespace}/${pod.name} on ${node.name}`;
      const r = results.get(pod.sandboxId);
      if (!r || r.code !== 0) throw new Error(`CNI ${cni} ADD for ${what} failed: ${r ? r.output.trim().slice(0, 300) : 'no result'}`);
      pod.ip = addressFromResult(r.output, what);
    }
  }
  for (const pod of pods.filter((p) => p.hostNetwork)) {
    for (const c of pod.containers) {
      await engine.dockerOk(['exec', node.container, ...workloadArgv(pod, c)], {}, `starting container ${c.name} of Pod ${pod.namespace}/${pod.name}`);
    }
  }
  await waitForServers(engine, node, pods);
  return pods;
}

/** Deletes a Pod the way the kubelet would: stop its servers, CNI DEL (frees the IP), delete the namespace. */
export async function deletePodOnNode(engine: DockerEngine, node: TestbedNode, cni: 'ptp' | 'bridge', pod: TestbedPod): Promise<void> {
  for (const c of pod.containers) {
    // Exit 1 means no such process: a server that already died counts as stopped.
    const r = await engine.docker(['exec', node.container, 'start-stop-daemon', '-K', '-q', '-p', pidfile(pod, c.name)]);
    if (r.code > 1) throw new Error(`stopping container ${c.name} of Pod ${pod.namespace}/${pod.name} failed: ${r.stderr.trim()}`);
  }
  if (pod.hostNetwork) return;
  const del = (await runCni(engine, node, cni, 'DEL', [pod])).get(pod.sandboxId);
  if (!del || del.code !== 0) throw new Error(`CNI ${cni} DEL for Pod ${pod.namespace}/${pod.name} failed: ${del ? del.output.trim().slice(0, 300) : 'no result'}`);
  const name = pod.netnsPath.split('/').pop() ?? '';
  await engine.dockerOk(['exec', node.container, 'ip', 'netns', 'del', name], {}, `deleting the namespace of Pod ${pod.name}`);
}
