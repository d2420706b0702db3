/** The test bed's spec and description (plain JSON), and the address arithmetic that shapes it like kind. */

/** One container of a test bed Pod: a web server on `port` answering /cgi-bin/clientip and /cgi-bin/hostname. */
export interface TestbedContainer {
  name: string;
  port: number;
}

/** A Pod to create. */
export interface TestbedPodSpec {
  namespace: string;
  name: string;
  /** Node name, e.g. `kind-worker`. */
  node: string;
  /** Default one container `web` on 8080. */
  containers?: TestbedContainer[];
  /** Runs in the node's own network namespace, with the node's IP. */
  hostNetwork?: boolean;
}

/** What to build: kind's node names and labels, a Pod CIDR per node, Pods wired by a real CNI plugin. */
export interface TestbedSpec {
  /** kind cluster name: containers are `<cluster>-control-plane`, `<cluster>-worker`, `<cluster>-worker2`... */
  cluster: string;
  /** Worker nodes besides the control plane (the article: 2). */
  workers: number;
  /** `ptp` as kindnet (a veth and a /32 route per Pod, no bridge) or `bridge` (cbr0, the Pod's default route via it). */
  cni: 'ptp' | 'bridge';
  /** Pods `web-<node index>-<n>` in namespace default on every node; ignored when `pods` is given. */
  podsPerNode?: number;
  pods?: TestbedPodSpec[];
  /** Default 10.244.0.0/16; node i gets its i-th /24. */
  podSubnet?: string;
}

/** A node container. */
export interface TestbedNode {
  name: string;
  /** Docker container name (same as the node name, as in kind). */
  container: string;
  /** Address on the Docker network `kind`. */
  ip: string;
  podCIDR: string;
  /** `kind://docker/<cluster>/<name>`. */
  providerID: string;
  role: 'control-plane' | 'worker';
}

/** A Pod as made: its namespace is a netns inside its node, as containerd makes them. */
export interface TestbedPod {
  namespace: string;
  name: string;
  uid: string;
  node: string;
  ip: string;
  /** `/var/run/netns/cni-<uuid>` inside the node; '' for hostNetwork Pods. */
  netnsPath: string;
  /** The sandbox id the CNI plugin was called with (needed to release the IP). */
  sandboxId: string;
  containers: TestbedContainer[];
  hostNetwork: boolean;
}

/** A built test bed: enough to describe it as V1Node and V1Pod objects, and to tear it down. */
export interface Testbed {
  cluster: string;
  cni: 'ptp' | 'bridge';
  image: string;
  network: { name: string; subnet: string };
  nodes: TestbedNode[];
  pods: TestbedPod[];
}

/** The Docker network kind uses, and the subnet it is given (only inside the isolated test dockerd). */
export const KIND_NETWORK = { name: 'kind', subnet: '172.18.0.0/16' } as const;
/** Default container of a Pod. */
export const DEFAULT_CONTAINERS: readonly TestbedContainer[] = [{ name: 'web', port: 8080 }];

/** kind's node names: `<cluster>-control-plane`, then `<cluster>-worker`, `<cluster>-worker2`... */
export function nodeNames(cluster: string, workers: number): { name: string; role: TestbedNode['role'] }[] {
  const names: { name: string; role: TestbedNode['role'] }[] = [{ name: `${cluster}-control-plane`, role: 'control-plane' }];
  for (let i = 1; i <= workers; i++) names.push({ name: `${cluster}-worker${i === 1 ? '' : i}`, role: 'worker' });
  return names;
}

/** The i-th /24 inside the Pod subnet (which must be /8 to /24 and leave room for it). */
export function podCidrFor(podSubnet: string, index: number): string {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(podSubnet);
  if (!m) throw new Error(`test bed podSubnet ${JSON.stringify(podSubnet)} is not an IPv4 CIDR like 10.244.0.0/16`);
  const prefix = Number(m[5]);
  const base = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8)) >>> 0;
  if (prefix < 8 || prefix > 24 || index >= 2 ** (24 - prefix)) {
    throw new Error(`test bed podSubnet ${podSubnet} has no room for node ${index}'s /24; use a /16`);
  }
  const net = (base & (~0 << (32 - prefix))) + index * 256;
  return `${net >>> 24}.${(net >>> 16) & 255}.${(net >>> 8) & 255}.0/24`;
}

/** The Pods a spec asks for: explicit ones, or `podsPerNode` on every node. */
export function podSpecsOf(spec: TestbedSpec): TestbedPodSpec[] {
  if (spec.pods) return spec.pods;
  const per = spec.podsPerNode ?? 0;
  return nodeNames(spec.cluster, spec.workers).flatMap((n, i) =>
    Array.from({ length: per }, (_, k) => ({ namespace: 'default', name: `web-${i}-${k + 1}`, node: n.name })),
  );
}

/** Names Docker, iproute2 and Kubernetes all accept; spec values end up in argv and paths. */
export function checkName(what: string, value: string): void {
  if (!/^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/.test(value)) {
    throw new Error(`test bed ${what} ${JSON.stringify(value)} must be a lowercase DNS label (a-z, 0-9, '-', '.')`);
  }
}
