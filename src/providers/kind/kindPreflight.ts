/** Checks before `kind create cluster`, each failure one sentence that says what to do; the decision is pure, the probing beside it. */
import { cidrsOverlap } from '../../model/cidr';

/** Where kind itself is documented for installing. */
export const KIND_INSTALL_URL = 'https://kind.sigs.k8s.io/docs/user/quick-start/#installation';

/** What was found on this machine. */
export interface KindFacts {
  /** `kind version` output, or undefined when kind is not on PATH. */
  kindVersion?: string;
  /** The container runtime kind would use, and whether its daemon answered (with the error when not). */
  runtime: { name: 'docker' | 'podman'; installed: boolean; running: boolean; error?: string };
  /** `kind get clusters`. */
  existingClusters: string[];
  /** Subnets of the runtime's `kind` network (empty when it does not exist yet). */
  kindNetworkSubnets: string[];
}

/** What is about to be created. */
export interface KindRequest {
  name: string;
  podSubnet: string;
  serviceSubnet: string;
}

/** Every problem that stops the create, in the order a user would fix them; empty when it can go ahead. */
export function kindPreflightProblems(facts: KindFacts, req: KindRequest): string[] {
  const problems: string[] = [];
  const rt = facts.runtime.name;
  if (!facts.kindVersion) problems.push(`kind is not installed: install it (${KIND_INSTALL_URL}) and run this again.`);
  if (!facts.runtime.installed) problems.push(`${rt} is not installed: kind runs its nodes as ${rt} containers, so install ${rt} first.`);
  else if (!facts.runtime.running) problems.push(`${rt} is not running (${facts.runtime.error ?? 'no answer'}): start it (e.g. \`systemctl start ${rt}\`) and run this again.`);
  if (facts.existingClusters.includes(req.name)) {
    problems.push(`a kind cluster named "${req.name}" already exists: use it with --context kind-${req.name}, delete it with \`podnet kind delete --name ${req.name}\`, or pick another --name.`);
  }
  for (const subnet of facts.kindNetworkSubnets) {
    for (const [what, range] of [['podSubnet', req.podSubnet], ['serviceSubnet', req.serviceSubnet]] as const) {
      if (safeOverlap(subnet, range)) {
        problems.push(`the ${what} ${range} overlaps the ${rt} network "kind" (${subnet}): Pod and node addresses would collide; choose another clusterCIDR in the topology.`);
      }
    }
  }
  return problems;
}

/** Overlap of two CIDRs; an IPv6 or unreadable subnet from the runtime cannot overlap an IPv4 range we check. */
function safeOverlap(a: string, b: string): boolean {
  if (a.includes(':')) return false;
  try {
    return cidrsOverlap(a, b);
  } catch {
    // A subnet the runtime printed that is not an IPv4 CIDR: nothing of ours can collide with it.
    return false;
  }
}
