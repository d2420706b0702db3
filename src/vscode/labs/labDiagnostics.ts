/** Problems in lab.yaml files shown in the editor (file, line, column, field), without needing the YAML extension. */
import { dirname } from 'node:path';
import * as vscode from 'vscode';

/** Validates every open or saved lab.yaml and publishes its errors as diagnostics. */
export function registerLabDiagnostics(context: vscode.ExtensionContext): void {
  const collection = vscode.languages.createDiagnosticCollection('podnet-labs');
  const timers = new Map<string, NodeJS.Timeout>();
  const validate = async (doc: vscode.TextDocument) => {
    if (doc.uri.scheme !== 'file' || !/(^|\/)lab\.yaml$/.test(doc.uri.fsPath)) return;
    const { validateLabPack } = await import('../../labs/parse');
    // Validates the saved file on disk (steps and references are read from the pack folder too).
    const errors = validateLabPack(dirname(doc.uri.fsPath));
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const e of errors) {
      const line = Math.max(0, (e.location.line ?? 1) - 1);
      const col = Math.max(0, (e.location.column ?? 1) - 1);
      const d = new vscode.Diagnostic(new vscode.Range(line, col, line, col + 200), `${e.location.field ? `${e.location.field}: ` : ''}${e.message}${e.hint ? ` (${e.hint})` : ''}`, vscode.DiagnosticSeverity.Error);
      d.source = 'PodNet lab pack';
      const file = e.location.file ?? doc.uri.fsPath;
      byFile.set(file, [...(byFile.get(file) ?? []), d]);
    }
    collection.set(doc.uri, byFile.get(doc.uri.fsPath) ?? []);
    for (const [file, diags] of byFile) if (file !== doc.uri.fsPath) collection.set(vscode.Uri.file(file), diags);
  };
  const soon = (doc: vscode.TextDocument) => {
    clearTimeout(timers.get(doc.uri.toString()));
    timers.set(doc.uri.toString(), setTimeout(() => void validate(doc).catch(() => undefined), 300));
  };
  context.subscriptions.push(
    collection,
    vscode.workspace.onDidOpenTextDocument(soon),
    vscode.workspace.onDidSaveTextDocument(soon),
    vscode.workspace.onDidCloseTextDocument((d) => collection.delete(d.uri)),
  );
  for (const doc of vscode.workspace.textDocuments) soon(doc);
}
