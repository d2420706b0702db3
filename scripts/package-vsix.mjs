// Packages the built extension (run `node scripts/build.mjs` first) into dist/podnet-lab.vsix with @vscode/vsce,
// then prints its size and contents. What ships is decided by .vscodeignore; runtime dependencies are bundled by
// esbuild, so vsce runs with --no-dependencies. Used by `npm run package` and the VS Code e2e tests.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const project = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(project, 'dist', 'podnet-lab.vsix');
const vsce = join(project, 'node_modules', '@vscode', 'vsce', 'vsce');
const log = (msg) => console.error(`package-vsix: ${msg}`);

for (const file of ['dist/extension.js', 'dist/cli.js']) {
  if (!existsSync(join(project, file))) {
    log(`${file} is missing: run \`node scripts/build.mjs\` first.`);
    process.exit(1);
  }
}

const argv = [process.execPath, vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', relative(project, out)];
const t0 = Date.now();
log(`$ ${argv.slice(1).map((a) => relative(project, a) || a).join(' ')}`);
const res = spawnSync(argv[0], argv.slice(1), { cwd: project, stdio: ['ignore', 'inherit', 'inherit'], timeout: 5 * 60 * 1000, killSignal: 'SIGKILL' });
if (res.status !== 0) {
  log(`vsce failed (${res.error?.message ?? (res.signal ? `killed by ${res.signal}` : `exit ${res.status}`)}); its output is above.`);
  process.exit(1);
}

/** Entries of a zip file, read from its central directory: [{ name, size, compressed }]. */
function zipEntries(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file: no end-of-central-directory record');
  const entries = [];
  let p = buf.readUInt32LE(eocd + 16);
  for (let n = buf.readUInt16LE(eocd + 10); n > 0; n--) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory entry at offset ${p}`);
    const nameLen = buf.readUInt16LE(p + 28);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    entries.push({ name, compressed: buf.readUInt32LE(p + 20), size: buf.readUInt32LE(p + 24) });
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return entries;
}

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const entries = zipEntries(readFileSync(out)).sort((a, b) => a.name.localeCompare(b.name));
const width = Math.max(...entries.map((e) => e.name.length));
console.log(`${relative(project, out)}: ${kb(statSync(out).size)}, ${entries.length} files (built in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
for (const e of entries) console.log(`  ${e.name.padEnd(width)}  ${kb(e.size).padStart(10)}`);
