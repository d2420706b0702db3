/**
 * Safe extraction of a lab pack .zip into a fresh temp folder, with node:zlib only. Packs are untrusted:
 * every entry is checked before anything is written, and absolute paths, "..", backslashes, symlinks and
 * other special files, duplicates, encryption, ZIP64, overlapping entries and oversized or over-compressed
 * data are refused, each as an error naming the entry. Only stored and deflated entries are read.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { LabPackError, LabPackInvalidError } from './errors';

/** Hard limits on a pack zip. */
export interface ZipLimits {
  /** Size of the .zip file itself. */
  zipBytes: number;
  entries: number;
  /** Sum of every entry's uncompressed size. */
  totalBytes: number;
  fileBytes: number;
  /** Characters in an entry's name. */
  pathLength: number;
  /** Largest uncompressed/compressed ratio for entries over 64 KiB (a zip bomb's signature). */
  ratio: number;
}

/** The defaults: a pack is a few Markdown pages, lab.yaml and small assets. */
export const ZIP_LIMITS: ZipLimits = { zipBytes: 20 << 20, entries: 1000, totalBytes: 20 << 20, fileBytes: 5 << 20, pathLength: 255, ratio: 100 };

interface Entry {
  name: string;
  dir: boolean;
  method: number;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

const SIG = { eocd: 0x06054b50, central: 0x02014b50, local: 0x04034b50 } as const;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 as ZIP uses it. */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function nameProblem(name: string, limits: ZipLimits): string | undefined {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  if (name === '' || /[\0-\x1f]/.test(name)) return 'its name is empty or contains control characters';
  if (name.includes('\\')) return 'its name contains a backslash (a Windows path separator that could be read as a folder)';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'it has an absolute path';
  if (name.length > limits.pathLength) return `its name is ${name.length} characters long; the limit is ${limits.pathLength}`;
  const parts = name.replace(/\/$/, '').split('/');
  if (parts.includes('..')) return 'its path uses "..", which would leave the pack folder';
  if (parts.some((p) => p === '' || p === '.')) return 'its path has an empty or "." segment';
  return undefined;
}

function decodeName(bytes: Buffer, utf8: boolean): string | undefined {
  if (!utf8 && bytes.some((b) => b >= 0x80)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** One central directory header, as written (nothing trusted yet). */
interface CentralHeader {
  name: string;
  /** False when the name is neither ASCII nor valid UTF-8 (then `name` is a latin1 rendering for messages). */
  nameOk: boolean;
  madeBy: number;
  flags: number;
  method: number;
  crc: number;
  compressed: number;
  size: number;
  mode: number;
  offset: number;
  next: number;
}

function readCentralHeader(buf: Buffer, p: number): CentralHeader {
  const flags = buf.readUInt16LE(p + 8);
  const [nameLen, extraLen, commentLen] = [buf.readUInt16LE(p + 28), buf.readUInt16LE(p + 30), buf.readUInt16LE(p + 32)];
  const raw = buf.subarray(p + 46, p + 46 + nameLen);
  const decoded = decodeName(raw, (flags & 0x800) !== 0);
  return {
    name: decoded ?? raw.toString('latin1'), nameOk: decoded !== undefined, madeBy: buf.readUInt16LE(p + 4) >> 8, flags, method: buf.readUInt16LE(p + 10),
    crc: buf.readUInt32LE(p + 16), compressed: buf.readUInt32LE(p + 20), size: buf.readUInt32LE(p + 24), mode: buf.readUInt32LE(p + 38) >>> 16,
    offset: buf.readUInt32LE(p + 42), next: p + 46 + nameLen + extraLen + commentLen,
  };
}

/** Why an entry is refused on its own (name, type, encryption, method, size, ratio) as [problem, hint], or undefined. */
function refuse(h: CentralHeader, limits: ZipLimits): [string, string] | undefined {
  const problem = h.nameOk ? nameProblem(h.name, limits) : 'its name is neither ASCII nor valid UTF-8';
  if (problem) return [problem, 'store every file under a plain relative path such as steps/01-intro.md'];
  const type = h.mode & S_IFMT;
  // Unix hosts keep the file type in the high bits; a link or device must never be written out.
  if (type === S_IFLNK || (h.madeBy === 3 && type !== 0 && type !== S_IFREG && type !== S_IFDIR)) return [`it is a ${type === S_IFLNK ? 'symbolic link' : 'special file'}, which could point outside the pack`, 'put the real file into the zip instead of a link'];
  if (h.flags & 0x41 || h.method === 99) return ['it is encrypted', 'zip the pack without a password'];
  if (h.method !== 0 && h.method !== 8) return [`compression method ${h.method} is not supported`, 'use the standard deflate compression (zip -r)'];
  if (h.size > limits.fileBytes) return [`it is ${h.size} bytes uncompressed; the limit per file is ${limits.fileBytes}`, 'make the file smaller'];
  if (h.size > 64 * 1024 && h.size > h.compressed * limits.ratio) return [`it would expand ${Math.round(h.size / Math.max(1, h.compressed))} times (${h.compressed} -> ${h.size} bytes), like a zip bomb`, `a pack file compresses at most ${limits.ratio}:1`];
  return undefined;
}

/** Reads and checks the central directory; returns the usable entries and every problem found. */
function readEntries(buf: Buffer, file: string, limits: ZipLimits): { entries: Entry[]; errors: LabPackError[]; cdOffset: number } {
  const errors: LabPackError[] = [];
  const bad = (entry: string, message: string, hint: string) => errors.push(new LabPackError(message, { file, field: `entry "${entry}"` }, hint));
  const whole = (message: string) => ({ entries: [], cdOffset: 0, errors: [new LabPackError(message, { file }, 'make the zip again with a standard tool, e.g. `cd pack && zip -r ../pack.zip .`')] });
  const eocd = findEocd(buf);
  if (eocd < 0) return whole('this is not a zip file (no end of central directory record)');
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (buf.readUInt16LE(eocd + 4) !== 0 || buf.readUInt16LE(eocd + 6) !== 0) return whole('multi-part zips are not supported');
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) return whole('ZIP64 archives are not supported (a lab pack is far smaller than 4 GiB)');
  if (count > limits.entries) return whole(`the zip has ${count} entries; a lab pack may have at most ${limits.entries}`);
  if (cdOffset + cdSize > eocd) return whole('the central directory lies outside the file (the zip is damaged)');
  const entries: Entry[] = [];
  const names = new Set<string>();
  let total = 0;
  for (let i = 0, p = cdOffset; i < count; i++) {
    if (p + 46 > eocd || buf.readUInt32LE(p) !== SIG.central) return whole(`central directory entry ${i + 1} is damaged`);
    const h = readCentralHeader(buf, p);
    p = h.next;
    const refusal = refuse(h, limits) ?? (names.has(h.name.replace(/\/$/, '')) ? ['the name appears twice in the zip', 'keep one entry per file'] : undefined)
      ?? (h.size + total > limits.totalBytes ? [`with it the pack would hold ${h.size + total} bytes uncompressed; the limit is ${limits.totalBytes}`, 'make the pack smaller'] : undefined);
    if (refusal) {
      bad(h.name, `refused: ${refusal[0]}`, refusal[1]);
      continue;
    }
    names.add(h.name.replace(/\/$/, ''));
    total += h.size;
    entries.push({ name: h.name, dir: h.name.endsWith('/'), method: h.method, crc: h.crc, compressed: h.compressed, size: h.size, offset: h.offset });
  }
  for (const e of entries) {
    const parents = e.name.replace(/\/$/, '').split('/').slice(0, -1).map((_, i, all) => all.slice(0, i + 1).join('/'));
    const clash = parents.find((d) => entries.some((f) => !f.dir && f.name === d));
    if (clash) bad(e.name, `refused: its folder "${clash}" is also a file in the zip`, 'keep one entry per path');
  }
  return { entries, errors, cdOffset };
}

/** The data of one entry, inflated and checked against its declared size and CRC; a string says what is wrong. */
function entryData(buf: Buffer, e: Entry, cdStart: number): { data: Buffer; end: number } | string {
  const p = e.offset;
  if (p + 30 > cdStart || buf.readUInt32LE(p) !== SIG.local) return 'its local header is missing or damaged';
  const nameLen = buf.readUInt16LE(p + 26);
  if (buf.subarray(p + 30, p + 30 + nameLen).toString('latin1') !== Buffer.from(e.name, 'utf8').toString('latin1')) return 'its local header names a different file';
  if (buf.readUInt16LE(p + 6) & 0x41) return 'it is encrypted';
  const start = p + 30 + nameLen + buf.readUInt16LE(p + 28);
  if (start + e.compressed > cdStart) return 'its data runs past the end of the file data';
  const raw = buf.subarray(start, start + e.compressed);
  let data: Buffer;
  if (e.method === 0) {
    if (e.compressed !== e.size) return 'it is stored uncompressed but its two sizes differ';
    data = raw;
  } else {
    try {
      data = inflateRawSync(raw, { maxOutputLength: Math.max(1, e.size) });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return code === 'ERR_BUFFER_TOO_LARGE' ? `it inflates to more than the ${e.size} bytes it declares` : `its data cannot be inflated (${(err as Error).message})`;
    }
  }
  if (data.length !== e.size) return `it declares ${e.size} bytes but holds ${data.length}`;
  if (crc32(data) !== e.crc) return 'its CRC-32 does not match its data (the zip is damaged)';
  return { data, end: start + e.compressed };
}

/** An extracted pack: its folder, and how to remove it. */
export interface ExtractedZip {
  dir: string;
  cleanup(): void;
}

/** Checks every entry of `zipPath`, then extracts it into a new temp folder; throws {@link LabPackInvalidError} listing every refused entry. */
export function extractZip(zipPath: string, limits: ZipLimits = ZIP_LIMITS): ExtractedZip {
  const size = statSync(zipPath).size;
  if (size > limits.zipBytes) throw new LabPackInvalidError([new LabPackError(`the zip is ${size} bytes; a lab pack zip may be at most ${limits.zipBytes}`, { file: zipPath }, 'make the pack smaller')], `the zip ${zipPath}`);
  const buf = readFileSync(zipPath);
  const { entries, errors, cdOffset: cdStart } = readEntries(buf, zipPath, limits);
  const files = new Map<Entry, Buffer>();
  const ranges: [number, number, string][] = [];
  for (const e of entries) {
    if (e.dir) continue;
    const read = entryData(buf, e, cdStart);
    if (typeof read === 'string') {
      errors.push(new LabPackError(`refused: ${read}`, { file: zipPath, field: `entry "${e.name}"` }, 'make the zip again with a standard tool'));
      continue;
    }
    files.set(e, read.data);
    ranges.push([e.offset, read.end, e.name]);
  }
  ranges.sort((a, b) => a[0] - b[0]).forEach((r, i) => {
    const next = ranges[i + 1];
    if (next && next[0] < r[1]) errors.push(new LabPackError(`refused: its data overlaps the data of "${r[2]}" (a trick zip bombs use)`, { file: zipPath, field: `entry "${next[2]}"` }, 'make the zip again with a standard tool'));
  });
  if (errors.length > 0) throw new LabPackInvalidError(errors, `the zip ${zipPath}`);
  const dir = mkdtempSync(join(tmpdir(), 'podnet-pack-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    for (const e of entries) {
      const target = join(dir, e.name);
      if (e.dir) mkdirSync(target, { recursive: true, mode: 0o755 });
      else {
        mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
        writeFileSync(target, files.get(e)!, { flag: 'wx', mode: 0o644 });
      }
    }
  } catch (e) {
    cleanup();
    throw new Error(`extracting ${zipPath} into ${dir} failed: ${(e as Error).message} (check the free space in ${tmpdir()})`, { cause: e });
  }
  return { dir, cleanup };
}

/** Offset of the end-of-central-directory record (searched backwards over a possible comment), or -1. */
function findEocd(buf: Buffer): number {
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) if (buf.readUInt32LE(i) === SIG.eocd) return i;
  return -1;
}
