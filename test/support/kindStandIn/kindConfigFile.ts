/** The kind stand-in reads its --config as kind does: v1alpha4 only, and an unknown field is an error (kind decodes strictly). */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The parts of a kind config the stand-in acts on. */
export interface StandInKindConfig {
  name?: string;
  podSubnet: string;
  serviceSubnet: string;
  disableDefaultCNI: boolean;
  /** kube-proxy's data plane (kind's default: iptables). The stand-in's kube-proxy programs rules in nftables mode only. */
  kubeProxyMode: KubeProxyMode;
  nodes: { role: 'control-plane' | 'worker'; image?: string; labels: Record<string, string>; extraMounts: { hostPath: string; containerPath: string; readOnly: boolean }[] }[];
}

const CLUSTER = ['kind', 'apiVersion', 'name', 'nodes', 'networking', 'featureGates', 'runtimeConfig', 'kubeadmConfigPatches', 'kubeadmConfigPatchesJSON6902', 'containerdConfigPatches', 'containerdConfigPatchesJSON6902'];
const NETWORKING = ['ipFamily', 'apiServerPort', 'apiServerAddress', 'podSubnet', 'serviceSubnet', 'disableDefaultCNI', 'kubeProxyMode', 'dnsSearch'];
const NODE = ['role', 'image', 'labels', 'extraMounts', 'extraPortMappings', 'kubeadmConfigPatches', 'kubeadmConfigPatchesJSON6902'];
const MOUNT = ['containerPath', 'hostPath', 'readOnly', 'selinuxRelabel', 'propagation'];

type Obj = Record<string, unknown>;
/** The modes kind accepts for networking.kubeProxyMode. */
export type KubeProxyMode = 'iptables' | 'ipvs' | 'nftables' | 'none';
const PROXY_MODES: readonly string[] = ['iptables', 'ipvs', 'nftables', 'none'];

/** kind validates the mode after decoding: an unknown one is an invalid configuration. */
function proxyMode(value: unknown): KubeProxyMode {
  if (value === undefined || value === '') return 'iptables';
  if (typeof value !== 'string' || !PROXY_MODES.includes(value)) throw new Error(`invalid configuration: invalid kubeProxyMode: ${String(value)}`);
  return value as KubeProxyMode;
}

function strict(obj: unknown, allowed: string[], where: string): Obj {
  if (obj === undefined || obj === null) return {};
  if (typeof obj !== 'object' || Array.isArray(obj)) throw new Error(`unable to decode config: ${where} must be a mapping`);
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) throw new Error(`unable to decode config: error unmarshaling JSON: json: unknown field "${k}"`);
  return obj as Obj;
}

/** Reads and checks a kind config file; throws with kind-like wording for what kind would refuse. */
export function readKindConfig(file: string): StandInKindConfig {
  const doc = strict(parse(readFileSync(file, 'utf8')), CLUSTER, 'the config');
  if (doc.kind !== 'Cluster' || doc.apiVersion !== 'kind.x-k8s.io/v1alpha4') throw new Error(`unable to decode config: unknown apiVersion/kind ${String(doc.apiVersion)}/${String(doc.kind)}`);
  const net = strict(doc.networking, NETWORKING, 'networking');
  const nodes = ((doc.nodes as unknown[] | undefined) ?? [{ role: 'control-plane' }]).map((n, i) => {
    const node = strict(n, NODE, `nodes[${i}]`);
    const mounts = ((node.extraMounts as unknown[] | undefined) ?? []).map((m, j) => strict(m, MOUNT, `nodes[${i}].extraMounts[${j}]`));
    const role = node.role ?? 'control-plane';
    if (role !== 'control-plane' && role !== 'worker') throw new Error(`invalid configuration: unknown role "${String(role)}"`);
    return {
      role: role as 'control-plane' | 'worker',
      ...(typeof node.image === 'string' ? { image: node.image } : {}),
      labels: (node.labels as Record<string, string> | undefined) ?? {},
      extraMounts: mounts.map((m) => ({ hostPath: String(m.hostPath), containerPath: String(m.containerPath), readOnly: m.readOnly === true })),
    };
  });
  if (!nodes.some((n) => n.role === 'control-plane')) throw new Error('invalid configuration: must have at least one control-plane node');
  return {
    ...(typeof doc.name === 'string' ? { name: doc.name } : {}),
    podSubnet: typeof net.podSubnet === 'string' ? net.podSubnet : '10.244.0.0/16',
    serviceSubnet: typeof net.serviceSubnet === 'string' ? net.serviceSubnet : '10.96.0.0/16',
    disableDefaultCNI: net.disableDefaultCNI === true,
    kubeProxyMode: proxyMode(net.kubeProxyMode),
    nodes,
  };
}
