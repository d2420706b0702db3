/**
 * Names of kube-proxy's per-Service nftables chains (nftables mode): `<prefix><HASH>-<ns>/<name>/<proto>/<portName>`,
 * where HASH is the first 8 base32 characters of the SHA-256 of the rest, so two near-identical names still look apart.
 */
import { createHash } from 'node:crypto';

/** The table every kube-proxy object lives in (family ip). */
export const KUBE_PROXY_TABLE = 'kube-proxy';

/** nft refuses names longer than this; kube-proxy keeps 16 characters for the prefix. */
const NAME_MAX = 256;
const BASE_MAX = NAME_MAX - 16;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (no padding needed: callers take a prefix) of `bytes`. */
function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** Names already hashed: every sync names every chain again, and a SHA-256 per chain would be most of a sync's time. */
const hashed = new Map<string, string>();
const HASHED_MAX = 20_000;

/** `HASH-name`, cut to the length nft allows (never reached with Kubernetes' own name limits). */
export function hashAndTruncate(name: string): string {
  let out = hashed.get(name);
  if (out === undefined) {
    const full = `${base32(createHash('sha256').update(name).digest()).slice(0, 8)}-${name}`;
    out = full.length > BASE_MAX ? `${full.slice(0, BASE_MAX - 3)}...` : full;
    if (hashed.size >= HASHED_MAX) hashed.clear(); // bounded: endpoints of deleted Pods must not pile up forever
    hashed.set(name, out);
  }
  return out;
}

/** One port of one Service, as kube-proxy names it: namespace, Service, protocol and the port's name ('' when unnamed). */
export interface ServicePortName {
  namespace: string;
  name: string;
  protocol: 'tcp' | 'udp';
  portName: string;
}

/** The chain-name base of a Service port: `HASH-ns/name/proto/portName`. */
export function servicePortChainBase(p: ServicePortName): string {
  return hashAndTruncate(`${p.namespace}/${p.name}/${p.protocol}/${p.portName}`);
}

/** The chain-name base of one endpoint of a Service port: `HASH-ns/name/proto/portName__ip/port`. */
export function endpointChainBase(p: ServicePortName, ip: string, port: number): string {
  return hashAndTruncate(`${p.namespace}/${p.name}/${p.protocol}/${p.portName}__${ip}/${port}`);
}

/** What kube-proxy writes in comments for a Service port: `ns/name`, plus `:portName` for a named port. */
export function servicePortString(p: ServicePortName): string {
  return `${p.namespace}/${p.name}${p.portName ? `:${p.portName}` : ''}`;
}

/** Every chain a Service port may use on a node. */
export interface ServiceChainNames {
  /** Endpoints for Cluster policy (ClusterIP traffic, NodePort with Cluster). */
  cluster: string;
  /** Only this node's endpoints (NodePort with externalTrafficPolicy Local). */
  local: string;
  /** NodePort entry: masquerade or short-circuit, then the policy chain. */
  external: string;
  /** One endpoint's chain for `ip:port`. */
  endpoint: (ip: string, port: number) => string;
}

/** The chain names of a Service port, as kube-proxy's nftables mode spells them. */
export function serviceChainNames(p: ServicePortName): ServiceChainNames {
  const base = servicePortChainBase(p);
  return {
    cluster: `service-${base}`,
    local: `local-${base}`,
    external: `external-${base}`,
    endpoint: (ip, port) => `endpoint-${endpointChainBase(p, ip, port)}`,
  };
}
