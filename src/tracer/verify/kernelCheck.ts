/** Asks each namespace's kernel (`ip -j route get`) for the route the tracer predicted, and records any disagreement. */
import type { LabProvider } from '../../providers/provider';
import type { Hop, KernelCheck } from '../types';
import { execTargetFor } from './namespaceTarget';

interface KernelRoute {
  dst?: string;
  gateway?: string;
  dev?: string;
  prefsrc?: string;
  type?: string;
}

/** The `ip route get` argv for an L3 hop (locally sent hops have no iif); inside a VXLAN tunnel the kernel routes the outer packet. */
function routeGetArgv(hop: Hop, srcBefore: string): string[] {
  const argv = ['ip', '-j', 'route', 'get', (hop.outer ?? hop.headers).dstIP];
  // The first hop is generated locally (a send, an encapsulation, or a delivery to the sender's own address through lo): no iif.
  if (hop.decision === 'send' || hop.decision === 'encap' || hop.index === 1) return srcBefore ? [...argv, 'from', srcBefore] : argv;
  return [...argv, 'from', srcBefore, 'iif', hop.ifIn ?? 'lo'];
}

function checkOne(hop: Hop, kernel: KernelRoute | undefined, error: string | undefined, argv: string[]): KernelCheck {
  const route = hop.rows.find((r) => r.kind === 'route');
  const predictedLocal = hop.decision === 'deliver';
  const predictedNone = hop.decision === 'drop' && !route;
  if (error) return { argv, agrees: predictedNone, error };
  if (!kernel) return { argv, agrees: false, error: 'no answer' };
  const k = { dev: kernel.dev, gateway: kernel.gateway, prefsrc: kernel.prefsrc, type: kernel.type };
  if (predictedLocal) return { argv, agrees: kernel.type === 'local', kernel: k };
  if (predictedNone || route?.kind !== 'route') return { argv, agrees: false, kernel: k };
  const agrees = (kernel.dev ?? '') === (route.route.dev ?? '') && (kernel.gateway ?? '') === (route.route.gateway ?? '');
  return { argv, agrees, kernel: k };
}

/** Runs `ip route get` for every routing decision of the trace not checked yet, in parallel, and attaches the result to the hop. */
export async function crossCheckWithKernel(lab: LabProvider, hops: Hop[], originalSrc: string): Promise<void> {
  const l3 = hops.filter((h) => !h.kernel).filter((h) => h.decision === 'send' || h.decision === 'encap' || h.decision === 'forward' || h.decision === 'deliver' || (h.decision === 'drop' && h.rows.some((r) => r.kind === 'route' || r.kind === 'sysctl')) || (h.decision === 'drop' && h.sentence.includes('no usable route')));
  await Promise.all(l3.map(async (hop) => {
    const previous = hops[hop.index - 2];
    const src = hop.outer ? hop.outer.srcIP : hop.decision === 'send' || hop.index === 1 ? hop.headers.srcIP : (previous?.headers.srcIP ?? originalSrc);
    const argv = routeGetArgv(hop, src);
    const res = await lab.exec(execTargetFor(hop.namespace), argv, { timeoutMs: 5000 });
    if (res.code !== 0) {
      hop.kernel = checkOne(hop, undefined, res.stderr.trim().replace(/^RTNETLINK answers: /, '') || `exit ${res.code}`, argv);
      return;
    }
    let route: KernelRoute | undefined;
    try {
      [route] = JSON.parse(res.stdout || '[]') as KernelRoute[];
    } catch (e) {
      // Kernel output is untrusted too: an unreadable answer is recorded as such on the hop, not thrown at the user.
      hop.kernel = { argv, agrees: false, error: `unreadable answer from ip route get (${(e as Error).message})` };
      return;
    }
    hop.kernel = checkOne(hop, route, undefined, argv);
  }));
}
