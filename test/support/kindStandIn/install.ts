/** Puts the kind stand-in first on PATH (as `kind`) for one test, with its own state folder and kubeconfig. */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DockerEngine } from '../docker/engine';
import { run } from '../../../src/util/exec';

/** An installed stand-in: the environment to run podnet with, and what kind was asked. */
export interface KindStandIn {
  /** PATH with the stand-in first, DOCKER_HOST, KUBECONFIG and the stand-in's state folder. */
  env: NodeJS.ProcessEnv;
  kubeconfig: string;
  /** Every argv `kind` was called with, in order. */
  calls(): string[][];
  /** Deletes every cluster it made and its folder. */
  cleanup(): Promise<void>;
}

/** Installs the stand-in into a fresh temp folder; `extra` env is for failure injection (KIND_STANDIN_FAIL_AT, KIND_STANDIN_UNPULLABLE). */
export function installKindStandIn(engine: DockerEngine, extra: NodeJS.ProcessEnv = {}): KindStandIn {
  const root = mkdtempSync(join(tmpdir(), 'podnet-kind-standin-'));
  const bin = join(root, 'bin');
  const state = join(root, 'state');
  mkdirSync(bin);
  mkdirSync(state);
  const shim = `#!/bin/sh\nexec '${process.execPath}' --require '${require.resolve('tsx/cjs')}' '${join(__dirname, 'main.ts')}' "$@"\n`;
  writeFileSync(join(bin, 'kind'), shim);
  chmodSync(join(bin, 'kind'), 0o755);
  const kubeconfig = join(root, 'kubeconfig');
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra, PATH: `${bin}:${process.env.PATH ?? ''}`, DOCKER_HOST: engine.host, KUBECONFIG: kubeconfig, KIND_STANDIN_STATE: state };
  return {
    env,
    kubeconfig,
    calls: () => (existsSync(join(state, 'argv.log')) ? readFileSync(join(state, 'argv.log'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]) : []),
    async cleanup() {
      const list = await run(['kind', 'get', 'clusters'], { env });
      for (const name of list.stdout.split('\n').map((l) => l.trim()).filter(Boolean)) await run(['kind', 'delete', 'cluster', '--name', name], { env, timeoutMs: 120_000 });
      rmSync(root, { recursive: true, force: true });
    },
  };
}
