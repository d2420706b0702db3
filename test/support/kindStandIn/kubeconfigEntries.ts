/**
 * What the kind stand-in does to a kubeconfig, as kind does: add (or replace) cluster, user and context `kind-NAME`, make it current; remove them on
 * delete.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse, stringify } from 'yaml';

type Named = { name: string; [k: string]: unknown };
interface KubeconfigDoc {
  apiVersion?: string;
  kind?: string;
  clusters?: Named[];
  users?: Named[];
  contexts?: Named[];
  'current-context'?: string;
  [k: string]: unknown;
}

/** The entries for one cluster: server URL, CA and bearer token. */
export interface KindEntries {
  name: string;
  server: string;
  caPem: string;
  token: string;
}

function read(file: string): KubeconfigDoc {
  if (!existsSync(file)) return { apiVersion: 'v1', kind: 'Config', clusters: [], users: [], contexts: [] };
  return (parse(readFileSync(file, 'utf8')) as KubeconfigDoc | null) ?? {};
}

const replace = (list: Named[] | undefined, entry: Named): Named[] => [...(list ?? []).filter((e) => e.name !== entry.name), entry];

/** Adds or replaces `kind-NAME` (cluster, user, context) and makes it the current context. */
export function addKindEntries(file: string, e: KindEntries): void {
  const doc = read(file);
  const id = `kind-${e.name}`;
  doc.clusters = replace(doc.clusters, { name: id, cluster: { server: e.server, 'certificate-authority-data': Buffer.from(e.caPem).toString('base64') } });
  doc.users = replace(doc.users, { name: id, user: { token: e.token } });
  doc.contexts = replace(doc.contexts, { name: id, context: { cluster: id, user: id } });
  doc['current-context'] = id;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, stringify(doc), { mode: 0o600 });
}

/** Removes `kind-NAME` again (and the current context if it was that one). */
export function removeKindEntries(file: string, name: string): void {
  if (!existsSync(file)) return;
  const doc = read(file);
  const id = `kind-${name}`;
  doc.clusters = (doc.clusters ?? []).filter((c) => c.name !== id);
  doc.users = (doc.users ?? []).filter((c) => c.name !== id);
  doc.contexts = (doc.contexts ?? []).filter((c) => c.name !== id);
  if (doc['current-context'] === id) doc['current-context'] = '';
  writeFileSync(file, stringify(doc), { mode: 0o600 });
}

/** The kubeconfig file kind would write to: the first of $KUBECONFIG, else ~/.kube/config. */
export function kindKubeconfigPath(env: NodeJS.ProcessEnv): string {
  const first = (env.KUBECONFIG ?? '').split(':').find(Boolean);
  return first ?? `${env.HOME ?? '/root'}/.kube/config`;
}
