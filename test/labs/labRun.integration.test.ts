/** `podnet lab list|validate|run` end to end with the built CLI: a passing pack, a failing one, bad packs that run nothing, and teardown every time. */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabRunResult } from '../../src/labs/runner';
import { readdirSync } from 'node:fs';
import { runCliClosingStdout, runCliToFullDisk } from '../support/brokenOutput';
import { runCli, runCliOk, runtimeDirFor } from '../support/cli';
import { FIXTURES, makePack, REPO, writeZip } from './helpers';
import { CHECK_TYPES } from '../../src/labs/readCheck';

const LABS = ['ilab-run-mini', 'ilab-run-fail', 'ilab-run-keep', 'ilab-run-busy', 'ilab-run-bad', 'ilab-run-sig', 'ilab-run-tty', 'ilab-run-pipe', 'ilab-run-full'];
/** The runtime files (socket, lock, log, state) a lab of that name has on the host. */
const filesOf = (lab: string) => readdirSync(runtimeDirFor('root')).filter((f) => f.startsWith(`${lab}.`));
const status = (lab: string) => runCli('root', ['lab', 'status', '--lab', lab]);

describe('podnet lab list|validate|run', function () {
  this.timeout(180_000);
  before(async () => {
    for (const lab of LABS) await runCli('root', ['lab', 'down', '--lab', lab]);
  });
  after(async () => {
    for (const lab of LABS) await runCli('root', ['lab', 'down', '--lab', lab]);
  });

  it('lab list shows the built-in packs; lab validate accepts the mini fixture', async () => {
    const list = await runCliOk('root', ['lab', 'list']);
    assert.match(list.stdout, /^ID +TITLE +VERSION +MINUTES +STEPS +KIND +PATH/);
    assert.match(list.stdout, /own-ip +Every Pod gets its own IP/);
    const ok = await runCliOk('root', ['lab', 'validate', join(FIXTURES, 'mini')]);
    assert.match(ok.stdout, /valid lab pack "mini" 1\.0\.0 \(2 steps, 5 actions, 8 checks\)/);
  });

  it('runs the mini pack: shows each argv before it runs, grades every check, tears down, exit 0', async () => {
    const res = await runCli('root', ['lab', 'run', join(FIXTURES, 'mini'), '--lab', 'ilab-run-mini', '--yes'], { timeoutMs: 120_000 });
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.match(res.stdout, /It runs these commands, each without a shell:\n {4}podnet get pods -o wide --lab ilab-run-mini\n/);
    assert.match(res.stdout, /\$ podnet exec pod-a --lab ilab-run-mini -- busybox wget -qO- http:\/\/10\.244\.2\.\d+:8080\//);
    assert.equal(res.stdout.match(/^ {2}✓ /gm)?.length, 9, res.stdout);
    assert.match(res.stdout, /✓ pod-c has a new IP after it was re-created\n {6}pod-c now has 10\.244\.2\.\d+ instead of 10\.244\.2\.\d+: its IP changed\./);
    assert.match(res.stdout, /PASS: 2\/2 steps, 8\/8 checks passed in [\d.]+ s\. The lab "ilab-run-mini" was torn down\./);
    assert.equal((await status('ilab-run-mini')).code, 3, 'the lab is gone');
  });

  it('a pack whose check fails: exit 1, the learner\'s message and the step\'s hint are printed, the lab is gone', async () => {
    const res = await runCli('root', ['lab', 'run', join(FIXTURES, 'failing'), '--lab', 'ilab-run-fail', '--yes'], { timeoutMs: 120_000 });
    assert.equal(res.code, 1, res.stdout + res.stderr);
    assert.match(res.stdout, /✗ web-2 runs on node2\n {6}There is no Pod named web-2 yet: create it with `podnet pod create web-2 --node node2`, then check again\.\n {2}hint: Use podnet pod create web-2 --node node2\./);
    assert.match(res.stdout, /FAIL: 0\/1 steps, 1\/2 checks passed/);
    assert.equal((await status('ilab-run-fail')).code, 3);
  });

  it('--json prints the whole result; --keep leaves the lab running', async () => {
    const res = await runCli('root', ['lab', 'run', join(FIXTURES, 'failing'), '--json', '--keep', '--lab', 'ilab-run-keep', '--yes'], { timeoutMs: 120_000 });
    assert.equal(res.code, 1);
    const r = JSON.parse(res.stdout) as LabRunResult;
    assert.equal(r.passed, false);
    assert.equal(r.kept, true);
    assert.deepEqual(r.steps[0].checks.map((c) => [c.type, c.passed]), [['uniquePodIps', true], ['podExists', false]]);
    assert.deepEqual(r.steps[0].actions[0].argv, ['podnet', 'get', 'pods', '--lab', 'ilab-run-keep']);
    assert.match(r.steps[0].actions[0].stdout, /pod-a +1\/1 +Running/);
    assert.match(res.stderr, /It runs these commands/);
    assert.equal((await status('ilab-run-keep')).code, 0, 'kept');
    await runCliOk('root', ['lab', 'down', '--lab', 'ilab-run-keep']);
  });

  it('an invalid pack or zip runs nothing: every error with its location, exit 1, no lab started', async () => {
    const text = readFileSync(join(FIXTURES, 'failing/lab.yaml'), 'utf8').replace('node: node2\n        title', 'node: node3\n        title').replace('type: uniquePodIps', 'type: uniqueIps');
    const dir = makePack({ 'lab.yaml': text, 'steps/01-create.md': '# x\n' });
    const res = await runCli('root', ['lab', 'run', dir, '--lab', 'ilab-run-bad']);
    assert.equal(res.code, 1);
    assert.deepEqual(res.stderr.trim().split('\n'), [
      `${dir}/lab.yaml:22:15: steps[0].checks[0].type: unknown check type 'uniqueIps' (use one of: ${Object.keys(CHECK_TYPES).join(', ')})`,
      `${dir}/lab.yaml:25:15: steps[0].checks[1].node: node 'node3' is not in the topology (use one of: node1, node2)`,
    ]);
    assert.equal(res.stdout, '');
    assert.equal((await status('ilab-run-bad')).code, 3, 'nothing was started');
    const zip = writeZip([{ name: 'lab.yaml', data: text }, { name: '../escape.md', data: 'x' }]);
    const bad = await runCli('root', ['lab', 'validate', zip]);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr.trim(), `${zip}: entry "../escape.md": refused: its path uses "..", which would leave the pack folder (store every file under a plain relative path such as steps/01-intro.md)`);
    assert.equal((await runCli('root', ['lab', 'run', zip, '--lab', 'ilab-run-bad'])).code, 1);
    assert.equal((await status('ilab-run-bad')).code, 3);
  });

  it('never stops a lab it did not start: a name already in use is an error and that lab keeps running', async () => {
    await runCliOk('root', ['lab', 'up', '--lab', 'ilab-run-busy', '-q']);
    const res = await runCli('root', ['lab', 'run', join(FIXTURES, 'mini'), '--lab', 'ilab-run-busy', '--yes']);
    assert.equal(res.code, 1);
    assert.match(res.stdout, /podnet: the lab "ilab-run-busy" could not be started: lab "ilab-run-busy" is already running/);
    assert.equal((await status('ilab-run-busy')).code, 0, 'still running');
  });

  it('Ctrl-C during a run tears the lab down and exits 130', async () => {
    const child = spawn(process.execPath, [join(REPO, 'dist/cli.js'), 'lab', 'run', join(FIXTURES, 'mini'), '--lab', 'ilab-run-sig', '--yes'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let sent = false;
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (d) => {
        out += d;
        if (!sent && out.includes('is up')) sent = child.kill('SIGINT');
      });
      child.stderr.on('data', (d) => (out += d));
      child.once('close', resolve);
      setTimeout(() => child.kill('SIGKILL'), 60_000);
    });
    assert.equal(code, 130, out);
    assert.match(out, /SIGINT: tearing down the lab "ilab-run-sig"/);
    assert.equal((await status('ilab-run-sig')).code, 3);
  });

  it('refuses to run a pack that is not built in when no terminal can ask and --yes is missing: nothing runs', async () => {
    const res = await runCli('root', ['lab', 'run', join(FIXTURES, 'mini'), '--lab', 'ilab-run-tty']);
    assert.equal(res.code, 1, res.stdout + res.stderr);
    assert.match(res.stdout, /It runs these commands/, 'the commands are shown first');
    assert.match(res.stderr, /podnet: the lab pack "mini" is not built in and there is no terminal to ask before it runs the commands listed above: read them, then run it again with --yes\. Nothing was run\./);
    assert.equal((await status('ilab-run-tty')).code, 3, 'no lab was started');
    assert.deepEqual(filesOf('ilab-run-tty'), []);
  });

  it('lab validate accepts the id of a built-in pack, as lab run does, and names the known ids for an unknown one', async () => {
    const ok = await runCliOk('root', ['lab', 'validate', 'own-ip']);
    assert.match(ok.stdout, /^own-ip: valid lab pack "own-ip" /);
    const bad = await runCli('root', ['lab', 'validate', 'no-such-pack']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /"no-such-pack" is neither a lab pack folder or \.zip nor the id of a known pack.*own-ip/);
  });

  for (const [how, runIt] of [
    ['a reader that leaves after one line (| head -1)', (args: string[]) => runCliClosingStdout(args, 1)],
    ['a full disk (> /dev/full)', (args: string[]) => runCliToFullDisk(args)],
  ] as const) {
    it(`with stdout going to ${how}, the run still tears its lab down, leaves no start lock, exits 1 without a stack trace`, async () => {
      const lab = how.includes('head') ? 'ilab-run-pipe' : 'ilab-run-full';
      const res = await runIt(['lab', 'run', join(FIXTURES, 'mini'), '--lab', lab, '--yes']);
      assert.equal(res.code, 1, res.stderr);
      assert.doesNotMatch(res.stderr, /^\s+at /m, 'no stack trace');
      assert.doesNotMatch(res.stderr, /Unhandled|EPIPE/);
      if (how.includes('full')) assert.match(res.stderr, /podnet: could not write the output \(ENOSPC\)/);
      assert.equal((await status(lab)).code, 3, 'the lab is gone');
      assert.deepEqual(filesOf(lab), [], 'no socket, lock, log or state folder is left');
    });
  }
});
