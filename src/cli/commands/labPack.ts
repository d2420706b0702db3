/** `podnet lab list|validate|run`: lab packs (lab.yaml, step pages, actions, checks) from the command line and CI. */
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { describeCheck, planOf } from '../../labs/describe';
import { LabPackError, LabPackInvalidError } from '../../labs/errors';
import { kindIncompatibility } from '../../labs/kindCompat';
import { findLabPack, listLabPacks, validateLabPackPath } from '../../labs/registry';
import { kindContext } from '../../providers/kind/createCluster';
import { type LabRunResult, type RunEvent, runLabPack } from '../../labs/runner';
import type { LabPack } from '../../labs/types';
import { isValidLabName } from '../../providers/embedded/labPaths';
import { stopLab } from '../../providers/embedded/launcher';
import { prettyCommand } from '../../util/exec';
import { parse } from '../args';
import { UsageError } from '../cliError';
import { guardOutput } from '../outputGuard';
import { table } from '../table';

/** Help text of the lab-pack subcommands (part of `podnet lab --help`). */
export const LAB_PACK_HELP = `  podnet lab list [--dir DIR]... [--json]     the built-in lab packs (and those in each DIR)
  podnet lab validate PATH|ID                 check a pack folder, its lab.yaml, a .zip or a known pack; every error as
                                              file:line:column: field: message (exit 1 if any)
  podnet lab run PATH|ID [--json] [--keep] [--yes] [--lab NAME]
                                              start the pack's lab, run each step's actions, grade its checks,
                                              tear the lab down; exit 0 only if every check passes
  podnet lab run PATH|ID --kind NAME [--workload-image IMAGE] [--json] [--keep] [--yes]
                                              the same on a kind cluster made by \`podnet kind create --name NAME\`:
                                              the pack's Pods are made there, actions run with --context kind-NAME,
                                              and the Pods are deleted afterwards (packs with a Docker-style host,
                                              --wire or --docker-host are embedded-only: \`podnet lab list\` says so)`;

const OPTIONS = { json: { type: 'boolean' }, keep: { type: 'boolean' }, yes: { type: 'boolean', short: 'y' }, dir: { type: 'string', multiple: true }, 'cni-path': { type: 'string' }, kind: { type: 'string' }, 'workload-image': { type: 'string' } } as const;

function printErrors(errors: LabPackError[]): void {
  for (const e of errors) console.error(e.format());
}

function list(dirs: string[], json: boolean): number {
  const { packs, problems } = listLabPacks(dirs);
  if (json) return void console.log(JSON.stringify(
    { packs, problems: problems.map((p) => ({ dir: p.dir, errors: p.errors.map((e) => e.format()) })) }, null, 2,
  )), 0;
  if (packs.length === 0) console.log('no lab packs found');
  else console.log(table(['ID', 'TITLE', 'VERSION', 'MINUTES', 'STEPS', 'KIND', 'PATH'], packs.map((p) => [p.id, p.title, p.version, String(p.minutes), String(p.steps), p.kind ? 'no' : 'yes', p.dir])));
  const embeddedOnly = packs.filter((p) => p.kind);
  if (!json && embeddedOnly.length) console.log(`\nKIND no: the pack cannot run with --kind (embedded lab only):\n${embeddedOnly.map((p) => `  ${p.id}: ${p.kind}`).join('\n')}`);
  for (const p of problems) console.error(`podnet: ${p.dir} is not a valid lab pack (${p.errors.length} problem${p.errors.length === 1 ? '' : 's'}; see \`podnet lab validate ${p.dir}\`)`);
  return 0;
}

/** Every problem of a pack given by path, or by the id of a built-in (or --dir) pack like `lab run` takes. */
function validationOf(path: string, dirs: string[]): ReturnType<typeof validateLabPackPath> {
  if (existsSync(path)) return validateLabPackPath(path);
  const opened = findLabPack(path, dirs); // throws for an unknown id, or with every error of a broken pack
  opened.close();
  return { pack: opened.pack, errors: [] };
}

function validate(path: string, dirs: string[]): number {
  const { pack, errors } = validationOf(path, dirs);
  if (!pack) return printErrors(errors), 1;
  const actions = pack.steps.flatMap((s) => s.actions);
  const checks = pack.steps.reduce((n, s) => n + s.checks.length, 0);
  console.log(`${path}: valid lab pack "${pack.id}" ${pack.version} (${pack.steps.length} steps, ${actions.length} actions, ${checks} checks)`);
  for (const a of planOf(pack, `pack-${pack.id}`).filter((p) => p.usesShell)) console.log(`  note: action ${a.step}/${a.id} starts a shell inside the lab: ${a.display}`);
  return 0;
}

function indent(text: string, max = 15): string {
  const lines = text.replace(/\s+$/, '').split('\n');
  const shown = lines.slice(0, max).map((l) => `      ${l}`);
  if (lines.length > max) shown.push(`      … ${lines.length - max} more lines`);
  return shown.join('\n');
}

function printEvent(e: RunEvent): void {
  switch (e.kind) {
    case 'lab-up': return console.log(e.cluster !== undefined ? `  ✓ the pack's Pods are Running on kind cluster "${e.cluster}" (context ${e.lab}): ${e.nodes} nodes, ${e.pods} Pods` : `  ✓ lab "${e.lab}" is up: ${e.nodes} nodes, ${e.pods} Pods (${e.rootless ? 'rootless sandbox' : 'sandbox as root'})`);
    case 'step': return console.log(`\nStep ${e.index + 1}/${e.total}: ${e.step.title}`);
    case 'action-start': return console.log(`  $ ${prettyCommand(e.argv)}${e.usesShell ? '   <- starts a shell inside the lab' : ''}`);
    case 'action': {
      const out = `${e.result.stdout}${e.result.stderr}`;
      if (out.trim()) console.log(indent(out));
      if (e.result.code !== 0) console.log(`      (exit code ${e.result.code}${e.result.timedOut ? ', stopped: it took too long' : ''})`);
      return;
    }
    case 'check': return console.log(`  ${e.result.passed ? '✓' : '✗'} ${e.result.title}\n      ${e.result.message}`);
    case 'step-done': return e.result.passed || e.result.hints.length === 0 ? undefined : console.log(e.result.hints.map((h) => `  hint: ${h}`).join('\n'));
    case 'teardown': return;
  }
}

function summary(r: LabRunResult): string {
  const checks = r.steps.flatMap((s) => s.checks);
  const passed = checks.filter((c) => c.passed).length;
  const onKind = r.lab.startsWith('kind-');
  const lab = onKind ? (r.steps.length === 0 && r.error ? '' : r.kept ? `The pack's Pods are still on ${r.lab}.` : `The pack's Pods were deleted from ${r.lab}.`) : r.kept ? `The lab "${r.lab}" is still running: \`podnet lab down --lab ${r.lab}\` stops it.` : `The lab "${r.lab}" was torn down.`;
  return `${r.error ? `\npodnet: ${r.error}` : ''}\n${r.passed ? 'PASS' : 'FAIL'}: ${r.steps.filter((s) => s.passed).length}/${r.steps.length} steps, ${passed}/${checks.length} checks passed in ${(r.durationMs / 1000).toFixed(1)} s. ${lab}`;
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** On Ctrl-C or SIGTERM, stops the lab when `ours()` says this run started it (never someone else's), then exits 130; returns the unregister function. */
function tearDownOnSignal(lab: string, ours: () => boolean): () => void {
  let stopping = false;
  const onSignal = (sig: NodeJS.Signals) => {
    if (stopping) return void console.error(`podnet: ${sig}: still tearing down the lab "${lab}"...`);
    stopping = true;
    const stop = ours();
    console.error(`\npodnet: ${sig}: ${stop ? `tearing down the lab "${lab}"` : 'stopping'}`);
    process.on('unhandledRejection', () => undefined); // calls still in flight fail as the lab goes away
    const failed = (e: unknown) => console.error(`podnet: tearing down the lab "${lab}" failed: ${(e as Error).message} (run \`podnet lab down --lab ${lab}\`)`);
    (stop ? stopLab(lab) : Promise.resolve()).catch(failed).finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  return () => void process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
}

type RunValues = { json?: boolean; keep?: boolean; yes?: boolean; lab?: string; dir?: string[]; 'cni-path'?: string; kind?: string; 'workload-image'?: string };

async function run(target: string, values: RunValues): Promise<number> {
  const opened = findLabPack(target, values.dir ?? []);
  const output = guardOutput(); // from the first line on: a reader that leaves must not crash the run before its teardown
  try {
    const { pack } = opened;
    const lab = values.lab ?? `pack-${pack.id}`;
    if (!isValidLabName(lab)) throw new UsageError(`--lab "${lab}" is not a valid lab name (lowercase letters, digits and "-", at most 32)`);
    const say = values.json ? (s: string) => console.error(s) : (s: string) => console.log(s);
    if (values.kind !== undefined && values.lab !== undefined) throw new UsageError('--lab names an embedded lab and --kind a kind cluster: use one of them');
    if (values.kind !== undefined) {
      const why = kindIncompatibility(pack);
      if (why) return console.error(`podnet: the lab pack "${pack.id}" cannot run on kind: ${why}; run it on the embedded lab (drop --kind). Nothing was run.`), output.exitCode(1);
    }
    const plan = planOf(pack, values.kind !== undefined ? { context: kindContext(values.kind) } : lab);
    say(`Lab pack "${pack.id}" ${pack.version}: ${pack.title} (about ${pack.minutes} min, ${pack.steps.length} step${pack.steps.length === 1 ? '' : 's'}), by ${pack.author}`);
    say(plan.length ? `It runs these commands, each without a shell:\n${plan.map((a) => `  ${a.usesShell ? '! ' : '  '}${a.display}${a.usesShell ? '   <- starts a shell inside the lab' : ''}`).join('\n')}` : 'It runs no commands; it only checks the lab.');
    say(`and checks: ${pack.steps.flatMap((s) => s.checks.map(describeCheck)).join('; ') || 'nothing'}`);
    if (plan.length && !values.yes && !opened.builtIn) {
      if (!process.stdin.isTTY) {
        console.error(`podnet: the lab pack "${pack.id}" is not built in and there is no terminal to ask before it runs the commands listed above: read them, then run it again with --yes. Nothing was run.`);
        return output.exitCode(1);
      }
      if (!(await confirm('Run them? [y/N] '))) return say('Nothing was run.'), output.exitCode(1);
    }
    return output.exitCode(await runConsented(opened.pack, lab, values, output.signal));
  } finally {
    opened.close();
  }
}

/** Runs a pack the user agreed to; the lab is torn down even when stdout goes away (`| head -1`, a full disk). */
async function runConsented(pack: LabPack, lab: string, values: RunValues, signal: AbortSignal): Promise<number> {
  let up = false;
  // On kind a signal ends the run without touching the cluster (its Pods stay; the message says so).
  const release = tearDownOnSignal(lab, () => up && !values.keep && values.kind === undefined);
  const onEvent = (e: RunEvent) => {
    if (e.kind === 'lab-up') up = true;
    if (!values.json) printEvent(e);
  };
  const result = await runLabPack(pack, { lab, keep: values.keep, cniPath: values['cni-path'], onEvent, signal, kind: values.kind, workloadImage: values['workload-image'] }).finally(release);
  if (values.json) console.log(JSON.stringify(result, null, 2));
  else console.log(summary(result));
  if (values.json && result.error) console.error(`podnet: ${result.error}`);
  return result.passed ? 0 : 1;
}

/** Runs `podnet lab list|validate|run ...` (argv includes the subcommand). */
export async function labPackCommand(argv: string[], help: string): Promise<number> {
  const { values, positionals } = parse(argv, OPTIONS, help);
  if (values.help) return void console.log(help), 0;
  const [sub, path, ...extra] = positionals;
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`, help);
  try {
    if (sub === 'list') {
      if (path) throw new UsageError(`unexpected argument "${path}" (use --dir DIR for more packs)`, help);
      return list(values.dir ?? [], !!values.json);
    }
    if (!path) throw new UsageError(`lab ${sub} needs a PATH${sub === 'run' ? ' or the ID of a pack (podnet lab list)' : ''}`, help);
    return sub === 'validate' ? validate(path, values.dir ?? []) : await run(path, values);
  } catch (e) {
    if (e instanceof LabPackInvalidError) return printErrors(e.errors), 1;
    if (e instanceof LabPackError) return console.error(`podnet: ${e.format()}`), 1;
    throw e;
  }
}
