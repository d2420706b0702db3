/**
 * Cross-checks a read pack against its topology: every Pod, node, container, endpoint, action and file an
 * action or check names must exist by the time it runs. Pods created by an earlier `podnet pod create`
 * action, or named by an earlier `podExists` check (a Pod the learner must create), count as existing.
 */
import { parseIPv4 } from '../model/cidr';
import type { Topology } from '../model/topology';
import type { SpecReader } from '../model/topologyYaml';
import type { ActionRefs } from './actionPolicy';
import { resolveInPack } from './packPaths';
import { CHECK_PLACEHOLDER_FIELDS, hasPlaceholder, scanPlaceholders } from './placeholders';
import type { StepCheck } from './readCheck';
import type { ReadStep } from './readSteps';

interface KnownPod {
  node: string;
  containers: string[];
  /** True for Pods of the topology (they have an IP when the lab starts). */
  initial: boolean;
  webPort?: number;
  /** True when only a `podExists` check says it exists (the learner makes it): an action creating it is then fine. */
  assumed?: boolean;
}

/** What exists at one point of the walk through the steps. */
class World {
  readonly pods = new Map<string, KnownPod>();
  /** Pods an earlier action deleted (and none re-created since), with where: for a message that says why a Pod is missing. */
  readonly deleted = new Map<string, string>();
  readonly nodes: string[];
  readonly dockerHost?: string;
  readonly dockerContainers: string[];
  /** The outside client and the router, when the topology has them. */
  readonly others: string[];
  /** Services at this point of the walk: the topology's, plus those created by earlier actions, minus those deleted. */
  readonly services = new Set<string>();
  readonly initialServices: Set<string>;

  constructor(t: Topology) {
    for (const p of t.pods) {
      const web = p.containers.find((c) => c.workload === 'web' && c.port !== undefined);
      this.pods.set(p.name, { node: p.node, containers: p.containers.map((c) => c.name), initial: true, webPort: web?.port });
    }
    this.nodes = t.nodes.map((n) => n.name);
    this.dockerHost = t.dockerHost?.name;
    this.dockerContainers = t.dockerHost?.containers.map((c) => c.name) ?? [];
    this.others = [t.client?.name, t.network.router?.name].filter((n): n is string => !!n);
    for (const svc of t.services ?? []) this.services.add(svc.name);
    this.initialServices = new Set(this.services);
  }

  names(): string[] {
    return [...this.pods.keys(), ...this.nodes, ...(this.dockerHost ? [this.dockerHost, ...this.dockerContainers] : []), ...this.others];
  }

  /** The names a placeholder of `kind` may name at this point. */
  placeholderNames(kind: string): string[] {
    if (kind === 'podCIDR') return this.nodes;
    return kind === 'clusterIP' || kind === 'nodePort' ? [...this.services] : this.names();
  }
}

const list = (names: string[]) => (names.length ? names.join(', ') : 'none');

const WHAT: Record<string, string> = { podCIDR: 'node', clusterIP: 'Service', nodePort: 'Service' };
/** The error for a placeholder that names nothing of the lab at this step. */
function placeholderFail(r: SpecReader, field: string, kind: string, name: string, names: string[]): void {
  r.fail(field, `{{${kind}:${name}}} names '${name}', which is not a ${WHAT[kind] ?? 'Pod, node, Docker-style host, outside client or router'} of this lab at this step`, `use one of: ${list(names)}`);
}

function isAddress(text: string, withPort: boolean): boolean {
  const [host, port, ...rest] = text.split(':');
  if (rest.length || (port !== undefined && (!withPort || !/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535))) return false;
  try {
    parseIPv4(host);
    return true;
  } catch {
    return false;
  }
}

/** Walks the steps in order, so a Pod created in step 2 is known from then on, and reports every dangling reference. */
class ReferenceChecker {
  private readonly world: World;
  private readonly stepOfAction = new Map<string, number>();
  private readonly topologyPods: Set<string>;

  constructor(
    private readonly r: SpecReader,
    topology: Topology,
    private readonly steps: ReadStep[],
    private readonly packDir: string,
  ) {
    this.world = new World(topology);
    this.topologyPods = new Set(topology.pods.map((p) => p.name));
    steps.forEach((s, i) => s.step.actions.forEach((a) => this.stepOfAction.has(a.id) || this.stepOfAction.set(a.id, i)));
  }

  run(): void {
    this.steps.forEach((s, i) => {
      s.step.actions.forEach((a, j) => this.action(s.actions[j].refs, s.actions[j].argField, `action ${s.path}.actions[${j}] (${a.id})`));
      s.step.checks.forEach((c, j) => this.check(c, s.checkPaths[j], i));
    });
  }

  private pod(name: string, field: string, container?: string, containerField?: string): void {
    const known = this.world.pods.get(name);
    const gone = this.world.deleted.get(name);
    if (!known && gone) return this.r.fail(field, `Pod '${name}' no longer exists at this step: ${gone} deletes it`, `create it again first (podnet pod create ${name} --node NODE), or name a Pod that exists: ${list([...this.world.pods.keys()])}`);
    if (!known) return this.r.fail(field, `Pod '${name}' is not in this lab at this step`, `use one of: ${list([...this.world.pods.keys()])} (a Pod the learner creates must come from an earlier podnet pod create action or podExists check)`);
    if (container !== undefined && !known.containers.includes(container)) this.r.fail(containerField ?? field, `Pod ${name} has no container '${container}'`, `its containers are: ${list(known.containers)}`);
  }

  private node(name: string, field: string): void {
    if (!this.world.nodes.includes(name)) this.r.fail(field, `node '${name}' is not in the topology`, `use one of: ${list(this.world.nodes)}`);
  }

  private endpoint(name: string, field: string, role: 'from' | 'to'): void {
    const names = this.world.names();
    const svc = name.startsWith('svc/') ? name.slice(4) : name.split(':')[0];
    if (names.includes(name) || (role === 'to' && (isAddress(name, true) || this.world.services.has(svc)))) return;
    if (this.world.deleted.has(name)) return this.pod(name, field);
    const also = role === 'to' ? ', or an IP address in the lab (IP or IP:PORT)' : '';
    this.r.fail(field, `'${name}' is not a Pod, node, Docker-style host, outside client or router${role === 'to' ? ', nor a Service or an IP address' : ''} of this lab`,
      `use one of: ${list(role === 'to' ? [...names, ...this.world.services] : names)}${also}`);
  }

  private action(refs: ActionRefs, argField: (arg: number | undefined) => string, label: string): void {
    const { r, world } = this;
    for (const p of refs.pods) this.pod(p.name, argField(p.arg), p.container, argField(p.arg));
    for (const n of refs.nodes) this.node(n.name, argField(n.arg));
    refs.endpoints.forEach((e, i) => hasPlaceholder(e.name) || this.endpoint(e.name, argField(e.arg), i === 0 ? 'from' : 'to'));
    for (const ip of refs.ips) {
      const names = world.placeholderNames(ip.kind);
      if (!names.includes(ip.name)) placeholderFail(r, argField(ip.arg), ip.kind, ip.name, names);
    }
    if (refs.dockerHost && !world.dockerHost) r.fail(argField(refs.dockerHost.arg), 'the topology has no Docker-style host', 'add dockerHost: {} to the topology');
    for (const c of refs.dockerContainers) {
      if (!world.dockerContainers.includes(c.name)) r.fail(argField(c.arg), `'${c.name}' is not a container of the Docker-style host`, `use one of: ${list(world.dockerContainers)}${world.dockerHost ? '' : ' (the topology has no dockerHost)'}`);
    }
    for (const f of refs.files) {
      const found = resolveInPack(this.packDir, f.path);
      if ('problem' in found) r.fail(argField(f.arg), found.problem, found.hint);
    }
    this.lifecycle(refs, argField, label);
  }

  /** Applies `pod create` and `pod delete` to the world, so later steps see the Pods that exist then. */
  private lifecycle(refs: ActionRefs, argField: (arg: number | undefined) => string, label: string): void {
    const { world } = this;
    if (refs.service?.op === 'create') world.services.add(refs.service.name);
    if (refs.service?.op === 'delete' && !world.services.delete(refs.service.name)) {
      this.r.fail(argField(refs.service.arg), `Service '${refs.service.name}' is not in this lab at this step, so deleting it fails`, `use one of: ${list([...world.services])}`);
    }
    if (refs.deletes) {
      if (world.pods.delete(refs.deletes.pod)) world.deleted.set(refs.deletes.pod, label);
    }
    const made = refs.creates;
    if (!made || !world.nodes.includes(made.node)) return;
    const existing = world.pods.get(made.pod);
    if (existing && !existing.assumed) {
      this.r.fail(argField(made.arg), `Pod '${made.pod}' already exists at this step, so creating it fails`, `delete it in an earlier action (podnet pod delete ${made.pod}), or pick a new name`);
    }
    const initial = existing?.initial ?? this.initiallyIn(made.pod);
    world.deleted.delete(made.pod);
    world.pods.set(made.pod, { node: made.node, containers: made.containers, initial, webPort: 8080 });
  }

  /** True for a Pod of the topology (also after it was deleted and is created again). */
  private initiallyIn(pod: string): boolean {
    return this.topologyPods.has(pod);
  }

  /** Every `{{ip:NAME}}` and `{{podCIDR:NODE}}` in the check's address, CIDR and regex fields names something of the lab at this step. */
  private checkPlaceholders(c: StepCheck, path: string): void {
    const fields = c as unknown as Record<string, unknown>;
    for (const { key } of CHECK_PLACEHOLDER_FIELDS) {
      const v = fields[key];
      if (typeof v !== 'string') continue;
      for (const ref of scanPlaceholders([v]).refs) {
        const names = this.world.placeholderNames(ref.kind);
        if (!names.includes(ref.name)) placeholderFail(this.r, `${path}.${key}`, ref.kind, ref.name, names);
      }
    }
  }

  private check(c: StepCheck, path: string, stepIndex: number): void {
    const { r, world } = this;
    this.checkPlaceholders(c, path);
    switch (c.type) {
      case 'podIpInCidr':
        return this.pod(c.pod, `${path}.pod`);
      case 'ipChangedAfterRecreate':
        this.pod(c.pod, `${path}.pod`);
        if (world.pods.get(c.pod)?.initial === false) r.fail(`${path}.pod`, `Pod '${c.pod}' is not in the topology, so it has no IP from the start of the lab to compare with`, 'name a Pod of the topology');
        return;
      case 'sharedNetns':
        this.pod(c.pod, `${path}.pod`);
        if (world.pods.has(c.pod)) c.containers.forEach((name, i) => this.pod(c.pod, `${path}.pod`, name, `${path}.containers[${i}]`));
        return;
      case 'trace': {
        this.endpoint(c.from, `${path}.from`, 'from');
        this.endpoint(c.to, `${path}.to`, 'to');
        const places = [...world.names(), 'wire'];
        c.expect.passes?.forEach((p, i) => places.includes(p.where) || r.fail(`${path}.expect.passes[${i}].where`, `'${p.where}' is not a place a packet can pass in this lab`, `use one of: ${list(places)}`));
        if (c.expect.service !== undefined) this.service(c.expect.service, `${path}.expect.service`);
        return;
      }
      case 'serviceEndpoints':
        this.service(c.service, `${path}.service`);
        return c.pods.forEach((p, i) => this.pod(p, `${path}.pods[${i}]`));
      case 'serviceIpStable':
        this.service(c.service, `${path}.service`);
        if (world.services.has(c.service) && !world.initialServices.has(c.service)) r.fail(`${path}.service`, `Service '${c.service}' is not in the topology, so it has no ClusterIP from the start of the lab to compare with`, 'name a Service of the topology');
        return;
      case 'httpAnswer':
        this.endpoint(c.from, `${path}.from`, 'from');
        if (!hasPlaceholder(c.to)) this.endpoint(c.to, `${path}.to`, 'to');
        c.answeredBy?.forEach((p, i) => this.pod(p, `${path}.answeredBy[${i}]`));
        if (c.sawSource !== undefined && !hasPlaceholder(c.sawSource)) this.endpoint(c.sawSource, `${path}.sawSource`, 'to');
        return;
      case 'receiverSawSender': {
        this.endpoint(c.from, `${path}.from`, 'from');
        this.pod(c.to, `${path}.to`);
        const target = world.pods.get(c.to);
        if (target && c.port === undefined && target.webPort === undefined) r.fail(`${path}.to`, `Pod ${c.to} has no web container to answer`, 'give it a web container, or set port: to the port its web server listens on');
        return;
      }
      case 'actionOutput':
        return this.actionRef(c.action, `${path}.action`, stepIndex);
      case 'podExists':
        if (c.node !== undefined) this.node(c.node, `${path}.node`);
        if (!world.pods.has(c.pod)) {
          world.pods.set(c.pod, { node: c.node ?? '', containers: ['web'], initial: this.initiallyIn(c.pod), webPort: 8080, assumed: true });
          world.deleted.delete(c.pod);
        }
        return;
      case 'reachable':
        this.endpoint(c.from, `${path}.from`, 'from');
        return hasPlaceholder(c.to) ? undefined : this.endpoint(c.to, `${path}.to`, 'to');
      case 'uniquePodIps':
        return;
    }
  }

  private service(name: string, field: string): void {
    if (!this.world.services.has(name)) this.r.fail(field, `Service '${name}' is not in this lab at this step`, `use one of: ${list([...this.world.services])} (a Service an action creates counts from that action on)`);
  }

  private actionRef(id: string, field: string, stepIndex: number): void {
    const at = this.stepOfAction.get(id);
    const earlier = this.steps.slice(0, stepIndex + 1).flatMap((s) => s.step.actions.map((a) => a.id));
    if (at === undefined) this.r.fail(field, `no action has the id '${id}'`, `use the id of an action of this or an earlier step: ${list(earlier)}`);
    else if (at > stepIndex) this.r.fail(field, `action '${id}' runs in a later step (${this.steps[at].path}), so its output does not exist yet`, 'move the check to that step, or the action to this one');
  }
}

/** Runs the reference checks over `steps` in order, reporting through `r`. */
export function checkReferences(r: SpecReader, topology: Topology, steps: ReadStep[], packDir: string): void {
  new ReferenceChecker(r, topology, steps, packDir).run();
}
