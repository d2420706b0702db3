/** Creates, enters and removes the lab's network + UTS namespaces, kept as bind-mounted files in the private state dir. */
import { existsSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunError, run, runOk } from '../../../util/exec';
import type { LabTools } from '../tools';
import { confineArgv, startWorkloadMounts } from './workloadMounts';

/** The two namespace files of a node or Pod. */
export interface NamespaceFiles {
  net: string;
  uts: string;
}

/** Namespace files live under `<state>/ns`; a node or Pod is named by a prefix so the two cannot clash. */
export class Namespaces {
  private readonly dir: string;
  private mounts?: string;

  constructor(private readonly tools: LabTools, private readonly stateDir: string) {
    this.dir = join(stateDir, 'ns');
    mkdirSync(this.dir, { recursive: true });
  }

  /** Creates the workload mount namespace (once, before any container starts). */
  async createWorkloadMounts(): Promise<void> {
    this.mounts = await startWorkloadMounts(this.tools, this.stateDir);
  }

  /** The mount namespace of every container and exec: host read-only, private /tmp and /run (see workloadMounts.ts). */
  get workloadMounts(): string {
    if (!this.mounts) throw new Error('the workload mount namespace does not exist yet');
    return this.mounts;
  }

  /**
   * argv that runs `argv` as a workload: in the namespaces of `id` (or the sandbox's network for the wire), the workload mounts, without the dropped
   * capabilities.
   */
  enterWorkload(id: string | undefined, argv: readonly string[]): string[] {
    const f = id ? this.files(id) : undefined;
    return [this.tools.nsenter, ...(f ? [`--net=${f.net}`, `--uts=${f.uts}`] : []), `--mount=${this.workloadMounts}`, '--', ...confineArgv(this.tools), ...argv];
  }

  /** Paths of the namespace files for `id` (e.g. `node-node1`, `pod-pod-a`). */
  files(id: string): NamespaceFiles {
    return { net: join(this.dir, `${id}.net`), uts: join(this.dir, `${id}.uts`) };
  }

  /** Creates fresh network and UTS namespaces for `id` and sets their hostname. */
  async create(id: string, hostname: string): Promise<NamespaceFiles> {
    const f = this.files(id);
    writeFileSync(f.net, '');
    writeFileSync(f.uts, '');
    await runOk([this.tools.unshare, `--net=${f.net}`, `--uts=${f.uts}`, '--', this.tools.busybox, 'hostname', hostname], {}, `creating namespaces for ${hostname}`);
    return f;
  }

  /** argv that runs `argv` inside the namespaces of `id`, with the lab process's own view of files (for wiring, CNI, nft). */
  enter(id: string, argv: readonly string[]): string[] {
    const f = this.files(id);
    return [this.tools.nsenter, `--net=${f.net}`, `--uts=${f.uts}`, '--', ...argv];
  }

  /** Releases the namespaces of `id`; a missing or unmounted file counts as already removed, any other failure is thrown. */
  async remove(id: string): Promise<void> {
    const f = this.files(id);
    for (const p of [f.net, f.uts]) await this.release(p);
  }

  /** Unmounts and deletes one namespace file, tolerating only "not mounted" and "does not exist". */
  private async release(path: string): Promise<void> {
    if (!existsSync(path)) return;
    const argv = [this.tools.umount, path];
    const res = await run(argv, { timeoutMs: 10_000 });
    // umount exits 32 with "not mounted" for a file whose namespace was never bound (a half-made Pod): nothing to undo.
    if ((res.code !== 0 || res.timedOut) && !/not mounted/.test(res.stderr)) {
      throw new Error(`could not release the namespace file ${path}: ${res.stderr.trim() || `umount exited ${res.code}`}`, { cause: new RunError(argv, res) });
    }
    try {
      unlinkSync(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`could not delete the namespace file ${path} (${(e as NodeJS.ErrnoException).code})`, { cause: e });
    }
  }
}
