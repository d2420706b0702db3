/** Asks a lab web server who it is, from inside a Pod or node, and parses its JSON answer. */
import type { ExecTarget } from '../providers/embedded/control/protocol';
import type { LabProvider } from '../providers/provider';
import { execFirst, httpGetCommands } from './execFirst';

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

/** Who answered an HTTP request and the source address it saw, from either web server a lab may run. */
export interface SourceAnswer {
  /** The Pod that answered, as it names itself (`pod-a`, or `NAMESPACE/NAME` on a cluster); '' when it does not say. */
  pod: string;
  /** The container that answered, when the server says (the embedded web workload); '' otherwise. */
  container: string;
  sawSource: string;
  sawSourcePort: number;
}

/** Parses agnhost's `/clientip` answer (`IP:PORT`, or `[IPv6]:PORT`); undefined when it is not one. */
export function parseClientIp(text: string): { ip: string; port: number } | undefined {
  const m = /^\[?([0-9a-fA-F.:]+?)\]?:(\d{1,5})$/.exec(text.trim());
  return m ? { ip: m[1].replace(/^::ffff:/, ''), port: Number(m[2]) } : undefined;
}

async function fetchText(lab: LabProvider, from: ExecTarget, url: string): Promise<string> {
  const res = await execFirst(lab, from, httpGetCommands(url), { timeoutMs: 10_000 });
  if (res.code !== 0) throw new Error(`GET ${url} failed (exit ${res.code}): ${res.stderr.trim() || res.stdout.trim()}`);
  return res.stdout;
}

/**
 * GETs http://HOST:PORT/ from `from` (busybox wget, else the node's curl or wget) and reads who answered and the source
 * it saw: the embedded web workload's JSON, or else agnhost netexec's `/clientip` (`IP:PORT`) and `/hostname`.
 */
export async function whoSawWhat(lab: LabProvider, from: ExecTarget, host: string, port = 8080): Promise<SourceAnswer> {
  const base = `http://${host}:${port}`;
  const root = await fetchText(lab, from, `${base}/`);
  try {
    const j = JSON.parse(root) as Partial<WebAnswer>;
    if (typeof j.sawSource === 'string') return { pod: String(j.pod ?? ''), container: String(j.container ?? ''), sawSource: j.sawSource, sawSourcePort: Number(j.sawSourcePort ?? 0) };
  } catch {
    // Not JSON: not the embedded web workload, so ask it the agnhost way below.
  }
  const clientIp = await fetchText(lab, from, `${base}/clientip`);
  const seen = parseClientIp(clientIp);
  if (!seen) throw new Error(`${base}/ answered neither the embedded web workload's JSON nor agnhost's /clientip (it said "${clientIp.trim().slice(0, 80)}")`);
  const pod = (await fetchText(lab, from, `${base}/hostname`).catch(() => '')).trim();
  return { pod, container: '', sawSource: seen.ip, sawSourcePort: seen.port };
}
