// Bundles the webviews (the diagram, src/webview/diagram/main.ts, and the lab panel, src/webview/labs/main.ts) for the
// browser into dist/webview/, with their CSS and the codicon font, and prints the sizes. Called by scripts/build.mjs;
// runs alone too: node scripts/build-webview.mjs
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'webview');
mkdirSync(out, { recursive: true });

/** esbuild options shared by every webview bundle. */
const browser = {
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome120'],
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  // elkjs only requires web-worker when asked for a real worker; the webview uses elk's in-thread worker.
  external: ['web-worker'],
  logLevel: 'warning',
};

await Promise.all([
  build({ ...browser, entryPoints: ['src/webview/diagram/main.ts'], outfile: join(out, 'diagram.js') }),
  build({ ...browser, entryPoints: ['src/webview/labs/main.ts'], outfile: join(out, 'labs.js') }),
]);

const copies = [
  ['src/webview/diagram/diagram.css', 'diagram.css'],
  ['src/webview/labs/labs.css', 'labs.css'],
  ['node_modules/@vscode/codicons/dist/codicon.css', 'codicon.css'],
  ['node_modules/@vscode/codicons/dist/codicon.ttf', 'codicon.ttf'],
];
for (const [from, to] of copies) copyFileSync(join(root, from), join(out, to));

const kb = (f) => `${(statSync(join(out, f)).size / 1024).toFixed(1)} KiB`;
for (const f of ['diagram.js', 'diagram.css', 'labs.js', 'labs.css', 'codicon.css', 'codicon.ttf']) console.log(`dist/webview/${f.padEnd(12)} ${kb(f)}`);
