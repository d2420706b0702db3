/** Reads one `checks:` entry of lab.yaml: the type decides which keys are allowed and required. */
import { isMap, isScalar, type Node } from 'yaml';
import { formatCIDR, parseCIDR } from '../model/cidr';
import type { Fields, SpecReader } from '../model/topologyYaml';
import type { Disposition } from '../tracer/types';
import type { LabCheck, LabCheckType, TracePass } from './types';
import { bool, fieldPath, intIn, oneOf, requiredStr } from './yamlFields';
import { compileCheckRegex } from './safeRegex';
import { hasPlaceholder, scanPlaceholders } from './placeholders';

/** A check as written in a step, with its optional learner-facing title. */
export type StepCheck = LabCheck & { title?: string };

/** The keys each check type takes (besides `type` and `title`), and what it proves, for errors and docs. */
export const CHECK_TYPES: Record<LabCheckType, { keys: readonly string[]; about: string }> = {
  podIpInCidr: { keys: ['pod', 'cidr'], about: "a Pod's IP lies in a CIDR (default: its node's podCIDR)" },
  uniquePodIps: { keys: [], about: 'no two Pods share an IP' },
  sharedNetns: { keys: ['pod', 'containers'], about: "two containers of a Pod share one network namespace" },
  trace: { keys: ['from', 'to', 'proto', 'port', 'expect'], about: 'a traced and probed packet has a disposition, passes interfaces, shows NAT or none' },
  receiverSawSender: { keys: ['from', 'to', 'port'], about: "the receiving web server saw the sender's own IP" },
  ipChangedAfterRecreate: { keys: ['pod'], about: 'a Pod has a different IP than when the lab started' },
  actionOutput: { keys: ['action', 'matches', 'stream'], about: "an action's output matches a regular expression" },
  podExists: { keys: ['pod', 'node'], about: 'a Pod (perhaps one the learner creates) exists, optionally on a node' },
  reachable: { keys: ['from', 'to', 'expect'], about: 'one endpoint can (or cannot) ping another' },
  serviceEndpoints: { keys: ['service', 'pods'], about: "a Service's ready endpoints are exactly the listed Pods, at their current IPs" },
  serviceIpStable: { keys: ['service'], about: 'a Service still has the ClusterIP it had when the lab started' },
  httpAnswer: {
    keys: ['from', 'to', 'port', 'expect', 'sawSource', 'answeredBy', 'each'],
    about: 'an HTTP GET (to a Pod, a Service, a node\'s NodePort or an IP) is answered or not, by which Pods, seeing which source',
  },
};

/** Every disposition a trace can end with. */
export const DISPOSITIONS = Object.keys({
  DELIVERED: 1, NO_ROUTE: 1, DROPPED_BY_RULE: 1, NEIGHBOR_UNREACHABLE: 1, NOT_FORWARDING: 1, TTL_EXCEEDED: 1, LINK_DOWN: 1, LOOP: 1, EXITS_LAB: 1,
} satisfies Record<Disposition, 1>) as Disposition[];

const NAT_EXPECT = ['none', 'source', 'destination', 'any', 'dnat', 'dnat+snat'] as const;
const EXPECT_KEYS = ['disposition', 'passes', 'nat', 'service'];
const PASS_KEYS = ['where', 'interface'];
const IFNAME = /^[A-Za-z0-9_.@-]{1,15}$/;

/** Reports every `{{...}}` in a check field that is not a placeholder; true when the field holds any placeholder. */
function placeholders(r: SpecReader, f: Fields, key: string, v: string): boolean {
  if (!hasPlaceholder(v)) return false;
  for (const p of scanPlaceholders([v]).problems) r.fail(fieldPath(f, key), p.message, p.hint);
  return true;
}

/** `each: true` needs the Pods it is about, and a GET that is expected to be answered. */
function eachOf(r: SpecReader, f: Fields, expect: boolean | undefined): boolean | undefined {
  const each = bool(r, f, 'each');
  if (each && f.get('answeredBy') === undefined) r.fail(fieldPath(f, 'each'), 'each: true needs answeredBy: the Pods that must each answer', 'add answeredBy: [pod-a, pod-c]');
  if (each && expect === false) r.fail(fieldPath(f, 'each'), 'each: true makes no sense with expect: false', 'remove one of them');
  return each;
}

/** An optional string field whose placeholders must be real ones. */
function placeholderChecked(r: SpecReader, f: Fields, key: string): string | undefined {
  const v = r.str(f, key);
  if (v !== undefined) placeholders(r, f, key, v);
  return v;
}

function cidr(r: SpecReader, f: Fields, key: string): string | undefined {
  const v = r.str(f, key);
  if (v === undefined) return undefined;
  if (placeholders(r, f, key, v)) {
    if (!/^\{\{\s*podCIDR:[^}]*\}\}$/.test(v.trim())) r.fail(fieldPath(f, key), `${v} is not a CIDR`, 'write a CIDR such as 10.244.2.0/24, or {{podCIDR:NODE}} for a node\'s Pod CIDR in the running lab');
    return v;
  }
  try {
    const c = parseCIDR(v);
    if (formatCIDR(c) !== v) r.fail(fieldPath(f, key), `${v} is not written as its network address`, `write ${formatCIDR(c)}`);
    return v;
  } catch (e) {
    r.fail(fieldPath(f, key), (e as Error).message, 'write a network address and a prefix length, such as 10.244.1.0/24');
    return undefined;
  }
}

function pair(r: SpecReader, f: Fields, key: string): [string, string] | undefined {
  const path = fieldPath(f, key);
  const items = r.list(f.get(key), path, '[web, sidecar]');
  if (!items) return undefined;
  const names = items.map((n) => (isScalar(n) && typeof n.value === 'string' && n.value !== '' ? n.value : undefined));
  if (names.length !== 2 || names.some((n) => n === undefined)) {
    r.fail(path, `${path} must list exactly two container names`, 'e.g. containers: [web, sidecar]');
    return undefined;
  }
  if (names[0] === names[1]) r.fail(`${path}[1]`, `${path} names ${names[0]} twice; a container always shares its own namespace`, 'name two different containers of the Pod');
  return names as [string, string];
}

/** A list of names under `key` (`[pod-a, pod-c]`); `required` reports it when absent. */
function names(r: SpecReader, f: Fields, key: string, what: string, example: string, required: boolean): string[] | undefined {
  const path = fieldPath(f, key);
  if (f.get(key) === undefined) {
    if (required) r.fail(path, `${what} has no ${key}`, `add ${key}: ${example}`);
    return undefined;
  }
  const items = r.list(f.get(key), path, example);
  if (!items) return undefined;
  const out = items.map((n) => (isScalar(n) && typeof n.value === 'string' && n.value !== '' ? n.value : undefined));
  const bad = out.findIndex((n) => n === undefined);
  if (bad >= 0) r.fail(`${path}[${bad}]`, `${path}[${bad}] is not a name`, `write names, e.g. ${key}: ${example}`);
  else if (out.length === 0) r.fail(path, `${path} is empty`, `list at least one name, e.g. ${key}: ${example}`);
  return bad >= 0 || out.length === 0 ? undefined : (out as string[]);
}

function passes(r: SpecReader, node: Node | undefined, path: string): TracePass[] | undefined {
  const items = r.list(node, path, '- {where: node1, interface: cbr0}');
  if (!items) return undefined;
  return items.map((item, i) => {
    const f = r.map(item, `${path}[${i}]`, PASS_KEYS, `${path}[${i}]`, '`{where: node1, interface: cbr0}`');
    if (!f) return { where: '' };
    const where = requiredStr(r, f, 'where', `${path}[${i}]`, 'add where: and the Pod, node or wire the packet must pass');
    const iface = r.str(f, 'interface');
    if (iface !== undefined && !IFNAME.test(iface)) r.fail(fieldPath(f, 'interface'), `'${iface}' is not an interface name`, 'use a Linux interface name such as eth0 or cbr0 (at most 15 characters)');
    return { where: where ?? '', ...(iface !== undefined ? { interface: iface } : {}) };
  });
}

function traceExpect(r: SpecReader, f: Fields): Extract<LabCheck, { type: 'trace' }>['expect'] {
  const path = fieldPath(f, 'expect');
  const e = r.map(f.get('expect'), path, EXPECT_KEYS, path, '`{disposition: DELIVERED, nat: none}`');
  if (!e) return {};
  const out: Extract<LabCheck, { type: 'trace' }>['expect'] = {};
  const disposition = oneOf(r, e, 'disposition', DISPOSITIONS);
  if (disposition) out.disposition = disposition;
  const p = passes(r, e.get('passes'), `${path}.passes`);
  if (p) out.passes = p;
  const nat = oneOf(r, e, 'nat', NAT_EXPECT);
  if (nat) out.nat = nat;
  const service = r.str(e, 'service');
  if (service !== undefined) out.service = service;
  if (!EXPECT_KEYS.some((k) => e.has(k))) r.fail(path, `${path} is empty, so the check could never fail`, 'give at least one of disposition, passes, nat, service');
  return out;
}

type Reader = (r: SpecReader, f: Fields, what: string) => Record<string, unknown>;

const need = (r: SpecReader, f: Fields, key: string, what: string, example: string) => requiredStr(r, f, key, what, `add ${key}: ${example}`);

const READERS: Record<LabCheckType, Reader> = {
  podIpInCidr: (r, f, w) => ({ pod: need(r, f, 'pod', w, 'pod-a'), cidr: cidr(r, f, 'cidr') }),
  uniquePodIps: () => ({}),
  sharedNetns: (r, f, w) => {
    if (f.get('containers') === undefined) r.fail(fieldPath(f, 'containers'), `${w} has no containers`, 'add containers: [web, sidecar]');
    return { pod: need(r, f, 'pod', w, 'pod-a'), containers: f.get('containers') === undefined ? undefined : pair(r, f, 'containers') };
  },
  trace: (r, f, w) => {
    const proto = oneOf(r, f, 'proto', ['icmp', 'tcp', 'udp'] as const);
    const port = intIn(r, f, 'port', 1, 65535, 'use a port from 1 to 65535');
    if (proto === 'icmp' && port !== undefined) r.fail(fieldPath(f, 'port'), 'a port makes no sense with proto: icmp', 'remove port, or use proto: tcp');
    if (f.get('expect') === undefined) r.fail(fieldPath(f, 'expect'), `${w} has no expect`, 'add expect: {disposition: DELIVERED}');
    return { from: need(r, f, 'from', w, 'pod-a'), to: need(r, f, 'to', w, 'pod-c'), proto, port, expect: traceExpect(r, f) };
  },
  receiverSawSender: (r, f, w) => ({ from: need(r, f, 'from', w, 'pod-a'), to: need(r, f, 'to', w, 'pod-c'), port: intIn(r, f, 'port', 1, 65535, 'use a port from 1 to 65535') }),
  ipChangedAfterRecreate: (r, f, w) => ({ pod: need(r, f, 'pod', w, 'pod-c') }),
  actionOutput: (r, f, w) => {
    const matches = need(r, f, 'matches', w, "'inet 10\\.244\\.'");
    if (matches !== undefined) {
      // A placeholder becomes an escaped address or CIDR when the check runs; compile with one in its place.
      const bad = compileCheckRegex(placeholders(r, f, 'matches', matches) ? matches.replace(/\{\{.*?\}\}/g, '10\\.0\\.0\\.0') : matches);
      if (typeof bad === 'string') r.fail(fieldPath(f, 'matches'), `the regular expression does not compile: ${bad}`, 'fix it; in YAML, single quotes keep backslashes as they are');
    }
    return { action: need(r, f, 'action', w, 'the id of an action'), matches, stream: oneOf(r, f, 'stream', ['stdout', 'stderr'] as const) };
  },
  podExists: (r, f, w) => ({ pod: need(r, f, 'pod', w, 'web-2'), node: r.str(f, 'node') }),
  reachable: (r, f, w) => {
    const to = need(r, f, 'to', w, 'pod-c');
    if (to !== undefined) placeholders(r, f, 'to', to);
    return { from: need(r, f, 'from', w, 'pod-a'), to, expect: bool(r, f, 'expect') };
  },
  serviceEndpoints: (r, f, w) => ({ service: need(r, f, 'service', w, 'web'), pods: names(r, f, 'pods', w, '[pod-a, pod-c]', true) }),
  serviceIpStable: (r, f, w) => ({ service: need(r, f, 'service', w, 'web') }),
  httpAnswer: (r, f, w) => {
    const to = need(r, f, 'to', w, 'web');
    if (to !== undefined) placeholders(r, f, 'to', to);
    const expect = bool(r, f, 'expect');
    return {
      from: need(r, f, 'from', w, 'pod-b'), to, port: intIn(r, f, 'port', 1, 65535, 'use a port from 1 to 65535'), expect,
      sawSource: placeholderChecked(r, f, 'sawSource'), answeredBy: names(r, f, 'answeredBy', w, '[pod-a, pod-c]', false), each: eachOf(r, f, expect),
    };
  },
};

const ALL_KEYS = ['type', 'title', ...new Set(Object.values(CHECK_TYPES).flatMap((t) => t.keys))];

/** Reads the check at `path`; undefined when it is unusable (every problem already reported). */
export function readCheck(r: SpecReader, node: Node | undefined, path: string): StepCheck | undefined {
  const typeNode = isMap(node) ? node.get('type', true) : undefined;
  const typeName = isScalar(typeNode) ? String(typeNode.value) : undefined;
  const known = typeName !== undefined && Object.hasOwn(CHECK_TYPES, typeName) ? (typeName as LabCheckType) : undefined;
  const allowed = known ? ['type', 'title', ...CHECK_TYPES[known].keys] : ALL_KEYS;
  const f = r.map(node, path, allowed, `${path} (a check)`, '`{type: uniquePodIps}`');
  if (node === undefined) r.fail(path, `${path} is empty`, 'write a check such as `- type: uniquePodIps`');
  if (!f) return undefined;
  const title = r.str(f, 'title');
  if (!known) {
    const list = Object.keys(CHECK_TYPES).join(', ');
    if (typeName === undefined) r.fail(`${path}.type`, `${path} has no type`, `add type: and one of: ${list}`);
    else r.fail(`${path}.type`, `unknown check type '${typeName}'`, `use one of: ${list}`);
    return undefined;
  }
  const before = r.errors.length;
  const fields = READERS[known](r, f, path);
  if (r.errors.length > before) return undefined;
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return { type: known, ...defined, ...(title !== undefined ? { title } : {}) } as StepCheck;
}
