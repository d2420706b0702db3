/** Runs the first of several equivalent commands whose program exists where it runs (busybox on the embedded lab; ping, curl or wget on a cluster node). */
import type { ExecResult, ExecTarget } from '../providers/embedded/control/protocol';
import type { LabProvider } from '../providers/provider';
import { programMissing } from '../util/exec';

/** The result of the first alternative whose program exists; when none exists, the last result with every program named. */
export async function execFirst(
  lab: LabProvider, where: ExecTarget, alternatives: string[][], opts: { timeoutMs?: number } = {},
): Promise<ExecResult & { argv: string[] }> {
  let last: ExecResult | undefined;
  for (const argv of alternatives) {
    const res = await lab.exec(where, argv, opts);
    if (!programMissing(res)) return { ...res, argv };
    last = res;
  }
  const tried = alternatives.map((a) => a[0] === 'busybox' ? `busybox ${a[1]}` : a[0]).join(', ');
  return { code: last?.code ?? 127, stdout: last?.stdout ?? '', stderr: `none of ${tried} is installed where the command runs (${last?.stderr.trim() ?? ''}); install one of them on the node`, timedOut: false, argv: alternatives[alternatives.length - 1] ?? [] };
}

/** ping once: busybox ping, then the node's ping. */
export function pingCommands(ip: string, waitSeconds = 2): string[][] {
  return [['busybox', 'ping', '-c', '1', '-W', String(waitSeconds), ip], ['ping', '-c', '1', '-W', String(waitSeconds), ip]];
}

/** An HTTP GET printing the body: busybox wget, then curl, then wget (each follows redirects). */
export function httpGetCommands(url: string): string[][] {
  return [['busybox', 'wget', '-q', '-O', '-', url], ['curl', '-s', '-S', '-L', '-m', '5', url], ['wget', '-q', '-O', '-', '-T', '5', url]];
}
