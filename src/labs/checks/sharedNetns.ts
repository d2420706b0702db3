/** `sharedNetns`: two containers of a Pod are in one network namespace (the same netns inode in /proc). */
import { type CheckEvaluator, noSuchPod } from './context';

/** Compares `readlink /proc/<pid>/ns/net` of the two container processes, read from the wire (the sandbox's PID namespace). */
export const sharedNetns: CheckEvaluator<'sharedNetns'> = async (check, { lab }) => {
  const st = await lab.status();
  const pod = st.pods.find((p) => p.name === check.pod);
  if (!pod) return noSuchPod(st, check.pod);
  const containers = check.containers.map((name) => pod.containers.find((c) => c.name === name));
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
