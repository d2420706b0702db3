/** Builds the test bed's node image without a registry (`docker import` of a rootfs made from host files), once per content. */
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runOk } from '../../../src/util/exec';
import type { DockerEngine } from '../docker/engine';
import { REPO } from '../docker/enginePaths';
import { nodeRootfsEntries, type RootfsEntry } from './nodeRootfs';

/** Repository part of the node image's name. */
export const NODE_IMAGE_REPO = 'podnet-testbed-node';
/** Bump when the way the image is put together changes without its files changing. */
const RECIPE = 'podnet-testbed-node/2';

/** The node image and what making it cost. */
export interface NodeImage {
  /** `podnet-testbed-node:<12 hex of the content hash>`. */
  tag: string;
  /** False when an image with this content was already in the engine. */
  built: boolean;
  buildMs: number;
  sizeBytes: number;
}

/** Hash of every entry's path, mode and content: the image tag, so a changed host binary gives a new image. */
function contentHash(entries: RootfsEntry[]): string {
  const h = createHash('sha256').update(RECIPE);
  for (const e of entries) {
    h.update(`\0${e.path}\0`);
    if ('link' in e) h.update(`link:${e.link}`);
    else h.update(`${e.mode}:`).update('text' in e ? e.text : readFileSync(e.from));
  }
  return h.digest('hex').slice(0, 12);
}

/** Writes the entries under `root`. */
function assemble(root: string, entries: RootfsEntry[]): void {
  for (const dir of ['usr/bin', 'usr/sbin', 'usr/lib', 'usr/lib64', 'etc/cni/net.d', 'run', 'tmp', 'proc', 'sys', 'dev', 'root', 'var']) {
    mkdirSync(join(root, dir), { recursive: true });
  }
  chmodSync(join(root, 'tmp'), 0o1777);
  for (const e of entries) {
    const dest = join(root, e.path);
    mkdirSync(dirname(dest), { recursive: true });
    if ('link' in e) symlinkSync(e.link, dest);
    else {
      if ('text' in e) writeFileSync(dest, e.text);
      else copyFileSync(e.from, dest);
      chmodSync(dest, e.mode);
    }
  }
}

/** The image's size as the engine reports it. */
async function imageSize(engine: DockerEngine, tag: string): Promise<number> {
  const r = await engine.dockerOk(['image', 'inspect', '--format', '{{.Size}}', tag]);
  return Number(r.stdout.trim());
}

/** Returns the node image for the current host files, building and importing it when the engine lacks it. */
export async function ensureNodeImage(engine: DockerEngine): Promise<NodeImage> {
  const started = Date.now();
  const entries = await nodeRootfsEntries();
  const tag = `${NODE_IMAGE_REPO}:${contentHash(entries)}`;
  const have = await engine.docker(['image', 'inspect', '--format', '{{.Id}}', tag]);
  if (have.code === 0) return { tag, built: false, buildMs: Date.now() - started, sizeBytes: await imageSize(engine, tag) };
  const workRoot = join(REPO, '.cache', 'docker-test');
  mkdirSync(workRoot, { recursive: true });
  const work = mkdtempSync(join(workRoot, 'node-image-'));
  try {
    const root = join(work, 'rootfs');
    assemble(root, entries);
    const tar = join(work, 'rootfs.tar');
    await runOk(['tar', '-C', root, '--numeric-owner', '--owner=0', '--group=0', '-cf', tar, '.'], { timeoutMs: 60_000 });
    await engine.dockerOk([
      'import',
      '--change', 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      '--change', 'LABEL io.podnet.testbed=node',
      tar, tag,
    ], { timeoutMs: 120_000 }, 'importing the test bed node image');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { tag, built: true, buildMs: Date.now() - started, sizeBytes: await imageSize(engine, tag) };
}
