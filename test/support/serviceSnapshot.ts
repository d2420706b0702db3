/**
 * A snapshot with Services for tracer tests and the bench: a recorded lab snapshot plus, on every node, kube-proxy's
 * nftables table as the lab's generator writes it, loaded into the real nft in a scratch user+network namespace and
 * listed back with `nft -j list ruleset` (so the tracer reads real nft JSON), and the Services in the cluster facts.
 */
import type { ServiceSpec } from '../../src/model/topology';
import { kubeProxyRuleset, type KubeProxyService } from '../../src/providers/embedded/daemon/services/kubeProxyRules';
import { findExecutable } from '../../src/providers/embedded/tools';
import type { Snapshot, SnapshotService } from '../../src/snapshot/types';
import { runOk } from '../../src/util/exec';

/** A Service for the builder: its spec and the Pods (by name) that are its ready endpoints. */
export interface ServiceWithPods {
  spec: ServiceSpec;
  pods: string[];
}

/** A ServiceSpec with the lab's defaults (ClusterIP 10.96.0.100+i, port 80 -> 8080, tcp, Cluster). */
export function serviceSpec(name: string, i: number, extra: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    name, selector: { pods: [] }, type: 'ClusterIP', clusterIP: `10.96.0.${100 + i}`, protocol: 'tcp', port: 80, targetPort: 8080,
    externalTrafficPolicy: 'Cluster', ...extra,
  };
}

/** `nft -j list ruleset` after loading `script` into a fresh scratch namespace (never the host's own). */
export async function nftJsonOf(script: string): Promise<unknown[]> {
  const nft = findExecutable('nft') ?? 'nft';
  // A fixed script: the rules come on stdin, the nft path as $1; nothing user-typed is interpolated.
  // As root a plain new network namespace: nft may then raise its netlink buffer for a big table (100 Services), which
  // a user namespace refuses ("Message too long"); otherwise a user namespace of our own.
  const unshare = process.getuid?.() === 0 ? ['unshare', '-n'] : ['unshare', '-Urn'];
  const argv = [...unshare, '--', 'sh', '-c', '"$1" -f - && "$1" -j list ruleset', 'sh', nft];
  const res = await runOk(argv, { input: script, timeoutMs: 60_000 }, 'loading kube-proxy rules into a scratch namespace');
  return (JSON.parse(res.stdout) as { nftables: unknown[] }).nftables;
}

function toSnapshotService(s: Snapshot, w: ServiceWithPods): SnapshotService {
  const pods = w.pods.map((name) => {
    const pod = s.cluster.pods.find((p) => p.name === name);
    if (!pod) throw new Error(`no Pod ${name} in the base snapshot`);
    return pod;
  });
  return {
    name: w.spec.name, type: w.spec.type, clusterIP: w.spec.clusterIP, externalTrafficPolicy: w.spec.externalTrafficPolicy,
    ports: [{ protocol: w.spec.protocol, port: w.spec.port, targetPort: w.spec.targetPort, ...(w.spec.nodePort ? { nodePort: w.spec.nodePort } : {}) }],
    endpoints: pods.map((p) => ({ ip: p.ip, pod: p.name, node: p.node, ready: true, ports: [{ protocol: w.spec.protocol, port: w.spec.targetPort }] })),
  };
}

/** `base` with the Services added: kube-proxy's table on every node (real nft JSON) and the Services in the cluster facts. */
export async function withServices(base: Snapshot, services: ServiceWithPods[], serviceCIDR = '10.96.0.0/12'): Promise<Snapshot> {
  const s = structuredClone(base);
  const facts = services.map((w) => toSnapshotService(s, w));
  const proxied: KubeProxyService[] = services.map((w, i) => ({
    spec: w.spec, endpoints: facts[i].endpoints.map((e) => ({ ip: e.ip, port: w.spec.targetPort, pod: e.pod, node: e.node, ready: true })),
  }));
  await Promise.all(s.cluster.nodes.map(async (node) => {
    const ns = s.namespaces.find((n) => n.id === `node/${node.name}`);
    if (!ns) throw new Error(`no namespace node/${node.name} in the base snapshot`);
    const script = kubeProxyRuleset({ node: { name: node.name, ip: node.ip }, clusterCIDR: s.cluster.clusterCIDR ?? '10.244.0.0/16', serviceCIDR, services: proxied });
    const listed = await nftJsonOf(script);
    const before = ns.filter.tool === 'nft' && Array.isArray(ns.filter.nft) ? ns.filter.nft.filter((x) => !('metainfo' in (x as object))) : [];
    ns.filter = { tool: 'nft', nft: [...listed, ...before] };
    // As the lab's service proxy does (routeServiceRange): the service range routed out of eth0, so a ClusterIP
    // without endpoints reaches kube-proxy's reject in the forward hook instead of failing the route lookup.
    if (!ns.routes.some((r) => r.dst === serviceCIDR)) ns.routes.push({ table: 'main', type: 'unicast', dst: serviceCIDR, dev: 'eth0', scope: 'link' });
  }));
  s.version = 2;
  s.cluster.serviceCIDR = serviceCIDR;
  s.cluster.services = facts;
  return s;
}
