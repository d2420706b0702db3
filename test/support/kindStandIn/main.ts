/**
 * A stand-in for the `kind` program, for tests only (kind cannot run on these machines). It takes kind's argv and prints
 * kind's stage lines, and on `create cluster` builds kind-shaped node containers in the real test Docker engine
 * (kind's names, labels, network, extraMounts), starts a kube-apiserver + kubelet stand-in for them and writes the
 * `kind-NAME` kubeconfig entries. Every call's argv is appended to $KIND_STANDIN_STATE/argv.log.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createStandInCluster, deleteStandInCluster, standInClusters } from './standInClusters';

const VERSION = 'kind v0.27.0 go1.23.6 linux/amd64 (PodNet test stand-in)';

function stateDir(): string {
  const dir = process.env.KIND_STANDIN_STATE;
  if (!dir) throw new Error('KIND_STANDIN_STATE is not set (the test installs this stand-in with installKindStandIn)');
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function main(argv: string[]): Promise<number> {
  const state = stateDir();
  appendFileSync(join(state, 'argv.log'), `${JSON.stringify(argv)}\n`);
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: { name: { type: 'string' }, config: { type: 'string' }, image: { type: 'string' }, wait: { type: 'string' }, retain: { type: 'boolean' }, kubeconfig: { type: 'string' } },
  });
  const cmd = positionals.join(' ');
  const name = values.name ?? 'kind';
  if (cmd === 'version') return void console.log(VERSION), 0;
  if (cmd === 'get clusters') {
    const names = standInClusters(state);
    if (names.length) console.log(names.join('\n'));
    else console.error('No kind clusters found.');
    return 0;
  }
  if (cmd === 'create cluster') {
    return createStandInCluster(state, { name, config: values.config, image: values.image, retain: values.retain === true, kubeconfig: values.kubeconfig });
  }
  if (cmd === 'delete cluster') return deleteStandInCluster(state, name, values.kubeconfig);
  console.error(`ERROR: unknown command "${cmd}" for "kind" (stand-in)`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`ERROR: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
