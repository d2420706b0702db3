// Bundles the CLI (engine) and the VS Code extension with esbuild into dist/.
// @kubernetes/client-node (about 5 MB bundled) goes into dist/client-node.js of its own, which the other bundles
// require only when a cluster is first used: activation and embedded-lab commands do not parse it.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };

/** Resolves the Kubernetes client to the separate bundle beside the requiring one. */
const clientNodeApart = {
  name: 'client-node-apart',
  setup(b) {
    b.onResolve({ filter: /^@kubernetes\/client-node$/ }, () => ({ path: './client-node.js', external: true }));
  },
};

await Promise.all([
  build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [clientNodeApart] }),
  build({ ...common, entryPoints: ['src/vscode/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [clientNodeApart] }),
  build({ ...common, entryPoints: ['scripts/client-node-entry.mjs'], outfile: 'dist/client-node.js', minify: true }),
]);
chmodSync('dist/cli.js', 0o755);
await import('./build-webview.mjs');
