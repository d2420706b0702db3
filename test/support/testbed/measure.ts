/**
 * Prints what the Docker test bed costs on this machine (not a test: nothing is asserted):
 *   npx tsx test/support/testbed/measure.ts [--cold-image]
 * dockerd start (or "joined" when another process already runs it), node image build and size, creating and destroying
 * a 3-node 30-Pod test bed per CNI, and one ContainerNodeAccess.execPod round trip.
 */
import { ContainerNodeAccess } from '../../../src/providers/kube/nodeAccess/containerAccess';
import { kubeNodeOf, kubePodOf } from '../../providers/kube/nodeAccess/containerTestbed';
import { ensureDockerEngine } from '../docker/engine';
import { enginePaths, otherUsers, runningDockerd } from '../docker/enginePaths';
import { NODE_IMAGE_REPO, ensureNodeImage } from './nodeImage';
import { createTestbed, destroyTestbed } from './testbed';

const ms = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e6;

async function main(): Promise<void> {
  const p = enginePaths();
  const joining = runningDockerd(p.pidfile) !== undefined && otherUsers(p.usersDir).length > 0;
  let t = process.hrtime.bigint();
  const engine = await ensureDockerEngine();
  console.log(`dockerd: ${joining ? 'joined a running one' : 'started'} in ${ms(t).toFixed(0)} ms`);
  if (process.argv.includes('--cold-image')) {
    const tags = (await engine.dockerOk(['images', '--format', '{{.Repository}}:{{.Tag}}', NODE_IMAGE_REPO])).stdout.split('\n').filter(Boolean);
    const inUse = await engine.docker(['rmi', ...tags]);
    if (inUse.code !== 0) console.log(`(could not remove every old node image: ${inUse.stderr.trim()})`);
  }
  const image = await ensureNodeImage(engine);
  console.log(`node image ${image.tag}: ${image.built ? 'built' : 'already there'} in ${image.buildMs} ms, ${(image.sizeBytes / 1e6).toFixed(1)} MB`);
  for (const cni of ['ptp', 'bridge'] as const) {
    const cluster = `pn-measure-${cni}`;
    await destroyTestbed(engine, cluster);
    t = process.hrtime.bigint();
    const bed = await createTestbed(engine, { cluster, workers: 2, cni, podsPerNode: 10 });
    console.log(`test bed ${cni}: 3 nodes, ${bed.pods.length} Pods created in ${ms(t).toFixed(0)} ms`);
    const access = new ContainerNodeAccess({ runtime: 'docker', env: engine.env });
    const pod = kubePodOf(bed.pods[0]);
    const node = kubeNodeOf(bed.nodes.find((n) => n.name === pod.node)!);
    t = process.hrtime.bigint();
    await access.execPod(pod, node, ['true']);
    console.log(`execPod, first (finds the netns): ${ms(t).toFixed(0)} ms`);
    t = process.hrtime.bigint();
    for (let i = 0; i < 10; i++) await access.execPod(pod, node, ['true']);
    console.log(`execPod round trip (cached netns, mean of 10): ${(ms(t) / 10).toFixed(0)} ms`);
    t = process.hrtime.bigint();
    await destroyTestbed(engine, bed);
    console.log(`test bed ${cni}: destroyed in ${ms(t).toFixed(0)} ms`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
