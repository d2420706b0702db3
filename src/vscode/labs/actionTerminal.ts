/** Runs a lab action in an integrated terminal the learner watches, while keeping its output for the step's checks. */
import { spawn } from 'node:child_process';
import * as vscode from 'vscode';
import { prettyCommand } from '../../util/exec';

/** What an action printed and how it ended. */
export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

const ACTION_TIMEOUT_MS = 120_000;
let terminal: { term: vscode.Terminal; write: (s: string) => void } | undefined;

/** The one "PodNet Lab" terminal (a pseudoterminal: our process writes into it). */
function labTerminal(): { term: vscode.Terminal; write: (s: string) => void } {
  if (terminal && vscode.window.terminals.includes(terminal.term)) return terminal;
  const emitter = new vscode.EventEmitter<string>();
  // A pseudoterminal drops what is written before VS Code opens it: hold output until then.
  let pending: string[] | undefined = ['PodNet Lab actions run here; each shows its exact command first.\r\n'];
  const pty: vscode.Pseudoterminal = {
    onDidWrite: emitter.event,
    open: () => {
      for (const chunk of pending ?? []) emitter.fire(chunk);
      pending = undefined;
    },
    close: () => (terminal = undefined),
  };
  const term = vscode.window.createTerminal({ name: 'PodNet Lab', pty, iconPath: new vscode.ThemeIcon('beaker') });
  const write = (s: string) => {
    const text = s.replace(/\r?\n/g, '\r\n');
    if (pending) pending.push(text);
    else emitter.fire(text);
  };
  terminal = { term, write };
  return terminal;
}

/** Runs `podnet ARGV...` (the CLI bundle under this VS Code's Node) with the terminal showing the command and its output. */
export function runActionInTerminal(cliEntry: string, argv: string[], cwd: string): Promise<ActionRun> {
  const t = labTerminal();
  t.term.show(true);
  t.write(`\n\x1b[1m$ ${prettyCommand(argv)}\x1b[0m\n`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliEntry, ...argv.slice(1)], { cwd, shell: false, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, ACTION_TIMEOUT_MS);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      t.write(d.toString());
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
      t.write(`\x1b[33m${d.toString()}\x1b[0m`);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      t.write(`\x1b[2m(exit ${code ?? 'killed'})\x1b[0m\n`);
      resolve({ code: code ?? -1, stdout, stderr, timedOut });
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: -1, stdout, stderr: `${stderr}${e.message}`, timedOut });
    });
  });
}
