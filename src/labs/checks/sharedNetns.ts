/** `sharedNetns`: two containers of a Pod are in one network namespace (the same netns inode in /proc). */
import { execFirst } from '../../demo/execFirst';
import type { PodInfo } from '../../providers/embedded/control/protocol';
import type { LabProvider } from '../../providers/provider';
import { findPod, podLabel } from '../lookup';
import { type CheckEvaluator, type CheckOutcome, noSuchPod } from './context';

/** TCP ports listening in a network namespace, read with `ss -ltnH` (or busybox netstat -ltn). */
async function listeningPorts(lab: LabProvider, pod: string): Promise<Set<number>> {
  const res = await execFirst(lab, { kind: 'pod', pod }, [['ss', '-ltnH'], ['busybox', 'netstat', '-ltn']], { timeoutMs: 10_000 });
  if (res.code !== 0) throw new Error(`listing the listening sockets failed (exit ${res.code}): ${res.stderr.trim()}`);
  return new Set([...res.stdout.matchAll(/:(\d+)\s/g)].map((m) => Number(m[1])));
}

/**
 * On a cluster the container processes are not visible to PodNet, so the proof is the sockets: the ports both containers
 * listen on are all in the one network namespace PodNet enters for the Pod.
 */
async function onCluster(lab: LabProvider, pod: PodInfo, names: [string, string]): Promise<CheckOutcome> {
  const label = podLabel(pod);
  const containers = names.map((n) => pod.containers.find((c) => c.name === n));
  const missing = names.find((n, i) => !containers[i]);
  if (missing) return { passed: false, message: `${label} has no container named ${missing} (it has ${pod.containers.map((x) => x.name).join(', ')}), so there is nothing to compare.` };
  const ports = containers.map((c) => c?.port);
  if (ports.some((p) => p === undefined)) return { passed: false, message: `On a cluster this check compares the ports the containers listen on, and ${names.filter((_, i) => ports[i] === undefined).join(' and ')} of ${label} declares no port.` };
  const open = await listeningPorts(lab, pod.name);
  const closed = names.filter((_, i) => !open.has(ports[i] as number));
  if (closed.length > 0) return { passed: false, message: `${closed.join(' and ')} of ${label} ${closed.length === 1 ? 'has' : 'have'} no socket listening in ${label}'s network namespace (ports open there: ${[...open].join(', ') || 'none'}), so the two containers are not shown to share it.` };
  return { passed: true, message: `${names[0]} listens on ${ports[0]} and ${names[1]} on ${ports[1]}, both in ${label}'s one network namespace: they share one IP and one localhost.` };
}

/** Compares `readlink /proc/<pid>/ns/net` of the two container processes, read from the wire (the sandbox's PID namespace). */
export const sharedNetns: CheckEvaluator<'sharedNetns'> = async (check, { lab }) => {
  const st = await lab.status();
  const pod = findPod(st, check.pod);
  if (!pod) return noSuchPod(st, check.pod);
  const containers = check.containers.map((name) => pod.containers.find((c) => c.name === name));
  if (st.cluster) return onCluster(lab, pod, check.containers);
  for (const [i, c] of containers.entries()) {
    const name = check.containers[i];
    if (!c) return { passed: false, message: `${pod.name} has no container named ${name} (it has ${pod.containers.map((x) => x.name).join(', ')}), so there is nothing to compare.` };
    if (c.state !== 'running' || c.pid === undefined) {
      return { passed: false, message: `The ${name} container of ${pod.name} is not running (it exited${c.exitCode !== undefined && c.exitCode !== null ? ` with code ${c.exitCode}` : ''}), so it is in no network namespace; delete the Pod and create it again, then check again.` };
    }
  }
  const [a, b] = containers as NonNullable<(typeof containers)[number]>[];
  const res = await lab.exec({ kind: 'wire' }, ['readlink', `/proc/${a.pid}/ns/net`, `/proc/${b.pid}/ns/net`], { timeoutMs: 10_000 });
  const [nsA, nsB] = res.stdout.trim().split('\n');
  if (res.code !== 0 || !nsA || !nsB) return { passed: false, message: `Could not read the network namespaces of ${pod.name}'s containers (readlink exited ${res.code}: ${res.stderr.trim()}); a container may have just exited.` };
  if (nsA === nsB) return { passed: true, message: `${a.name} (PID ${a.pid}) and ${b.name} (PID ${b.pid}) of ${pod.name} are in the same network namespace, ${nsA}: they share one IP and one localhost.` };
  return { passed: false, message: `${a.name} is in ${nsA} but ${b.name} is in ${nsB}: the two containers of ${pod.name} are in different network namespaces, so they do not share an IP or localhost.` };
};
