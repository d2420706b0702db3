/** Reads the `steps:` of lab.yaml: each step's page, its actions (checked against the action policy) and its checks. */
import { isScalar, type Node } from 'yaml';
import type { Fields, SpecReader } from '../model/topologyYaml';
import { type ActionRefs, checkActionArgv } from './actionPolicy';
import { splitCommand } from './commandLine';
import { resolveInPack } from './packPaths';
import { readCheck } from './readCheck';
import type { LabAction, LabStep } from './types';
import { fieldPath, requiredStr, strList } from './yamlFields';

/** How much one pack may ask for: packs are untrusted input. */
export const PACK_LIMITS = { steps: 50, actionsPerStep: 20, checksPerStep: 30, hintsPerStep: 20, argvWords: 64, argvWordLength: 4096 } as const;

/** Step and action ids: a DNS label, so they are safe in file names, URLs and messages. */
export const ID_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const ID_HINT = 'use lowercase letters a-z, digits and "-", starting and ending with a letter or digit';
const STEP_KEYS = ['id', 'title', 'file', 'actions', 'checks', 'hints'];
const ACTION_KEYS = ['id', 'title', 'run'];
const MARKDOWN = /\.(md|markdown)$/i;

/** Where an action was written and what it refers to (for the reference checks). */
export interface ReadAction {
  path: string;
  refs: ActionRefs;
  /** The field path of word `arg` of its argv (the run list item, or the run string). */
  argField(arg: number | undefined): string;
}

/** A step as read, with its actions' references in the same order as `step.actions`. */
export interface ReadStep {
  step: LabStep;
  path: string;
  actions: ReadAction[];
  /** The field path of each of `step.checks`. */
  checkPaths: string[];
}

function limit(r: SpecReader, items: Node[] | undefined, path: string, max: number, what: string): Node[] {
  if (items && items.length > max) r.fail(`${path}[${max}]`, `${path} has ${items.length} ${what}; a pack may have at most ${max}`, 'split it into more steps or packs');
  return (items ?? []).slice(0, max);
}

function readId(r: SpecReader, f: Fields, what: string, fallback?: string): string | undefined {
  const id = fallback === undefined ? requiredStr(r, f, 'id', what, 'add id: and a short name such as inspect-pod') : r.str(f, 'id') ?? fallback;
  if (id !== undefined && f.get('id') !== undefined && !ID_PATTERN.test(id)) r.fail(fieldPath(f, 'id'), `'${id}' is not a valid id`, ID_HINT);
  return id;
}

function readRun(r: SpecReader, f: Fields, path: string): string[] | undefined {
  const node = f.get('run');
  const runPath = `${path}.run`;
  if (node === undefined) return void r.fail(runPath, `${path} has no run`, 'add run: [podnet, get, pods] (or the same as one string)');
  let argv: string[] | undefined;
  if (isScalar(node) && typeof node.value === 'string') {
    const split = splitCommand(node.value);
    if ('problem' in split) return void r.fail(runPath, split.problem, split.hint);
    argv = split.argv;
  } else {
    argv = strList(r, node, runPath, '[podnet, exec, pod-a, --, ip, addr]');
  }
  if (!argv) return undefined;
  if (argv.length === 0) return void r.fail(runPath, `${runPath} is empty`, 'write the podnet command to run');
  if (argv.length > PACK_LIMITS.argvWords || argv.some((a) => a.length > PACK_LIMITS.argvWordLength)) {
    return void r.fail(runPath, `${runPath} is too long (at most ${PACK_LIMITS.argvWords} words of ${PACK_LIMITS.argvWordLength} characters)`, 'shorten the command');
  }
  return argv;
}

function readAction(r: SpecReader, node: Node | undefined, path: string, fallbackId: string): { action: LabAction; read: ReadAction } | undefined {
  const f = r.map(node, path, ACTION_KEYS, `${path} (an action)`, '`{id: show-pods, run: [podnet, get, pods]}`');
  if (node === undefined) r.fail(path, `${path} is empty`, 'write an action such as `- {id: show-pods, run: [podnet, get, pods]}`');
  if (!f) return undefined;
  const id = readId(r, f, path, fallbackId);
  const title = r.str(f, 'title');
  const run = readRun(r, f, path);
  if (!run || id === undefined) return undefined;
  const verdict = checkActionArgv(run);
  const listed = !isScalar(f.get('run'));
  const argField = (arg: number | undefined) => (listed && arg !== undefined ? `${path}.run[${arg}]` : `${path}.run`);
  for (const p of verdict.problems) r.fail(argField(p.arg), p.message, p.hint);
  const action: LabAction = { id, run, ...(title !== undefined ? { title } : {}), ...(verdict.usesShell ? { usesShell: true } : {}) };
  return { action, read: { path, refs: verdict.refs, argField } };
}

function readFile(r: SpecReader, f: Fields, path: string, packDir: string): string | undefined {
  const file = requiredStr(r, f, 'file', path, 'add file: and the Markdown page of this step, e.g. steps/01-intro.md');
  if (file === undefined) return undefined;
  const found = resolveInPack(packDir, file);
  if ('problem' in found) r.fail(fieldPath(f, 'file'), found.problem, found.hint);
  else if (!MARKDOWN.test(file)) r.fail(fieldPath(f, 'file'), `"${file}" is not a Markdown file`, 'a step page ends in .md');
  return file;
}

function readStep(r: SpecReader, node: Node | undefined, path: string, packDir: string): ReadStep | undefined {
  const f = r.map(node, path, STEP_KEYS, `${path} (a step)`, '`{id: intro, title: ..., file: steps/01-intro.md}`');
  if (node === undefined) r.fail(path, `${path} is empty`, 'write a step with id, title and file');
  if (!f) return undefined;
  const id = readId(r, f, path);
  const title = requiredStr(r, f, 'title', path, 'add title: and what the learner does in this step');
  const file = readFile(r, f, path, packDir);
  const actionItems = limit(r, r.list(f.get('actions'), `${path}.actions`, '- {id: show-pods, run: [podnet, get, pods]}'), `${path}.actions`, PACK_LIMITS.actionsPerStep, 'actions');
  const actions = actionItems.map((item, i) => readAction(r, item, `${path}.actions[${i}]`, `${id ?? 'step'}-${i + 1}`));
  const checkItems = limit(r, r.list(f.get('checks'), `${path}.checks`, '- type: uniquePodIps'), `${path}.checks`, PACK_LIMITS.checksPerStep, 'checks');
  const checks = checkItems.map((item, i) => readCheck(r, item, `${path}.checks[${i}]`));
  const checkPaths = checkItems.map((_, i) => `${path}.checks[${i}]`).filter((_, i) => checks[i] !== undefined);
  const hintsNode = f.get('hints');
  const hints = (hintsNode === undefined ? [] : strList(r, hintsNode, `${path}.hints`, '- Look at the IP column.')) ?? [];
  if (hints.length > PACK_LIMITS.hintsPerStep) r.fail(`${path}.hints`, `${path}.hints has ${hints.length} hints; at most ${PACK_LIMITS.hintsPerStep}`, 'keep the best ones');
  const step: LabStep = {
    id: id ?? '', title: title ?? '', file: file ?? '',
    actions: actions.flatMap((a) => (a ? [a.action] : [])),
    checks: checks.flatMap((c) => (c ? [c] : [])),
    hints,
  };
  return { step, path, actions: actions.flatMap((a) => (a ? [a.read] : [])), checkPaths };
}

/** Reads every step; ids must be unique across steps, and action ids across the whole pack. */
export function readSteps(r: SpecReader, node: Node | undefined, packDir: string): ReadStep[] {
  if (node === undefined) {
    r.fail('steps', 'lab.yaml has no steps', 'add steps: with at least one step (id, title, file)');
    return [];
  }
  const items = r.list(node, 'steps', '- {id: intro, title: Look around, file: steps/01-intro.md}');
  if (items?.length === 0) r.fail('steps', 'steps is empty; a lab needs at least one step', 'add a step with id, title and file');
  const read = limit(r, items, 'steps', PACK_LIMITS.steps, 'steps').map((item, i) => readStep(r, item, `steps[${i}]`, packDir));
  const stepIds = new Map<string, string>();
  const actionIds = new Map<string, string>();
  for (const s of read) {
    if (!s) continue;
    duplicate(r, stepIds, s.step.id, `${s.path}.id`, 'step');
    s.step.actions.forEach((a, j) => duplicate(r, actionIds, a.id, `${s.actions[j].path}.id`, 'action'));
  }
  return read.flatMap((s) => (s ? [s] : []));
}

function duplicate(r: SpecReader, seen: Map<string, string>, id: string, field: string, what: string): void {
  if (id === '') return;
  const first = seen.get(id);
  if (first === undefined) return void seen.set(id, field);
  const loc = r.where(first);
  r.fail(field, `duplicate ${what} id '${id}' (already used by ${first}${loc.line ? ` on line ${loc.line}` : ''})`, `give every ${what} its own id`);
}
