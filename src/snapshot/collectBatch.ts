/**
 * Fewer round trips per namespace: the `ip` tables other than links through one `ip -j -batch -`, and both sysctls
 * through one `cat`. Each process costs a `docker exec`, an API exec or an nsenter, so 9 commands become 5. Whenever a
 * batch cannot be read whole (a command in it failed, an `ip` without -batch), the caller runs the single commands
 * instead, which say precisely what failed.
 */
import type { LabProvider } from '../providers/provider';
import { execIn, type NamespaceTarget } from './collectExec';

/** The `ip` tables read in one batch, in order: each line one command, one JSON document each on stdout. */
export const IP_BATCH = {
  argv: ['ip', '-j', '-batch', '-'],
  /** `root 0.0.0.0/0` keeps the routes IPv4 only, as `-4` does for the single command (it cannot go on a line). */
  lines: ['addr show', 'route show table all root 0.0.0.0/0', 'rule show', 'neigh show'],
} as const;

/** Both sysctls in one read; the second file exists only while br_netfilter is loaded. */
export const SYSCTL_BATCH = ['cat', '/proc/sys/net/ipv4/ip_forward', '/proc/sys/net/bridge/bridge-nf-call-iptables'] as const;

/** The JSON documents one after another in `text` (arrays or objects, whitespace between), as strings. */
export function splitJsonDocuments(text: string): string[] {
  const docs: string[] = [];
  let depth = 0;
  let start = 0;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"' && depth > 0) inString = true;
    else if (c === '[' || c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === ']' || c === '}') {
      if (--depth < 0) throw new Error(`unexpected "${c}" at offset ${i}`);
      if (depth === 0) docs.push(text.slice(start, i + 1));
    } else if (depth === 0 && !/\s/.test(c)) throw new Error(`unexpected "${c}" between documents at offset ${i}`);
  }
  if (depth !== 0 || inString) throw new Error('the output ends inside a document');
  return docs;
}

/** The batch's documents, one per line of {@link IP_BATCH}, or undefined when it did not run whole (use single commands). */
export async function readIpBatch(lab: LabProvider, ns: NamespaceTarget): Promise<string[] | undefined> {
  const res = await execIn(lab, ns, [...IP_BATCH.argv], `${IP_BATCH.lines.join('\n')}\n`);
  if (res.code !== 0) return undefined;
  try {
    const docs = splitJsonDocuments(res.stdout);
    return docs.length === IP_BATCH.lines.length ? docs : undefined;
  } catch {
    return undefined; // not a clean run of documents: the single commands report what is wrong
  }
}

/** Forwarding and bridge-netfilter from one `cat`, or undefined when its output is not what the two files hold. */
export async function readSysctlBatch(lab: LabProvider, ns: NamespaceTarget): Promise<{ forwarding: string; bridgeNetfilter: boolean } | undefined> {
  const res = await execIn(lab, ns, [...SYSCTL_BATCH]);
  const lines = res.stdout.split('\n').filter((l) => l.trim() !== '');
  const bit = (l: string | undefined) => l !== undefined && /^[01]$/.test(l.trim());
  if (res.code === 0 && lines.length === 2 && bit(lines[0]) && bit(lines[1])) return { forwarding: lines[0], bridgeNetfilter: lines[1].trim() === '1' };
  // No such file: br_netfilter is not loaded, so bridged frames skip the IP hooks.
  if (res.code !== 0 && lines.length === 1 && bit(lines[0]) && /bridge-nf-call-iptables: No such file/.test(res.stderr)) {
    return { forwarding: lines[0], bridgeNetfilter: false };
  }
  return undefined;
}
