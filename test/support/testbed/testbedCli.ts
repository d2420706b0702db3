/**
 * The test bed from a separate process, with JSON in and out (for manual use, and for a future kind stand-in):
 *   npx tsx test/support/testbed/testbedCli.ts create <spec.json | ->   prints the Testbed as JSON
 *   npx tsx test/support/testbed/testbedCli.ts destroy <cluster>
 * With DOCKER_HOST set it uses that daemon (a parent test process's engine) and leaves it running; without it, it
 * starts the test engine, which stops again when this process exits (so `create` alone is only useful with DOCKER_HOST).
 */
import { readFileSync } from 'node:fs';
import { type DockerEngine, dockerEngineAt, ensureDockerEngine } from '../docker/engine';
import { createTestbed, destroyTestbed, type TestbedSpec } from './testbed';

function usage(): never {
  console.error('usage: testbedCli.ts create <spec.json | -> | destroy <cluster>');
  process.exit(2);
}

async function engine(): Promise<DockerEngine> {
  return process.env.DOCKER_HOST ? dockerEngineAt(process.env.DOCKER_HOST) : ensureDockerEngine();
}

async function main(argv: string[]): Promise<void> {
  const [command, arg] = argv;
  if (!arg) usage();
  if (command === 'create') {
    const spec = JSON.parse(readFileSync(arg === '-' ? 0 : arg, 'utf8')) as TestbedSpec;
    const bed = await createTestbed(await engine(), spec, (step) => console.error(`testbed: ${step}`));
    process.stdout.write(`${JSON.stringify(bed, null, 2)}\n`);
  } else if (command === 'destroy') {
    await destroyTestbed(await engine(), arg);
  } else usage();
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(`testbed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
