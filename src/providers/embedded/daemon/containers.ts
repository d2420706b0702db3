/** Starts and stops containers: real processes that join their Pod's network and UTS namespaces. */
import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerSpec } from '../../../model/topology';
import { sleep } from '../../../util/concurrency';
import type { ContainerInfo } from '../control/protocol';
import type { LabTools } from '../tools';
import type { WorkloadFiles } from './workloadScripts';
import { startProcess } from '../../../util/exec';

/** A running (or finished) container process. */
export interface RunningContainer {
  spec: ContainerSpec;
  child: ChildProcess;
  env: Record<string, string>;
  info: ContainerInfo;
  exited: Promise<void>;
}

/** Facts about the Pod a container runs in, exported to it as environment variables. */
export interface PodIdentity {
  pod: string;
  node: string;
  ip: string;
}

/** The environment a container (and `podnet exec` into it) sees. */
export function containerEnv(id: PodIdentity, spec: ContainerSpec, files: WorkloadFiles): Record<string, string> {
  const env: Record<string, string> = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: '/',
    POD_NAME: id.pod,
    POD_IP: id.ip,
    NODE_NAME: id.node,
    CONTAINER_NAME: spec.name,
  };
  if (spec.port !== undefined) env.CONTAINER_PORT = String(spec.port);
  if (spec.workload === 'sidecar') {
    env.TARGET_URL = 'http://127.0.0.1:8080/';
    env.INTERVAL = '5';
    env.STATE_FILE = join(files.podsDir, id.pod, `${spec.name}.last`);
  }
  return env;
}

function workloadArgv(tools: LabTools, spec: ContainerSpec, files: WorkloadFiles): string[] {
  switch (spec.workload) {
    case 'web':
      return [tools.busybox, 'httpd', '-f', '-p', `0.0.0.0:${spec.port ?? 8080}`, '-h', files.webRoot];
    case 'sidecar':
      return [tools.busybox, 'sh', files.sidecarScript];
    case 'sleep':
      return [tools.busybox, 'sleep', '2147483647'];
  }
}

/** Starts one container inside the Pod's namespaces (`enter` wraps argv with nsenter). */
export function startContainer(
  tools: LabTools, spec: ContainerSpec, id: PodIdentity, files: WorkloadFiles, enter: (argv: string[]) => string[],
): RunningContainer {
  const env = containerEnv(id, spec, files);
  const podDir = join(files.podsDir, id.pod);
  mkdirSync(podDir, { recursive: true });
  const logFd = openSync(join(podDir, `${spec.name}.log`), 'a');
  const argv = enter(workloadArgv(tools, spec, files));
  const child = startProcess(argv, { env, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  const info: ContainerInfo = { name: spec.name, workload: spec.workload, port: spec.port, pid: child.pid, state: 'running' };
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code) => {
      info.state = 'exited';
      info.exitCode = code;
      resolve();
    });
    child.once('error', () => {
      info.state = 'exited';
      info.exitCode = -1;
      resolve();
    });
  });
  return { spec, child, env, info, exited };
}

/** True when the process `pid` sees a TCP socket listening on `port` in its network namespace. */
export function isListening(pid: number, port: number): boolean {
  let table: string;
  try {
    table = readFileSync(`/proc/${pid}/net/tcp`, 'utf8');
  } catch {
    return false; // the process is gone, so nothing of it listens
  }
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return table.split('\n').some((line) => {
    const cols = line.trim().split(/\s+/);
    return cols[1]?.endsWith(`:${hexPort}`) && cols[3] === '0A';
  });
}

/** Waits (like a readiness probe) until a web container listens on its port; other workloads only need to be running. */
export async function waitUntilReady(c: RunningContainer, timeoutMs = 3000): Promise<boolean> {
  // A port on a sidecar or sleep container is only declared (like containerPort): nothing listens there.
  if (c.spec.workload !== 'web' || c.spec.port === undefined || c.child.pid === undefined) return c.info.state === 'running';
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (c.info.state !== 'running') return false;
    if (isListening(c.child.pid, c.spec.port)) return true;
    await sleep(5);
  }
  return false;
}

/** Stops a container: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopContainer(c: RunningContainer, graceMs = 1000): Promise<void> {
  if (c.info.state !== 'running') return;
  c.child.kill('SIGTERM');
  const timer = setTimeout(() => c.child.kill('SIGKILL'), graceMs);
  await c.exited;
  clearTimeout(timer);
}
