/**
 * The scheduler and kubelet part of the kind stand-in: a Pod created through the stand-in API is placed on a node by its
 * nodeSelector, gets a real network namespace in that node wired by the node's own CNI conflist, and real processes.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { DockerEngine } from '../docker/engine';
import type { KubeApiStandIn } from '../kubeApiStandIn/server';
import type { StoredObject } from '../kubeApiStandIn/store';
import { cniAdd, cniDel, readNodeConflist, type Conflist, type Sandbox } from './cniChain';

/** A node the stand-in kubelet runs Pods on. */
export interface KubeletNode {
  name: string;
  container: string;
  role: 'control-plane' | 'worker';
  labels: Record<string, string>;
}

interface PodSpecShape {
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  hostNetwork?: boolean;
  containers?: { name: string; image?: string; args?: string[] }[];
}

interface Running {
  sandbox: Sandbox;
  node: KubeletNode;
  conflist?: Conflist;
  pidfiles: string[];
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** The port an agnhost `netexec --http-port=N` container would serve, if that is what it runs. */
function netexecPort(args: string[] | undefined): number | undefined {
  if (args?.[0] !== 'netexec') return undefined;
  const flag = args.find((a) => a.startsWith('--http-port='));
  return flag ? Number(flag.split('=')[1]) : 8080;
}

/** Schedules and runs Pods; images in `unpullable` fail like a registry that cannot be reached. */
export class KubeletStandIn {
  private readonly running = new Map<string, Running>();
  private readonly busy = new Set<string>();
  private next = 0;

  constructor(
    private readonly engine: DockerEngine, private readonly api: KubeApiStandIn, private readonly nodes: KubeletNode[],
    private readonly unpullable: string[] = [],
  ) {}

  /** Follows the stand-in's store from now on. */
  start(): void {
    this.api.store.subscribe((e) => {
      if (e.kind !== 'Pod') return;
      const key = `${e.object.metadata.namespace}/${e.object.metadata.name}`;
      if (e.type === 'DELETED') void this.stop(key).catch((err: unknown) => console.error(`kubelet stand-in: stopping ${key}: ${(err as Error).message}`));
      else if (e.type === 'ADDED') void this.place(e.object).catch((err: unknown) => this.fail(e.object, (err as Error).message));
    });
  }

  private pick(spec: PodSpecShape): KubeletNode | undefined {
    const sel = spec.nodeSelector ?? {};
    const fits = this.nodes.filter((n) => Object.entries(sel).every(([k, v]) => n.labels[k] === v));
    // The control plane carries the NoSchedule taint in a cluster with workers, as kind's does.
    const workers = fits.filter((n) => n.role === 'worker');
    const pool = workers.length ? workers : fits.filter(() => this.nodes.every((n) => n.role === 'control-plane'));
    return pool.length ? pool[this.next++ % pool.length] : undefined;
  }

  private patch(pod: StoredObject, spec: Partial<PodSpecShape>, status: Record<string, unknown>): StoredObject {
    const current = this.api.store.get('Pod', pod.metadata.namespace, pod.metadata.name) ?? pod;
    return this.api.upsert({ ...current, kind: 'Pod', spec: { ...(current.spec as object), ...spec }, status: { ...(current.status as object), ...status } });
  }

  private fail(pod: StoredObject, message: string): void {
    if (!this.api.store.get('Pod', pod.metadata.namespace, pod.metadata.name)) return;
    this.patch(pod, {}, { phase: 'Pending', message });
  }

  private async place(pod: StoredObject): Promise<void> {
    const spec = pod.spec as PodSpecShape;
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (spec.nodeName || this.busy.has(key)) return;
    const node = this.pick(spec);
    if (!node) return void this.patch(pod, {}, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: `0/${this.nodes.length} nodes match the node selector` }] });
    this.busy.add(key);
    try {
      const scheduled = this.patch(pod, { nodeName: node.name }, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] });
      const bad = (spec.containers ?? []).find((c) => c.image && this.unpullable.includes(c.image));
      if (bad) {
        const waiting = { waiting: { reason: 'ErrImagePull', message: `failed to pull image "${bad.image}": dial tcp: lookup registry: no such host` } };
        return void this.patch(
          scheduled, {},
          { containerStatuses: (spec.containers ?? []).map((c) => ({ name: c.name, ready: false, restartCount: 0, image: c.image, state: waiting })) },
        );
      }
      await this.run(scheduled, node, key);
    } finally {
      this.busy.delete(key);
    }
  }

  private async run(pod: StoredObject, node: KubeletNode, key: string): Promise<void> {
    const spec = pod.spec as PodSpecShape;
    const sandbox: Sandbox = { namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name, uid: pod.metadata.uid ?? randomUUID(), sandboxId: randomBytes(32).toString('hex'), netnsPath: '' };
    let ip: string;
    let conflist: Conflist | undefined;
    if (spec.hostNetwork) {
      const r = await this.engine.dockerOk(['inspect', '--format', '{{(index .NetworkSettings.Networks "kind").IPAddress}}', node.container]);
      ip = r.stdout.trim();
    } else {
      conflist = await readNodeConflist(this.engine, node.container);
      if (!conflist) return void this.patch(pod, {}, { phase: 'Pending', message: 'network is not ready: cni config uninitialized' });
      const ns = `cni-${randomUUID()}`;
      sandbox.netnsPath = `/var/run/netns/${ns}`;
      await this.engine.dockerOk(['exec', node.container, 'ip', 'netns', 'add', ns]);
      await this.engine.dockerOk(['exec', node.container, 'ip', '-n', ns, 'link', 'set', 'lo', 'up']);
      ip = await cniAdd(this.engine, node.container, conflist, sandbox);
    }
    const pidfiles = await this.startContainers(node, sandbox, spec);
    this.running.set(key, { sandbox, node, conflist, pidfiles });
    this.patch(pod, {}, {
      phase: 'Running', podIP: ip, podIPs: [{ ip }], hostIP: ip, startTime: now(),
      conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'True' }],
      containerStatuses: (spec.containers ?? []).map((c) => ({ name: c.name, ready: true, restartCount: 0, image: c.image ?? '', imageID: '', state: { running: { startedAt: now() } } })),
    });
  }

  /** Starts a busybox httpd (answering like agnhost netexec's /cgi-bin/clientip and /hostname) for each netexec container. */
  private async startContainers(node: KubeletNode, s: Sandbox, spec: PodSpecShape): Promise<string[]> {
    const pidfiles: string[] = [];
    for (const c of spec.containers ?? []) {
      const port = netexecPort(c.args);
      if (port === undefined) continue;
      const pidfile = `/run/podnet-standin-${s.uid}-${c.name}.pid`;
      const enter = s.netnsPath ? ['ip', 'netns', 'exec', s.netnsPath.split('/').pop() ?? ''] : [];
      await this.engine.dockerOk(['exec', node.container, ...enter, 'env', `POD_NAME=${s.namespace}/${s.name}`,
        'start-stop-daemon', '-S', '-b', '-m', '-p', pidfile, '-x', '/usr/bin/httpd', '--', '-f', '-p', String(port), '-h', '/var/www']);
      pidfiles.push(pidfile);
    }
    return pidfiles;
  }

  private async stop(key: string): Promise<void> {
    const r = this.running.get(key);
    if (!r) return;
    this.running.delete(key);
    for (const p of r.pidfiles) {
      // Exit 1: no such process, so the server is already gone.
      const k = await this.engine.docker(['exec', r.node.container, 'start-stop-daemon', '-K', '-q', '-p', p]);
      if (k.code > 1) throw new Error(`stopping ${p}: ${k.stderr.trim()}`);
    }
    if (!r.sandbox.netnsPath || !r.conflist) return;
    await cniDel(this.engine, r.node.container, r.conflist, r.sandbox);
    await this.engine.dockerOk(['exec', r.node.container, 'ip', 'netns', 'del', r.sandbox.netnsPath.split('/').pop() ?? '']);
  }

  /** Runs argv in a Pod's namespace from its node, for the API's exec (kubectl exec against the stand-in). */
  execArgv(pod: StoredObject, argv: string[]): string[] {
    const r = this.running.get(`${pod.metadata.namespace}/${pod.metadata.name}`);
    if (!r) throw new Error(`pod ${pod.metadata.name} is not running`);
    const enter = r.sandbox.netnsPath ? ['nsenter', `--net=${r.sandbox.netnsPath}`] : [];
    return ['docker', 'exec', '-i', r.node.container, ...enter, ...argv];
  }
}
