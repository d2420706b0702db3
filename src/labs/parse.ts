/**
 * lab.yaml -> a validated `LabPack`. Every problem carries file, line, column and field path
 * (`steps[2].checks[0].type`). The `topology:` section is checked by the topology parser itself, on the
 * lab.yaml text with everything else blanked out, so its line and column numbers are lab.yaml's own.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isMap, LineCounter, type Node, parseDocument } from 'yaml';
import { MAX_YAML_NESTING, findTooDeep } from '../model/yamlDepth';
import type { Topology } from '../model/topology';
import { parseTopology, validateTopologyText } from '../model/topologySpec';
import { SpecReader } from '../model/topologyYaml';
import { byLocation, fromSpecError, LabPackError, LabPackInvalidError } from './errors';
import { MAX_PACK_FILE_BYTES, resolveInPack } from './packPaths';
import { checkReferences } from './references';
import { readSteps } from './readSteps';
import type { LabPack } from './types';
import { intIn, requiredStr } from './yamlFields';

/** The file every pack folder holds. */
export const LAB_FILE = 'lab.yaml';
/** Pack ids: a DNS label short enough that `pack-<id>` is a valid lab name. */
export const PACK_ID_PATTERN = /^[a-z0-9]([a-z0-9-]{0,25}[a-z0-9])?$/;
const TOP_KEYS = ['id', 'title', 'version', 'author', 'minutes', 'description', 'topology', 'steps'];

/** Options for reading a pack. */
export interface ReadOptions {
  /** How error messages name the pack folder (e.g. `pack.zip!` for an extracted zip); default: the folder itself. */
  displayDir?: string;
}

/** Reads, validates and returns the pack in folder `dir` (or at its lab.yaml); throws {@link LabPackInvalidError} with every problem. */
export function parseLabPack(dir: string, opts: ReadOptions = {}): LabPack {
  const { pack, errors } = readLabPack(dir, opts);
  if (errors.length > 0 || !pack) throw new LabPackInvalidError(errors, `the lab pack ${opts.displayDir ?? dir}`);
  return pack;
}

/** Every problem in the pack in folder `dir`, in file order; empty when `parseLabPack` would succeed. */
export function validateLabPack(dir: string, opts: ReadOptions = {}): LabPackError[] {
  return readLabPack(dir, opts).errors;
}

function packFolder(path: string): string {
  const real = realpathSync(path);
  return statSync(real).isFile() && basename(real) === LAB_FILE ? dirname(real) : real;
}

function readLabPack(path: string, opts: ReadOptions): { pack?: LabPack; errors: LabPackError[] } {
  let dir: string;
  try {
    dir = packFolder(path);
    if (!statSync(dir).isDirectory()) return fail(path, 'this is not a folder', 'give the folder that holds lab.yaml, or a .zip of it');
  } catch (e) {
    return fail(path, `this path cannot be opened (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'check the path');
  }
  const display = join(opts.displayDir ?? dir, LAB_FILE);
  const found = resolveInPack(dir, LAB_FILE);
  if ('problem' in found) return { errors: [new LabPackError(`no usable ${LAB_FILE}: ${found.problem}`, { file: display }, 'a lab pack is a folder with lab.yaml at its top')] };
  const size = statSync(found.path).size;
  if (size > MAX_PACK_FILE_BYTES) return { errors: [new LabPackError(`${LAB_FILE} is ${size} bytes; the limit is ${MAX_PACK_FILE_BYTES}`, { file: display }, 'make it smaller')] };
  return readText(readFileSync(found.path, 'utf8'), dir, display);
}

function fail(path: string, message: string, hint: string): { errors: LabPackError[] } {
  return { errors: [new LabPackError(message, { file: path }, hint)] };
}

function readText(text: string, dir: string, file: string): { pack?: LabPack; errors: LabPackError[] } {
  const deep = findTooDeep(text);
  if (deep) {
    return { errors: [new LabPackError(`${LAB_FILE} is nested too deeply (more than ${MAX_YAML_NESTING} levels of lists and mappings)`, { file, ...deep }, 'a lab pack needs fewer than 10 levels: remove the extra nesting')] };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    // After a syntax error the tree is a guess; checking it would only add confusing follow-on errors.
    return {
      errors: doc.errors.map((e) => {
        const { line, col } = lineCounter.linePos(e.pos[0]);
        return new LabPackError(`YAML syntax error: ${e.message.split('\n')[0]}`, { file, line, column: col }, 'fix the YAML syntax at this position');
      }),
    };
  }
  const r = new SpecReader(doc, lineCounter, file);
  const root = r.resolve(doc.contents ?? undefined);
  if (root === undefined) return { errors: [new LabPackError(`${LAB_FILE} is empty`, { file, line: 1, column: 1 }, 'start with id:, title:, version:, author:, minutes:, topology: and steps:')] };
  r.remember('', root);
  const top = r.map(root, '', TOP_KEYS, `the top level of ${LAB_FILE}`, '`id: my-lab`');
  if (!top) return { errors: converted(r, []) };
  const what = LAB_FILE;
  const id = requiredStr(r, top, 'id', what, 'add id: and a short name such as own-ip');
  if (id !== undefined && !PACK_ID_PATTERN.test(id)) r.fail('id', `pack id '${id}' is not a valid id`, 'use at most 27 lowercase letters a-z, digits and "-", starting and ending with a letter or digit');
  const title = requiredStr(r, top, 'title', what, 'add title: and what the lab teaches');
  const version = requiredStr(r, top, 'version', what, "add version: '1.0.0' (quoted, so YAML keeps it as text)");
  const author = requiredStr(r, top, 'author', what, 'add author: and your name');
  const minutes = top.get('minutes') === undefined ? void r.fail('minutes', `${what} has no minutes`, 'add minutes: and how long the lab takes, e.g. 10') : intIn(r, top, 'minutes', 1, 600, 'estimate the minutes a learner needs, from 1 to 600');
  const description = r.str(top, 'description');
  const topology = readTopologySection(r, text, top.get('topology'));
  const steps = readSteps(r, top.get('steps'), dir);
  if (topology.value) checkReferences(r, topology.value, steps, dir);
  const errors = converted(r, topology.errors);
  if (errors.length > 0 || !topology.value) return { errors };
  const pack: LabPack = {
    id: id!, title: title!, version: version!, author: author!, minutes: minutes!, ...(description !== undefined ? { description } : {}),
    topology: topology.value, steps: steps.map((s) => s.step), dir, file: join(dir, LAB_FILE),
  };
  return { pack, errors: [] };
}

function converted(r: SpecReader, extra: LabPackError[]): LabPackError[] {
  return [...r.errors.map((e) => new LabPackError(e.message, e.location, e.hint)), ...extra].sort(byLocation);
}

/** Validates `topology:` with the topology parser on lab.yaml's text, blanked outside the section so positions stay lab.yaml's. */
function readTopologySection(r: SpecReader, text: string, node: Node | undefined): { value?: Topology; errors: LabPackError[] } {
  if (node === undefined) {
    r.fail('topology', `${LAB_FILE} has no topology`, 'add topology: with nodes and pods (see docs/topology.md)');
    return { errors: [] };
  }
  if (!isMap(node) || !node.range) {
    r.fail('topology', 'topology must be a mapping with nodes and pods', 'write it like docs/topology.md, indented under topology:');
    return { errors: [] };
  }
  const [start, end] = node.range;
  const blanked = text.replace(/[^\n]/g, (ch, i: number) => (i >= start && i < end ? ch : ' '));
  const errors = validateTopologyText(blanked, r.file);
  if (errors.length > 0) return { errors: errors.map((e) => fromSpecError(e)) };
  return { value: parseTopology(blanked, r.file), errors: [] };
}
