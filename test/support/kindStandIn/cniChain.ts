/** Runs a node's CNI conflist the way containerd's libcni does (each plugin in order, prevResult chained; DEL in reverse), inside the node container. */
import type { DockerEngine } from '../docker/engine';

/** A Pod sandbox as the CNI plugins see it. */
export interface Sandbox {
  namespace: string;
  name: string;
  uid: string;
  sandboxId: string;
  netnsPath: string;
}

/** A conflist as read from /etc/cni/net.d. */
export interface Conflist {
  file: string;
  cniVersion: string;
  name: string;
  plugins: Record<string, unknown>[];
}

/** The first conflist in the node's /etc/cni/net.d by file name (what containerd loads), or undefined when there is none. */
export async function readNodeConflist(engine: DockerEngine, container: string): Promise<Conflist | undefined> {
  const ls = await engine.docker(['exec', container, 'ls', '/etc/cni/net.d']);
  if (ls.code !== 0) return undefined;
  const file = ls.stdout.split('\n').map((l) => l.trim()).filter((l) => l.endsWith('.conflist')).sort()[0];
  if (!file) return undefined;
  const text = await engine.dockerOk(['exec', container, 'cat', `/etc/cni/net.d/${file}`]);
  const doc = JSON.parse(text.stdout) as Omit<Conflist, 'file'>;
  if (!Array.isArray(doc.plugins) || typeof doc.name !== 'string') throw new Error(`${file} on ${container} is not a CNI conflist`);
  return { file, cniVersion: doc.cniVersion, name: doc.name, plugins: doc.plugins };
}

function env(command: 'ADD' | 'DEL', s: Sandbox): string[] {
  const args = `IgnoreUnknown=1;K8S_POD_NAMESPACE=${s.namespace};K8S_POD_NAME=${s.name};K8S_POD_INFRA_CONTAINER_ID=${s.sandboxId};K8S_POD_UID=${s.uid}`;
  return [`CNI_COMMAND=${command}`, `CNI_CONTAINERID=${s.sandboxId}`, `CNI_NETNS=${s.netnsPath}`, 'CNI_IFNAME=eth0', 'CNI_PATH=/opt/cni/bin', `CNI_ARGS=${args}`];
}

async function callPlugin(engine: DockerEngine, container: string, command: 'ADD' | 'DEL', s: Sandbox, conf: Record<string, unknown>): Promise<string> {
  const type = String(conf.type);
  if (!/^[a-z0-9-]+$/.test(type)) throw new Error(`CNI plugin type ${JSON.stringify(type)} is not a plugin name`);
  const r = await engine.docker(['exec', '-i', ...env(command, s).flatMap((e) => ['-e', e]), container, `/opt/cni/bin/${type}`], { input: JSON.stringify(conf), timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`CNI ${type} ${command} for ${s.namespace}/${s.name} failed: ${(r.stdout + r.stderr).trim().slice(0, 300)}`);
  return r.stdout;
}

/** ADD through every plugin of the conflist; resolves with the Pod's IPv4 address from the final result. */
export async function cniAdd(engine: DockerEngine, container: string, list: Conflist, s: Sandbox): Promise<string> {
  let prev: unknown;
  for (const plugin of list.plugins) {
    const out = await callPlugin(engine, container, 'ADD', s, { cniVersion: list.cniVersion, name: list.name, ...plugin, ...(prev ? { prevResult: prev } : {}) });
    prev = JSON.parse(out);
  }
  const ip = (prev as { ips?: { address?: string }[] } | undefined)?.ips?.[0]?.address?.split('/')[0];
  if (!ip || !/^\d+\.\d+\.\d+\.\d+$/.test(ip)) throw new Error(`CNI ADD for ${s.namespace}/${s.name} gave no IPv4 address`);
  return ip;
}

/** DEL through the plugins in reverse order (releases the IP). */
export async function cniDel(engine: DockerEngine, container: string, list: Conflist, s: Sandbox): Promise<void> {
  for (const plugin of [...list.plugins].reverse()) await callPlugin(engine, container, 'DEL', s, { cniVersion: list.cniVersion, name: list.name, ...plugin });
}
