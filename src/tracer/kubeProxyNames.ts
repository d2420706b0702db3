/** Reads kube-proxy nftables-mode chain names (`service-HASH-ns/name/proto/port`, `endpoint-HASH-...__ip/port`) back into a Service key. */

/** The Service port a kube-proxy chain belongs to, and for an endpoint chain the endpoint. */
export interface ServiceChainKey {
  /** What the chain does: the Cluster-policy chain, an endpoint's, the NodePort/external entry, the Local-policy chain, a firewall. */
  kind: 'service' | 'endpoint' | 'external' | 'local' | 'firewall';
  namespace: string;
  name: string;
  protocol: string;
  /** The Service port's name (empty for an unnamed port). */
  port: string;
  /** For an `endpoint-...` chain: the endpoint's address and port. */
  endpoint?: { ip: string; port: number };
}

// kube-proxy: prefix, 8 characters of base32(sha256(name)), '-', then ns/name/proto/port[__ip/port]
const CHAIN = /^(service|endpoint|external|local|firewall)-[A-Za-z0-9]{4,16}-([a-z0-9][a-z0-9.-]*)\/([a-z0-9][a-z0-9.-]*)\/(tcp|udp|sctp)\/([a-z0-9-]*)(?:__([0-9.]+)\/(\d+))?$/;

/** The Service key of a kube-proxy chain name, or undefined for any other chain (incl. names kube-proxy truncated with `...`). */
export function serviceKeyOfChain(chain: string): ServiceChainKey | undefined {
  const m = CHAIN.exec(chain);
  if (!m) return undefined;
  const [, kind, namespace, name, protocol, port, ip, epPort] = m;
  if ((kind === 'endpoint') !== (ip !== undefined)) return undefined;
  return {
    kind: kind as ServiceChainKey['kind'], namespace, name, protocol, port,
    ...(ip !== undefined ? { endpoint: { ip, port: Number(epPort) } } : {}),
  };
}

/** `default/web:http` (kube-proxy's own way of naming a Service port), or `default/web` for an unnamed port. */
export function servicePortName(key: Pick<ServiceChainKey, 'namespace' | 'name' | 'port'>): string {
  return `${key.namespace}/${key.name}${key.port ? `:${key.port}` : ''}`;
}
