// Re-records the snapshot fixtures in test/fixtures/snapshots/ from real embedded labs, with the collector (`podnet snapshot`).
// Needs a built CLI (`node scripts/build.mjs`) and a machine that can run the lab. Every command is an argv array: no shell.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const dir = join(root, 'test', 'fixtures', 'snapshots');

/** The fixtures: the lab to build and the cross-node pings that fill neighbour tables and learned fdb entries first. */
const FIXTURES = [
  { lab: 'article', file: 'article.json', topology: undefined, pings: [['pod-a', 'pod-c'], ['pod-b', 'pod-a']] },
  { lab: 'three-nodes', file: 'three-nodes.json', topology: join(dir, 'three-nodes.topology.yaml'), pings: [['pod-1a', 'pod-2a'], ['pod-3a', 'pod-1b']] },
  // kind's wiring (CNI ptp: a /32 route per Pod, no bridge) on one node, beside two cbr0 nodes
  { lab: 'kind-ptp', file: 'kind-ptp.json', topology: join(dir, 'kind-ptp.topology.yaml'), pings: [['pod-a', 'kp-2'], ['kp-1', 'kp-2']] },
  // the Docker-style host: docker0, MASQUERADE and a published port, as real nftables rules
  { lab: 'article-docker', file: 'article-docker.json', topology: undefined, upArgs: ['--with-docker-host'], pings: [['pod-a', 'pod-c']] },
  // an nft drop rule a trainer might add on node1, so the predictor meets a real filter chain
  {
    lab: 'article-drop', file: 'article-droprule.json', topology: undefined, pings: [['pod-a', 'pod-c']],
    nodeCommands: [
      ['node1', ['nft', 'add', 'table', 'ip', 'lesson']],
      ['node1', ['nft', 'add', 'chain', 'ip', 'lesson', 'guard', '{', 'type', 'filter', 'hook', 'forward', 'priority', '0', ';', '}']],
      ['node1', ['nft', 'add', 'rule', 'ip', 'lesson', 'guard', 'ip', 'daddr', '10.244.2.0/24', 'tcp', 'dport', '8080', 'drop']],
    ],
  },
  // snapshot version 2: Services (kube-proxy's nftables table on each node), the outside client, subnets, the router, vxlan nodes
  { lab: 'services-overlay', file: 'services-overlay.json', topology: join(dir, 'services-overlay.topology.yaml'), pings: [['pod-a', 'pod-b'], ['pod-c', 'pod-b']] },
];

function podnet(args, { check = true } = {}) {
  const res = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  if (check && res.status !== 0) throw new Error(`podnet ${args.join(' ')} exited ${res.status}:\n${res.stderr}${res.stdout}`);
  return res;
}

function record({ lab, file, topology, pings, upArgs = [], nodeCommands = [] }) {
  podnet(['lab', 'down', '--lab', lab], { check: false }); // a run that was interrupted
  podnet(['lab', 'up', '--lab', lab, '-q', ...upArgs, ...(topology ? ['--topology', topology] : [])]);
  try {
    const pods = JSON.parse(podnet(['get', 'pods', '-o', 'json', '--lab', lab]).stdout);
    for (const [from, to] of pings) {
      const ip = pods.find((p) => p.name === to)?.ip;
      const res = podnet(['exec', '--lab', lab, from, '--', 'busybox', 'ping', '-c', '1', '-W', '2', ip], { check: false });
      if (res.status !== 0) console.warn(`warning: ${from} could not ping ${to} (${ip}); its neighbour entries will be missing`);
    }
    for (const [node, argv] of nodeCommands) podnet(['exec', '--lab', lab, '--node', node, '--', ...argv]);
    const out = join(dir, file);
    const res = podnet(['snapshot', '--lab', lab, '-o', out]);
    process.stderr.write(res.stderr);
    podnet(['snapshot', 'validate', out]);
  } finally {
    podnet(['lab', 'down', '--lab', lab], { check: false });
  }
}

if (!existsSync(cli)) {
  console.error(`${cli} is missing: run \`node scripts/build.mjs\` first`);
  process.exit(1);
}
// File names on the command line record only those fixtures (e.g. `services-overlay.json`); none records them all.
const wanted = process.argv.slice(2);
const chosen = wanted.length ? FIXTURES.filter((f) => wanted.includes(f.file)) : FIXTURES;
if (chosen.length !== wanted.length && wanted.length) {
  console.error(`unknown fixture in ${wanted.join(', ')}; the fixtures are ${FIXTURES.map((f) => f.file).join(', ')}`);
  process.exit(2);
}
for (const f of chosen) record(f);
console.error(`recorded ${chosen.map((f) => f.file).join(', ')} on ${new Date().toISOString()}`);
