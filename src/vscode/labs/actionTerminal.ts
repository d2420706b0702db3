/** Runs a lab action in an integrated terminal the learner watches, while keeping its output for the step's checks. */
import * as vscode from 'vscode';
import type { LabActionContext, LabActionResult } from '../../labs/actionRun';
import type { LabAction } from '../../labs/types';
import { prettyCommand } from '../../util/exec';

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

/** Runs a lab action with the terminal showing its exact command and its output as it arrives; the same runner as `podnet lab run`. */
export async function runActionInTerminal(action: LabAction, ctx: Omit<LabActionContext, 'onStart' | 'onStdout' | 'onStderr'>): Promise<LabActionResult> {
  const t = labTerminal();
  t.term.show(true);
  const { runLabAction } = await import('../../labs/actionRun');
  const res = await runLabAction(action, {
    ...ctx,
    onStart: (argv) => t.write(`\n\x1b[1m$ ${prettyCommand(argv)}\x1b[0m\n`),
    onStdout: (text) => t.write(text),
    onStderr: (text) => t.write(`\x1b[33m${text}\x1b[0m`),
  });
  t.write(`\x1b[2m(exit ${res.code}${res.timedOut ? ': timed out' : ''})\x1b[0m\n`);
  return res;
}
