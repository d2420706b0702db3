/** Writes kubeconfig files pointing at a stand-in (or any server), with a token or an exec-plugin user. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { STAND_IN_TOKEN, type KubeApiStandIn } from './server';

/** How the kubeconfig's user authenticates: a bearer token or an exec credential plugin. */
export type KubeconfigUser = { token: string } | { exec: { command: string; args?: string[]; env?: { name: string; value: string }[] } };

/** What to write. */
export interface KubeconfigSpec {
  /** The stand-in to point at (its URL and CA), or a bare server URL. */
  target: KubeApiStandIn | { url: string; caPem?: string };
  /** Default: the stand-in token. */
  user?: KubeconfigUser;
  /** Context, cluster and user names (default `stand-in`). */
  context?: string;
  cluster?: string;
  userName?: string;
  namespace?: string;
  /** File name inside dir (default `kubeconfig`). */
  file?: string;
  /** Write current-context (default true). */
  setCurrent?: boolean;
}

/** client-node refuses plain http unless TLS verification is off, so an http stand-in needs this flag. */
const httpAllowed = { 'insecure-skip-tls-verify': true };

/** Writes the kubeconfig and returns its path. */
export function writeKubeconfig(dir: string, spec: KubeconfigSpec): string {
  const context = spec.context ?? 'stand-in';
  const cluster = spec.cluster ?? context;
  const userName = spec.userName ?? context;
  const user = spec.user ?? { token: STAND_IN_TOKEN };
  const { url, caPem } = spec.target;
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server: url, ...(caPem ? { 'certificate-authority-data': Buffer.from(caPem).toString('base64') } : {}), ...(url.startsWith('http://') ? httpAllowed : {}) } }],
    users: [{ name: userName, user: 'token' in user ? { token: user.token } : { exec: { apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never', ...user.exec } } }],
    contexts: [{ name: context, context: { cluster, user: userName, ...(spec.namespace ? { namespace: spec.namespace } : {}) } }],
    ...(spec.setCurrent === false ? {} : { 'current-context': context }),
  };
  const path = join(dir, spec.file ?? 'kubeconfig');
  writeFileSync(path, stringify(doc), { mode: 0o600 });
  return path;
}
