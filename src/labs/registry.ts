/** Where lab packs come from: the built-in `labs/` folder, extra folders of packs, or a path to a pack folder or .zip. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { kindIncompatibility as kindNote } from './kindCompat';
import { join, resolve } from 'node:path';
import { LabPackError, LabPackInvalidError } from './errors';
import { LAB_FILE, parseLabPack } from './parse';
import type { LabPack } from './types';
import { extractZip } from './zip';

/** One pack in a listing. */
export interface LabPackSummary {
  id: string;
  title: string;
  version: string;
  author: string;
  minutes: number;
  steps: number;
  dir: string;
  builtIn: boolean;
  /** Why the pack cannot run on a kind cluster (`podnet lab run --kind`); absent when it can. */
  kind?: string;
}

/** A pack folder that was found but does not validate. */
export interface LabPackProblem {
  dir: string;
  errors: LabPackError[];
}

/** A pack ready to run; `close()` removes the temp folder of an extracted zip. */
export interface OpenedLabPack {
  pack: LabPack;
  builtIn: boolean;
  close(): void;
}

/** The repo's `labs/` folder: beside dist/ in the bundle (`dist/cli.js` -> `labs/`), at the repo root from src/labs in tests. */
export function builtInLabsDir(): string | undefined {
  const candidates = [process.env.PODNET_LABS_DIR, join(__dirname, '..', 'labs'), join(__dirname, '..', '..', 'labs')];
  return candidates.find((d): d is string => !!d && resolve(d) !== resolve(__dirname) && existsSync(d) && statSync(d).isDirectory());
}

function packFolders(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(root, e.name, LAB_FILE)))
    .map((e) => join(root, e.name))
    .sort();
}

/** Every pack in the built-in folder and in `extraDirs` (folders of pack folders); broken ones are listed as problems, not thrown. */
export function listLabPacks(extraDirs: string[] = []): { packs: LabPackSummary[]; problems: LabPackProblem[] } {
  const packs: LabPackSummary[] = [];
  const problems: LabPackProblem[] = [];
  const builtIn = builtInLabsDir();
  const roots = [...(builtIn ? [{ root: builtIn, builtIn: true }] : []), ...extraDirs.map((root) => ({ root, builtIn: false }))];
  for (const { root, builtIn: isBuiltIn } of roots) {
    if (!existsSync(root)) {
      problems.push({ dir: root, errors: [new LabPackError(`${root} does not exist`, { file: root }, 'give a folder that holds pack folders')] });
      continue;
    }
    for (const dir of packFolders(root)) {
      try {
        const p = parseLabPack(dir);
        packs.push({
          id: p.id, title: p.title, version: p.version, author: p.author, minutes: p.minutes, steps: p.steps.length, dir, builtIn: isBuiltIn,
          ...(kindNote(p) ? { kind: kindNote(p) } : {}),
        });
      } catch (e) {
        problems.push({ dir, errors: e instanceof LabPackInvalidError ? e.errors : [new LabPackError((e as Error).message, { file: dir })] });
      }
    }
  }
  return { packs, problems };
}

/** Opens a pack folder, its lab.yaml or a .zip of it (extracted safely to a temp folder); throws {@link LabPackInvalidError} with every problem. */
export function openLabPackPath(path: string): OpenedLabPack {
  const builtIn = builtInLabsDir();
  const isBuiltIn = !!builtIn && resolve(path).startsWith(`${resolve(builtIn)}/`);
  if (!existsSync(path)) throw new LabPackInvalidError([new LabPackError('this path does not exist', { file: path }, 'give a pack folder, its lab.yaml, or a .zip of it')], path);
  if (!/\.zip$/i.test(path) || statSync(path).isDirectory()) return { pack: parseLabPack(path), builtIn: isBuiltIn, close: () => undefined };
  const extracted = extractZip(path);
  try {
    // A zip may hold the pack at its top, or one folder that holds it.
    const top = existsSync(join(extracted.dir, LAB_FILE)) ? '' : packFolders(extracted.dir).length === 1 ? packFolders(extracted.dir)[0].slice(extracted.dir.length + 1) : '';
    const pack = parseLabPack(join(extracted.dir, top), { displayDir: `${path}!${top ? `/${top}` : ''}` });
    return { pack, builtIn: false, close: extracted.cleanup };
  } catch (e) {
    extracted.cleanup();
    throw e;
  }
}

/** Every problem of the pack at `path` (folder, lab.yaml or .zip), for `podnet lab validate`; the pack too when there are none. */
export function validateLabPackPath(path: string): { pack?: LabPack; errors: LabPackError[] } {
  try {
    const opened = openLabPackPath(path);
    opened.close();
    return { pack: opened.pack, errors: [] };
  } catch (e) {
    if (e instanceof LabPackInvalidError) return { errors: e.errors };
    throw e;
  }
}

/** A pack by path (folder, lab.yaml, .zip) or by the id of a built-in or `extraDirs` pack. */
export function findLabPack(idOrPath: string, extraDirs: string[] = []): OpenedLabPack {
  if (existsSync(idOrPath)) return openLabPackPath(idOrPath);
  const { packs, problems } = listLabPacks(extraDirs);
  const hit = packs.find((p) => p.id === idOrPath);
  if (hit) return { pack: parseLabPack(hit.dir), builtIn: hit.builtIn, close: () => undefined };
  const broken = problems.find((p) => p.dir.endsWith(`/${idOrPath}`));
  if (broken) throw new LabPackInvalidError(broken.errors, `the lab pack ${broken.dir}`);
  const known = packs.map((p) => p.id).join(', ') || 'none';
  throw new LabPackError(`"${idOrPath}" is neither a lab pack folder or .zip nor the id of a known pack`, { file: idOrPath }, `known packs: ${known}; see podnet lab list`);
}
