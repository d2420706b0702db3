/** Test helpers for lab packs: packs written to temp folders, and a tiny zip writer that can also forge malicious zips. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { crc32 } from '../../src/labs/zip';

/** The repo root (for the built-in labs/ and dist/cli.js). */
export const REPO = resolve(__dirname, '../..');
/** The test packs under test/fixtures/labpacks. */
export const FIXTURES = join(REPO, 'test/fixtures/labpacks');

/** A two-node topology with pod-a (web + sidecar) on node1 and pod-c on node2, as lab.yaml lines (indented under topology:). */
export const TOPOLOGY = `topology:
  nodes:
    - name: node1
    - name: node2
  pods:
    - name: pod-a
      node: node1
      containers:
        - name: web
        - name: sidecar
          workload: sidecar
    - name: pod-c
      node: node2
`;

/** A lab.yaml header (lines 1-5) plus TOPOLOGY (lines 6-18); steps start on line 19. */
export const HEAD = `id: t
title: Test pack
version: '1'
author: tests
minutes: 1
${TOPOLOGY}`;

const made: string[] = [];
/** A fresh temp folder, removed when the test run ends. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
// A root-level hook (this file is loaded by every lab-pack test): no temp packs or zips are left behind.
after(() => made.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Writes `files` (path -> text) into a fresh temp folder and returns it; `steps/a.md` exists unless overridden. */
export function makePack(files: Record<string, string>): string {
  const dir = tempDir('podnet-labtest-');
  for (const [path, text] of Object.entries({ 'steps/a.md': '# A\n', ...files })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** One entry of a forged zip. */
export interface ZipEntrySpec {
  name: string;
  data?: Buffer | string;
  /** 0 stored, 8 deflate (default). */
  method?: number;
  /** Unix mode with type bits, e.g. 0o120777 for a symlink; default a regular 0644 file. */
  mode?: number;
  flags?: number;
  /** Lie about the uncompressed size. */
  declaredSize?: number;
}

/** Builds a zip (local headers, central directory, end record) from `entries`, exactly as told, lies included. */
export function buildZip(entries: ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = Buffer.from(e.data ?? '');
    const method = e.method ?? 8;
    const body = method === 8 ? deflateRawSync(data) : data;
    const name = Buffer.from(e.name, 'utf8');
    const size = e.declaredSize ?? data.length;
    const crc = crc32(data);
    const flags = (e.flags ?? 0) | 0x800;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((e.mode ?? (e.name.endsWith('/') ? 0o040755 : 0o100644)) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** Writes a zip to a temp file and returns its path. */
export function writeZip(entries: ZipEntrySpec[], name = 'pack.zip'): string {
  const path = join(tempDir('podnet-zip-'), name);
  writeFileSync(path, buildZip(entries));
  return path;
}

/** 1-based line and column of the first `needle` in `text` (plus `skip` characters into it). */
export function posOf(text: string, needle: string, skip = 0): { line: number; column: number } {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`"${needle}" is not in the text`);
  const before = text.slice(0, at + skip).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
