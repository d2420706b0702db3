/**
 * What an action may run: only `podnet` subcommands that look at or change the running lab (exec, trace,
 * get, pod, service, snapshot, lab status), never ones that start or stop labs, write files or pick another lab.
 * Also collects what the argv names (Pods, nodes, files) so the validator can check those exist.
 */
import { basename } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { GLOBAL_OPTIONS } from '../cli/args';
import { UsageError } from '../cli/cliError';
import { EXEC_OPTIONS, EXEC_TARGETS } from '../cli/commands/exec';
import { GET_OPTIONS, getKindNamed } from '../cli/commands/get';
import { LAB_OPTIONS } from '../cli/commands/lab';
import { POD_OPTIONS } from '../cli/commands/pod';
import { SERVICE_OPTIONS, serviceRequestFrom } from '../cli/commands/service';
import { SNAPSHOT_OPTIONS } from '../cli/commands/snapshot';
import { TRACE_OPTIONS } from '../cli/commands/trace';
import { pathSpellingProblem } from './packPaths';
import { type PlaceholderRef, scanPlaceholders } from './placeholders';

/** A problem with one argv; `arg` is the index of the offending word, when one is to blame. */
export interface ArgvProblem {
  message: string;
  hint: string;
  arg?: number;
}

/** Everything an action's argv refers to in the lab or the pack. */
export interface ActionRefs {
  /** Pods that must exist when it runs (with the container `-c` names). */
  pods: { name: string; container?: string; arg: number }[];
  nodes: { name: string; arg: number }[];
  /** Trace endpoints: a Pod, node, the Docker-style host, one of its containers, or an IP[:port]. */
  endpoints: { name: string; arg: number }[];
  dockerHost?: { arg: number };
  dockerContainers: { name: string; arg: number }[];
  /** `pod create NAME --node NODE`: a Pod that exists from then on. */
  creates?: { pod: string; node: string; containers: string[]; arg: number };
  /** `pod delete NAME`: a Pod that is gone from then on. */
  deletes?: { pod: string; arg: number };
  /** Pack-relative files it reads (trace --snapshot, snapshot validate). */
  files: { path: string; arg: number }[];
  /** `{{ip:NAME}}` placeholders: NAME must be in the lab when the action runs. */
  ips: PlaceholderRef[];
  /** `service create|delete NAME`: a Service that exists (or is gone) from then on. */
  service?: { op: 'create' | 'delete'; name: string; arg: number };
}

/** The verdict on one action's argv. */
export interface ActionPolicyResult {
  problems: ArgvProblem[];
  usesShell: boolean;
  refs: ActionRefs;
}

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** An action's options: the CLI's own definitions, minus those an action may not use (with the reason). */
interface Subcommand {
  options: ParseArgsOptionsConfig;
  refused?: Record<string, string>;
}

// Read when an action is checked, not at load: the command modules import the labs code in turn.
const subcommands = (): Record<string, Subcommand> => ({
  exec: { options: EXEC_OPTIONS, refused: { stdin: 'an action has no terminal input to pass on' } },
  trace: { options: TRACE_OPTIONS },
  get: { options: GET_OPTIONS },
  pod: { options: POD_OPTIONS },
  service: { options: SERVICE_OPTIONS },
  snapshot: { options: SNAPSHOT_OPTIONS },
  lab: { options: LAB_OPTIONS, refused: { topology: 'it only applies to lab up', 'with-docker-host': 'it only applies to lab up', 'cni-path': 'it only applies to lab up', quiet: 'it only applies to lab up' } },
});
const ALLOWED = 'exec, trace, get, pod, service, snapshot, lab status';
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh', 'csh', 'tcsh', 'fish']);

/** True when argv (the part run inside the lab) starts a shell anywhere: UIs must show such actions prominently. */
export function startsShell(argv: readonly string[]): boolean {
  return argv.some((a) => SHELLS.has(basename(a)));
}

interface Parsed {
  values: Map<string, { value: string | true; arg: number }[]>;
  positionals: { value: string; arg: number }[];
}

const optionName = (name: string, o: ParseArgsOptionsConfig[string]) => `--${name}${o.short ? ` (-${o.short})` : ''}`;

/** Parses an action's options exactly as the CLI does (node's parseArgs with the command's own option table), keeping each word's index. */
function parseOptions(argv: string[], from: number, cmd: string, problems: ArgvProblem[]): Parsed {
  const spec = subcommands()[cmd];
  const values: Parsed['values'] = new Map();
  const positionals: Parsed['positionals'] = [];
  const usable = Object.entries(spec.options).filter(([name]) => !spec.refused?.[name]);
  const known = usable.map(([name, o]) => optionName(name, o)).join(', ') || 'none';
  const options = { ...GLOBAL_OPTIONS, ...spec.options };
  const { tokens } = parseArgs({ args: argv.slice(from), options, strict: false, allowPositionals: true, tokens: true });
  for (const t of tokens) {
    if (t.kind === 'option-terminator') continue; // callers split at -- before
    const arg = from + t.index;
    if (t.kind === 'positional') {
      positionals.push({ value: t.value, arg });
      continue;
    }
    if (t.name === 'lab') {
      problems.push({ message: '--lab is set by the runner: an action always works on the lab the pack started', hint: 'remove --lab and its value', arg });
      continue;
    }
    if (t.name === 'help') continue;
    const def = Object.hasOwn(spec.options, t.name) ? spec.options[t.name] : undefined;
    const refused = def && spec.refused?.[t.name];
    if (!def || refused) {
      const message = `podnet ${cmd} has no option ${t.rawName}`;
      problems.push({ message: refused ? `${t.rawName} may not be used in an action: ${refused}` : message, hint: `options of podnet ${cmd} an action may use: ${known}`, arg });
      continue;
    }
    if (def.type === 'string' && t.value === undefined) problems.push({ message: `${t.rawName} needs a value`, hint: `write ${t.rawName} VALUE`, arg });
    if (def.type === 'boolean' && t.value !== undefined) problems.push({ message: `${t.rawName} takes no value`, hint: `write ${t.rawName} alone`, arg });
    const list = values.get(t.name) ?? [];
    list.push({ value: t.value ?? true, arg });
    values.set(t.name, list);
  }
  return { values, positionals };
}

const str = (p: Parsed, key: string) => {
  const v = p.values.get(key)?.[0];
  return v && typeof v.value === 'string' ? { value: v.value, arg: v.arg } : undefined;
};

function checkExec(argv: string[], problems: ArgvProblem[], refs: ActionRefs): boolean {
  const dd = argv.indexOf('--');
  const before = dd < 0 ? argv : argv.slice(0, dd);
  const after = dd < 0 ? [] : argv.slice(dd + 1);
  const p = parseOptions(before, 2, 'exec', problems);
  if (after.length === 0) problems.push({ message: 'podnet exec needs the command to run after --', hint: 'e.g. [podnet, exec, pod-a, --, ip, addr]' });
  const pod = p.positionals[0];
  const node = str(p, 'node');
  const container = str(p, 'docker-container');
  const flags = ['wire', 'docker-host', 'client', 'router'].map((f) => p.values.has(f) || undefined);
  const targets = [pod, node, ...flags, container].filter((t) => t !== undefined);
  if (targets.length !== 1) problems.push({ message: `podnet exec needs exactly one target: ${EXEC_TARGETS}`, hint: 'e.g. [podnet, exec, pod-a, --, ip, addr]' });
  for (const extra of p.positionals.slice(1)) problems.push({ message: `unexpected argument "${extra.value}" before --`, hint: 'put the command to run after --', arg: extra.arg });
  const c = str(p, 'container');
  if (pod) refs.pods.push({ name: pod.value, container: c?.value, arg: pod.arg });
  else if (c) problems.push({ message: '-c/--container needs a POD', hint: 'name the Pod before -c', arg: c.arg });
  if (node) refs.nodes.push({ name: node.value, arg: node.arg });
  if (container) refs.dockerContainers.push({ name: container.value, arg: container.arg });
  if (p.values.has('docker-host')) refs.dockerHost = { arg: p.values.get('docker-host')![0].arg };
  const timeout = str(p, 'timeout');
  if (timeout && !/^\d{1,4}$/.test(timeout.value)) problems.push({ message: `--timeout ${timeout.value} is not a number of seconds`, hint: 'e.g. --timeout 30', arg: timeout.arg });
  return startsShell(after);
}

function checkTrace(argv: string[], problems: ArgvProblem[], refs: ActionRefs): void {
  const p = parseOptions(argv, 2, 'trace', problems);
  if (p.positionals.length !== 2) problems.push({ message: `podnet trace needs FROM and TO, got ${p.positionals.length} argument${p.positionals.length === 1 ? '' : 's'}`, hint: 'e.g. [podnet, trace, pod-a, pod-c]' });
  for (const e of p.positionals.slice(0, 2)) refs.endpoints.push({ name: e.value, arg: e.arg });
  const port = str(p, 'port');
  if (port && (!/^\d{1,5}$/.test(port.value) || Number(port.value) < 1 || Number(port.value) > 65535)) problems.push({ message: `--port ${port.value} must be a number from 1 to 65535`, hint: 'e.g. --port 8080', arg: port.arg });
  const proto = str(p, 'proto');
  if (proto && !['icmp', 'tcp', 'udp'].includes(proto.value)) problems.push({ message: `--proto ${proto.value} is not supported`, hint: 'use icmp, tcp or udp', arg: proto.arg });
  const snap = str(p, 'snapshot');
  if (snap) refs.files.push({ path: snap.value, arg: snap.arg });
}

function checkPod(argv: string[], problems: ArgvProblem[], refs: ActionRefs): void {
  const p = parseOptions(argv, 2, 'pod', problems);
  const [sub, name, ...extra] = p.positionals;
  for (const e of extra) problems.push({ message: `unexpected argument "${e.value}"`, hint: 'podnet pod create NAME --node NODE, or podnet pod delete NAME', arg: e.arg });
  if (sub?.value !== 'create' && sub?.value !== 'delete') {
    problems.push({ message: `podnet pod ${sub?.value ?? ''} is not a pod command`.replace(/ +is/, ' is'), hint: 'use pod create NAME --node NODE, or pod delete NAME', arg: sub?.arg });
    return;
  }
  if (!name) return void problems.push({ message: `podnet pod ${sub.value} needs a Pod NAME`, hint: `e.g. [podnet, pod, ${sub.value}, web-2${sub.value === 'create' ? ', --node, node2' : ''}]` });
  if (sub.value === 'delete') {
    refs.pods.push({ name: name.value, arg: name.arg });
    refs.deletes = { pod: name.value, arg: name.arg };
    return;
  }
  const node = str(p, 'node');
  if (!node) return void problems.push({ message: 'podnet pod create needs --node NODE', hint: 'add --node and the name of a node' });
  refs.nodes.push({ name: node.value, arg: node.arg });
  const containers = (p.values.get('container') ?? []).map((c) => String(c.value).split(':')[0]);
  refs.creates = { pod: name.value, node: node.value, containers: containers.length ? containers : ['web'], arg: name.arg };
}

function checkGet(argv: string[], problems: ArgvProblem[]): void {
  const p = parseOptions(argv, 2, 'get', problems);
  const what = p.positionals.map((x) => x.value);
  const kind = getKindNamed(what[0]);
  const named = kind === 'services' || kind === 'endpoints' ? 2 : 1;
  if (!kind || what.length > named) {
    problems.push({ message: `podnet get ${what.join(' ')} is not something to get`, hint: 'use podnet get pods, nodes, svc [NAME] or endpoints [NAME]', arg: p.positionals[0]?.arg });
  }
  const o = str(p, 'output');
  if (o && !['wide', 'json', 'text'].includes(o.value)) problems.push({ message: `-o ${o.value} is not an output format of podnet get`, hint: 'use -o wide or -o json', arg: o.arg });
}

/** `service create NAME ...` is checked by the CLI's own request parser, so an action fails here exactly where the CLI would. */
function checkService(argv: string[], problems: ArgvProblem[], refs: ActionRefs): void {
  const p = parseOptions(argv, 2, 'service', problems);
  const [sub, name, ...extra] = p.positionals;
  for (const e of extra) problems.push({ message: `unexpected argument "${e.value}"`, hint: 'podnet service create NAME ..., or podnet service delete NAME', arg: e.arg });
  if (sub?.value !== 'create' && sub?.value !== 'delete') {
    return void problems.push({ message: `podnet service ${sub?.value ?? ''} is not a service command`.replace(/ +is/, ' is'), hint: 'use service create NAME or service delete NAME', arg: sub?.arg });
  }
  if (!name) return void problems.push({ message: `podnet service ${sub.value} needs a Service NAME`, hint: 'e.g. [podnet, service, create, web, --selector, app=web, --port, \'80\']' });
  refs.service = { op: sub.value, name: name.value, arg: name.arg };
  if (sub.value === 'delete') return;
  const values = Object.fromEntries([...p.values].map(([k, v]) => [k, typeof v[0].value === 'string' ? v[0].value : undefined]));
  try {
    serviceRequestFrom(name.value, values);
  } catch (e) {
    // Only the CLI's own usage errors are the action's mistake; anything else is a bug to surface.
    if (!(e instanceof UsageError)) throw e;
    problems.push({ message: e.message, hint: 'see podnet service --help', arg: name.arg });
  }
}

function checkSnapshot(argv: string[], problems: ArgvProblem[], refs: ActionRefs): void {
  const p = parseOptions(argv, 2, 'snapshot', problems);
  const out = p.values.get('output')?.[0];
  if (out) return void problems.push({ message: 'podnet snapshot -o would write a file; a lab pack may not write files', hint: 'leave -o out: the snapshot is printed as the action\'s output', arg: out.arg });
  const [sub, file, ...extra] = p.positionals;
  if (!sub) return;
  if (sub.value !== 'validate') return void problems.push({ message: `podnet snapshot ${sub.value} is not a snapshot command`, hint: 'use [podnet, snapshot] or [podnet, snapshot, validate, FILE]', arg: sub.arg });
  if (!file) return void problems.push({ message: 'podnet snapshot validate needs a FILE', hint: 'name a snapshot file inside the pack' });
  refs.files.push({ path: file.value, arg: file.arg });
  for (const e of extra) problems.push({ message: `unexpected argument "${e.value}"`, hint: 'snapshot validate takes one FILE', arg: e.arg });
}

/** Checks an action's argv against the rules and collects what it refers to. */
export function checkActionArgv(argv: string[]): ActionPolicyResult {
  const problems: ArgvProblem[] = [];
  const placeholders = scanPlaceholders(argv);
  const refs: ActionRefs = { pods: [], nodes: [], endpoints: [], dockerContainers: [], files: [], ips: placeholders.refs };
  problems.push(...placeholders.problems);
  let usesShell = false;
  if (argv[0] !== 'podnet') {
    problems.push({ message: `an action must run podnet, not "${argv[0] ?? ''}"`, hint: `start it with podnet and one of: ${ALLOWED}; to run another program, use podnet exec POD -- PROGRAM`, arg: 0 });
    return { problems, usesShell: startsShell(argv), refs };
  }
  const cmd = argv[1];
  switch (cmd) {
    case 'exec':
      usesShell = checkExec(argv, problems, refs);
      break;
    case 'trace':
      checkTrace(argv, problems, refs);
      break;
    case 'get':
      checkGet(argv, problems);
      break;
    case 'service':
      checkService(argv, problems, refs);
      break;
    case 'pod':
      checkPod(argv, problems, refs);
      break;
    case 'snapshot':
      checkSnapshot(argv, problems, refs);
      break;
    case 'lab': {
      const p = parseOptions(argv, 2, 'lab', problems);
      const sub = p.positionals.map((x) => x.value).join(' ');
      if (sub !== 'status') problems.push({ message: `podnet lab ${sub} is not allowed in an action: the runner starts and stops the pack's lab itself`, hint: 'an action may only use podnet lab status', arg: p.positionals[0]?.arg ?? 1 });
      break;
    }
    default:
      problems.push({ message: `podnet ${cmd ?? ''} is not allowed in an action`.replace(/ +is/, ' is'), hint: `use one of: ${ALLOWED}`, arg: 1 });
  }
  for (const f of refs.files) {
    const bad = pathSpellingProblem(f.path);
    if (bad) problems.push({ message: bad.problem, hint: bad.hint, arg: f.arg });
  }
  return { problems, usesShell, refs };
}
