/** Paths inside a lab pack: a pack is untrusted, so every file it names must stay inside its folder, symlinks included. */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** Largest step or asset file a pack may hand to a UI. */
export const MAX_PACK_FILE_BYTES = 1024 * 1024;

/** Why a path was refused, as a sentence and a fix. */
export interface PathProblem {
  problem: string;
  hint: string;
}

/** Checks the spelling of a pack-relative path without touching the disk; undefined when it is fine. */
export function pathSpellingProblem(rel: string): PathProblem | undefined {
  const hint = 'write a path relative to the folder that holds lab.yaml, with "/" between folders, e.g. steps/01-intro.md';
  if (rel === '' || rel.includes('\0')) return { problem: 'the path is empty or contains a NUL byte', hint };
  if (rel.includes('\\')) return { problem: `"${rel}" contains a backslash`, hint };
  if (isAbsolute(rel) || /^[A-Za-z]:/.test(rel)) return { problem: `"${rel}" is an absolute path; a pack may only name its own files`, hint };
  if (rel.split('/').some((part) => part === '..')) return { problem: `"${rel}" uses "..", which could leave the pack folder`, hint };
  return undefined;
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/** The real path of the regular file `rel` inside the pack folder `root`, or why it cannot be used. */
export function resolveInPack(root: string, rel: string): { path: string } | PathProblem {
  const spelling = pathSpellingProblem(rel);
  if (spelling) return spelling;
  const realRoot = realpathSync(root);
  const candidate = resolve(realRoot, rel);
  if (!inside(realRoot, candidate)) return { problem: `"${rel}" is outside the pack folder`, hint: 'keep every file of the pack inside its folder' };
  let real: string;
  try {
    real = realpathSync(candidate);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { problem: `"${rel}" does not exist in the pack`, hint: `create ${rel} next to lab.yaml, or fix the name (names are case-sensitive)` };
    return { problem: `"${rel}" cannot be read (${code ?? (e as Error).message})`, hint: 'check its permissions' };
  }
  // A symlink may point anywhere; only its final target counts.
  if (!inside(realRoot, real)) return { problem: `"${rel}" is a symbolic link that leads outside the pack folder (to ${real})`, hint: 'copy the file into the pack instead of linking to it' };
  if (!statSync(real).isFile()) return { problem: `"${rel}" is not a regular file`, hint: 'name a file, not a folder or device' };
  return { path: real };
}

/** Reads a pack file (a step's Markdown, an asset) after the same checks, refusing files over {@link MAX_PACK_FILE_BYTES}. */
export function readPackFile(root: string, rel: string): Buffer {
  const found = resolveInPack(root, rel);
  if (!('path' in found)) throw new Error(`cannot open ${rel} in the lab pack ${root}: ${found.problem} (${found.hint})`);
  const size = statSync(found.path).size;
  if (size > MAX_PACK_FILE_BYTES) throw new Error(`cannot open ${rel} in the lab pack ${root}: it is ${size} bytes, more than the ${MAX_PACK_FILE_BYTES}-byte limit for a pack file (make it smaller)`);
  return readFileSync(found.path);
}
