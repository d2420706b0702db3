/**
 * A separate process using the test engine, for the engine's own tests: prints `{"pid":<dockerd pid>,"host":...}` once
 * joined, then (given a file path) stays a user until that file exists, then exits (leaving the engine).
 */
import { existsSync, readFileSync } from 'node:fs';
import { ensureDockerEngine } from './engine';
import { enginePaths } from './enginePaths';

async function main(release?: string): Promise<void> {
  const engine = await ensureDockerEngine();
  const pid = Number(readFileSync(enginePaths().pidfile, 'utf8'));
  process.stdout.write(`${JSON.stringify({ pid, host: engine.host })}\n`);
  while (release && !existsSync(release)) await new Promise((r) => setTimeout(r, 50));
}

main(process.argv[2]).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
