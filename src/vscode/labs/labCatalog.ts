/** The lab packs the panel lists: the built-in ones and every lab.yaml in the workspace, with saved progress. */
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { LabListItem, LabListProblem } from '../../webview/labs/protocol';
import type { ProgressStore } from './progressStore';

/** Where each listed pack lives, by id. */
export type CatalogPaths = Map<string, string>;

/** Lists the packs; broken workspace packs become problems with their first error. */
export async function loadCatalog(progress: ProgressStore): Promise<{ labs: LabListItem[]; problems: LabListProblem[]; paths: CatalogPaths }> {
  const [{ listLabPacks }, { parseLabPack }, { LabPackInvalidError }] = [await import('../../labs/registry'), await import('../../labs/parse'), await import('../../labs/errors')];
  const labs: LabListItem[] = [];
  const problems: LabListProblem[] = [];
  const paths: CatalogPaths = new Map();
  const add = (p: { id: string; title: string; minutes: number; description?: string; steps: unknown[] | number; dir: string }, source: LabListItem['source']) => {
    if (paths.has(p.id)) return;
    const steps = typeof p.steps === 'number' ? p.steps : p.steps.length;
    paths.set(p.id, p.dir);
    labs.push({ id: p.id, title: p.title, minutes: p.minutes, description: p.description, source, passed: progress.get(p.id).passed.length, steps });
  };
  const builtIn = listLabPacks([]);
  for (const s of builtIn.packs) add({ ...s, description: parseLabPack(s.dir).description }, 'built-in');
  for (const pr of builtIn.problems) problems.push({ path: pr.dir, message: pr.errors[0]?.format() ?? 'unreadable' });
  const files = await vscode.workspace.findFiles('**/lab.yaml', '**/node_modules/**', 100);
  for (const f of files) {
    try {
      add(parseLabPack(dirname(f.fsPath)), 'workspace');
    } catch (e) {
      problems.push({
        path: vscode.workspace.asRelativePath(f),
        message: e instanceof LabPackInvalidError ? e.errors[0]?.format() ?? e.message : (e as Error).message,
      });
    }
  }
  return { labs, problems, paths };
}
