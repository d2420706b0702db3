/** Asks a lab web server who it is, from inside a Pod or node, and parses its JSON answer. */
import type { ExecTarget } from '../providers/embedded/control/protocol';
import type { LabProvider } from '../providers/provider';

/** What the built-in web workload answers. */
export interface WebAnswer {
  pod: string;
  node: string;
  container: string;
  podIP: string;
  port: number;
  sawSource: string;
  sawSourcePort: number;
}

/** GETs http://HOST:PORT/ from `from` with busybox wget (its -T flag crashes in Debian 12, so the exec timeout bounds it); rejects with the command's error text on failure. */
export async function httpGet(lab: LabProvider, from: ExecTarget, host: string, port = 8080): Promise<WebAnswer> {
  const res = await lab.exec(from, ['busybox', 'wget', '-q', '-O', '-', `http://${host}:${port}/`], { timeoutMs: 10_000 });
  if (res.code !== 0) throw new Error(`GET http://${host}:${port}/ failed (exit ${res.code}): ${res.stderr.trim() || res.stdout.trim()}`);
  return JSON.parse(res.stdout) as WebAnswer;
}

/** The IPv4 addresses on `dev` in a namespace, read from the kernel with `ip -j addr`. */
export async function kernelAddresses(lab: LabProvider, where: ExecTarget, dev = 'eth0'): Promise<string[]> {
  const res = await lab.exec(where, ['ip', '-j', '-4', 'addr', 'show', 'dev', dev]);
  if (res.code !== 0) throw new Error(`ip addr show ${dev} failed: ${res.stderr.trim()}`);
  const links = JSON.parse(res.stdout) as { addr_info?: { local: string }[] }[];
  return links.flatMap((l) => (l.addr_info ?? []).map((a) => a.local));
}
