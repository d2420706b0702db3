/**
 * The long-lived part of the kind stand-in (kind itself exits after create; its cluster lives on): the kube-apiserver
 * stand-in serving this cluster's Nodes, the kubelet stand-in running Pods in the node containers, and the endpointslice
 * controller + kube-proxy stand-in (KubeProxyLoop) giving every node the rules of the Services. Started detached
 * by `kind create cluster`, stopped by `kind delete cluster`. Usage: clusterDaemon.ts STATE_DIR
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dockerEngineAt } from '../docker/engine';
import { KubeApiStandIn, STAND_IN_TOKEN } from '../kubeApiStandIn/server';
import type { StoredObject } from '../kubeApiStandIn/store';
import type { KubeProxyMode } from './kindConfigFile';
import { KubeletStandIn, type KubeletNode } from './kubelet';
import { KubeProxyLoop } from './kubeProxyLoop';

/** What `kind create cluster` hands the daemon (cluster.json in its state folder). */
export interface DaemonCluster {
  name: string;
  nodes: (KubeletNode & { ip: string; podCIDR: string })[];
  /** Images no node can pull (the stand-in's way to test the "cannot pull" advice). */
  unpullable: string[];
  /** networking.podSubnet and serviceSubnet of the config (kube-proxy's --cluster-cidr and the Service range). */
  podSubnet: string;
  serviceSubnet: string;
  kubeProxyMode: KubeProxyMode;
}

/** What the daemon writes once it serves (server.json), for the kubeconfig. */
export interface DaemonServer {
  pid: number;
  url: string;
  caPem: string;
  token: string;
}

function nodeObject(n: DaemonCluster['nodes'][number], cluster: string): StoredObject & { kind: 'Node' } {
  const created = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const role: Record<string, string> = n.role === 'control-plane' ? { 'node-role.kubernetes.io/control-plane': '' } : {};
  return {
    kind: 'Node', apiVersion: 'v1',
    metadata: { name: n.name, labels: { 'kubernetes.io/hostname': n.name, 'kubernetes.io/os': 'linux', ...role, ...n.labels } },
    spec: { podCIDR: n.podCIDR, podCIDRs: [n.podCIDR], providerID: `kind://docker/${cluster}/${n.name}` },
    status: {
      addresses: [{ type: 'InternalIP', address: n.ip }, { type: 'Hostname', address: n.name }],
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastTransitionTime: created }],
    },
  };
}

async function main(stateDir: string): Promise<void> {
  const cluster = JSON.parse(readFileSync(join(stateDir, 'cluster.json'), 'utf8')) as DaemonCluster;
  const host = process.env.DOCKER_HOST;
  if (!host) throw new Error('DOCKER_HOST is not set: the kind stand-in needs the test Docker engine');
  const engine = dockerEngineAt(host);
  let kubelet: KubeletStandIn | undefined;
  const api = await KubeApiStandIn.start({ execHandler: (pod, _container, argv) => ({ argv: kubelet?.execArgv(pod, argv) ?? [] }) });
  kubelet = new KubeletStandIn(engine, api, cluster.nodes, cluster.unpullable);
  kubelet.start();
  for (const n of cluster.nodes) api.upsert(nodeObject(n, cluster.name));
  const ranges = { clusterCIDR: cluster.podSubnet, serviceCIDR: cluster.serviceSubnet };
  new KubeProxyLoop(engine, api, cluster.nodes, ranges, cluster.kubeProxyMode, cluster.name).start();
  const server: DaemonServer = { pid: process.pid, url: api.url, caPem: api.caPem ?? '', token: STAND_IN_TOKEN };
  writeFileSync(join(stateDir, 'server.json'), JSON.stringify(server));
  const stop = () => void api.close().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main(process.argv[2] ?? '').catch((e: unknown) => {
  console.error(`kind stand-in cluster daemon: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
