/**
 * kube-proxy's nftables mode as nft scripts (for `nft -f -`): the whole `ip kube-proxy` table for one node, and the
 * partial update kube-proxy makes when Services or endpoints change (only the changed chains and map elements).
 */
import { KUBE_PROXY_TABLE } from './chainNames';
import { kubeProxyPlan, MARK_MASQ_CHAIN, REJECT_CHAIN, type KubeProxyInput, type KubeProxyPlan, type NftElement } from './kubeProxyPlan';

export type { KubeProxyEndpoint, KubeProxyInput, KubeProxyPlan, KubeProxyService, NftElement } from './kubeProxyPlan';
export { kubeProxyPlan } from './kubeProxyPlan';

const T = `ip ${KUBE_PROXY_TABLE}`;
const DISPATCH = 'ip daddr . meta l4proto . th dport';

/** The sets and maps of the table, with their types and kube-proxy's comments, in declaration order. */
const CONTAINERS: readonly { kind: 'set' | 'map'; name: string; type: string; comment: string }[] = [
  { kind: 'set', name: 'cluster-ips', type: 'ipv4_addr', comment: 'Active ClusterIPs' },
  { kind: 'map', name: 'no-endpoint-services', type: 'ipv4_addr . inet_proto . inet_service : verdict', comment: 'vmap to drop or reject packets to services with no endpoints' },
  { kind: 'map', name: 'no-endpoint-nodeports', type: 'inet_proto . inet_service : verdict', comment: 'vmap to drop or reject packets to service nodeports with no endpoints' },
  { kind: 'map', name: 'firewall-ips', type: 'ipv4_addr . inet_proto . inet_service : verdict', comment: 'destinations that are subject to LoadBalancerSourceRanges' },
  { kind: 'map', name: 'service-ips', type: 'ipv4_addr . inet_proto . inet_service : verdict', comment: 'ClusterIP, ExternalIP and LoadBalancer IP traffic' },
  { kind: 'map', name: 'service-nodeports', type: 'inet_proto . inet_service : verdict', comment: 'NodePort traffic' },
];

/**
 * Base chains: filter before DNAT (dstnat - 10; nft accepts the symbolic priority only on prerouting, so -110 elsewhere), one filter chain after
 * DNAT on output, the NAT hooks. Each jumps to the regular chains that do the work.
 */
const BASE_CHAINS: readonly { name: string; spec: string; rules: string[] }[] = [
  { name: 'filter-prerouting', spec: 'type filter hook prerouting priority dstnat - 10; policy accept;', rules: ['ct state new jump firewall-check'] },
  {
    name: 'filter-input', spec: 'type filter hook input priority -110; policy accept;',
    rules: ['ct state new jump nodeport-endpoints-check', 'ct state new jump service-endpoints-check'],
  },
  {
    name: 'filter-forward', spec: 'type filter hook forward priority -110; policy accept;',
    rules: ['ct state new jump service-endpoints-check', 'ct state new jump cluster-ips-check'],
  },
  { name: 'filter-output', spec: 'type filter hook output priority -110; policy accept;', rules: ['ct state new jump service-endpoints-check', 'ct state new jump firewall-check'] },
  { name: 'filter-output-post-dnat', spec: 'type filter hook output priority -90; policy accept;', rules: ['ct state new jump cluster-ips-check'] },
  { name: 'nat-prerouting', spec: 'type nat hook prerouting priority dstnat; policy accept;', rules: ['jump services'] },
  { name: 'nat-output', spec: 'type nat hook output priority -100; policy accept;', rules: ['jump services'] },
  { name: 'nat-postrouting', spec: 'type nat hook postrouting priority srcnat; policy accept;', rules: ['jump masquerading'] },
];

/** The regular chains every node has, whatever its Services. */
function fixedChains(input: KubeProxyInput): { name: string; comment?: string; rules: string[] }[] {
  return [
    { name: 'nodeport-endpoints-check', rules: ['ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @no-endpoint-nodeports'] },
    { name: 'service-endpoints-check', rules: [`${DISPATCH} vmap @no-endpoint-services`] },
    { name: 'firewall-check', rules: [`${DISPATCH} vmap @firewall-ips`] },
    { name: 'services', rules: [`${DISPATCH} vmap @service-ips`, 'fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @service-nodeports'] },
    {
      name: 'cluster-ips-check',
      rules: [
        'ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"',
        `ip daddr { ${input.serviceCIDR} } drop comment "Drop traffic to unallocated ClusterIPs"`,
      ],
    },
    { name: 'masquerading', rules: ['meta mark & 0x4000 == 0 return', 'meta mark set meta mark ^ 0x4000', 'masquerade fully-random'] },
    { name: MARK_MASQ_CHAIN, rules: ['meta mark set meta mark | 0x4000'] },
    { name: REJECT_CHAIN, comment: 'helper for @no-endpoint-services / @no-endpoint-nodeports', rules: ['reject'] },
  ];
}

/** One element in nft syntax: `key [comment "c"] [: value]`. */
function elementText(e: NftElement): string {
  return `${e.key}${e.comment ? ` comment "${e.comment}"` : ''}${e.value ? ` : ${e.value}` : ''}`;
}

function chainBlock(name: string, lines: string[]): string[] {
  return [`\tchain ${name} {`, ...lines.map((l) => `\t\t${l}`), '\t}'];
}

function containerBlocks(plan: KubeProxyPlan): string[] {
  return CONTAINERS.flatMap((c) => {
    const elements = [...plan.elements.values()].filter((e) => e.name === c.name).map(elementText);
    const body = [`type ${c.type}`, `comment "${c.comment}"`, ...(elements.length ? [`elements = { ${elements.join(',\n\t\t\t     ')} }`] : [])];
    return [`\t${c.kind} ${c.name} {`, ...body.map((l) => `\t\t${l}`), '\t}'];
  });
}

/** The whole table for `plan` on the node of `input`, replacing any earlier one in one transaction. */
export function renderKubeProxyRuleset(input: KubeProxyInput, plan: KubeProxyPlan): string {
  return [
    // Declaring then deleting makes loading idempotent: one transaction, no error when the table is new.
    `table ${T}`,
    `delete table ${T}`,
    `table ${T} {`,
    '\tcomment "rules for kube-proxy"',
    ...containerBlocks(plan),
    ...BASE_CHAINS.flatMap((c) => chainBlock(c.name, [c.spec, ...c.rules])),
    ...fixedChains(input).flatMap((c) => chainBlock(c.name, [...(c.comment ? [`comment "${c.comment}"`] : []), ...c.rules])),
    ...[...plan.chains].flatMap(([name, rules]) => chainBlock(name, rules)),
    '}',
    '',
  ].join('\n');
}

/** The nft script of kube-proxy's table on one node (for `nft -f -`): same input, same text. */
export function kubeProxyRuleset(input: KubeProxyInput): string {
  return renderKubeProxyRuleset(input, kubeProxyPlan(input));
}

const sameRules = (a: readonly string[] | undefined, b: readonly string[]): boolean => !!a && a.length === b.length && a.every((r, i) => r === b[i]);
const sameElement = (a: NftElement | undefined, b: NftElement): boolean => !!a && a.value === b.value && a.comment === b.comment;

/**
 * The partial update from `prev` to `next` on a node whose table holds `prev` (as kube-proxy's partial sync): changed chains are
 * flushed and refilled, changed elements deleted and re-added, stale chains flushed and deleted. '' when nothing changed.
 */
export function kubeProxyDelta(prev: KubeProxyPlan, next: KubeProxyPlan): string {
  const changed = [...next.chains].filter(([name, rules]) => !sameRules(prev.chains.get(name), rules));
  const stale = [...prev.chains.keys()].filter((name) => !next.chains.has(name));
  const goneElements = [...prev.elements].filter(([id, e]) => !sameElement(next.elements.get(id), e)).map(([, e]) => e);
  const newElements = [...next.elements].filter(([id, e]) => !sameElement(prev.elements.get(id), e)).map(([, e]) => e);
  const lines = [
    // Every chain exists before any rule or element refers to it.
    ...changed.filter(([name]) => !prev.chains.has(name)).map(([name]) => `add chain ${T} ${name}`),
    ...changed.flatMap(([name, rules]) => [`flush chain ${T} ${name}`, ...rules.map((r) => `add rule ${T} ${name} ${r}`)]),
    ...goneElements.map((e) => `delete element ${T} ${e.name} { ${e.key} }`),
    ...newElements.map((e) => `add element ${T} ${e.name} { ${elementText(e)} }`),
    // Nothing refers to a stale chain any more once its referrers are refilled: empty them all, then delete them.
    ...stale.map((name) => `flush chain ${T} ${name}`),
    ...stale.map((name) => `delete chain ${T} ${name}`),
  ];
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/**
 * nft refuses one transaction past a netlink message size, which inside a user namespace (rootless labs) a table of some 50 Services already
 * exceeds ("Message too long"). Scripts are therefore cut at this many bytes, between commands.
 */
export const NFT_SCRIPT_MAX_BYTES = 32_000;

/** Cuts a command-per-line script into scripts of at most `maxBytes` (a longer single line stays whole), keeping the order. */
function cutScript(script: string, maxBytes: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const line of script.split('\n').filter(Boolean)) {
    if (current && current.length + line.length + 1 > maxBytes) {
      out.push(current);
      current = '';
    }
    current += `${line}\n`;
  }
  if (current) out.push(current);
  return out;
}

const EMPTY_PLAN: KubeProxyPlan = { chains: new Map(), elements: new Map() };

/**
 * The scripts that bring a node's table from `prev` (undefined: unknown, load it whole) to `plan`, to run in order with `nft -f -`.
 * One script (one atomic transaction) when it fits; otherwise the table's skeleton, then the Services in pieces that each refer only
 * to chains made before them.
 */
export function kubeProxyScripts(input: KubeProxyInput, plan: KubeProxyPlan, prev?: KubeProxyPlan, maxBytes = NFT_SCRIPT_MAX_BYTES): string[] {
  if (prev) {
    const delta = kubeProxyDelta(prev, plan);
    return delta.length <= maxBytes ? (delta ? [delta] : []) : cutScript(delta, maxBytes);
  }
  const whole = renderKubeProxyRuleset(input, plan);
  if (whole.length <= maxBytes) return [whole];
  return [renderKubeProxyRuleset(input, EMPTY_PLAN), ...cutScript(kubeProxyDelta(EMPTY_PLAN, plan), maxBytes)];
}
