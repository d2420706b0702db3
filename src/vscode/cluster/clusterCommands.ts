/** Connect to Cluster..., Disconnect from Cluster and Show Namespace...: a kubeconfig context shown read-only in the PodNet views. */
import * as vscode from 'vscode';
import type { KubeProvider } from '../../providers/kube/kubeProvider';
import { guarded, requireTrust, showError } from '../errors';
import type { LabSession } from '../labSession';
import { debugPodsSetting, kubeconfigSetting } from '../settings';
import { contextPickItems, kubeconfigSource } from './contextPick';
import { confirmDebugPods, debugPodOptions } from './debugPodConsent';
import { loadKube } from './kubeModules';

/** Asks for a context of the kubeconfig (current first); undefined when cancelled. */
async function pickContext(kubeconfig: string | undefined): Promise<string | undefined> {
  const source = kubeconfigSource(kubeconfig, process.env);
  const { listContexts } = await loadKube();
  const contexts = listContexts({ kubeconfig, env: process.env });
  if (!contexts.length) throw new Error(`the kubeconfig ${source.shown} has no contexts: add one (kind create cluster writes one) or set podnet.kubeconfig`);
  const picked = await vscode.window.showQuickPick(contextPickItems(contexts), {
    title: 'PodNet: Connect to Cluster', placeHolder: `A context of ${source.shown}`, matchOnDescription: true, matchOnDetail: true,
  });
  return picked?.context;
}

/** Connects; with debug Pods enabled in the settings, the provider shows their manifests in a modal before creating any. */
async function connect(kubeconfig: string | undefined, context: string, say: (m: string) => void): Promise<KubeProvider> {
  const { KubeProvider: Kube } = await loadKube();
  const debug = debugPodsSetting();
  return Kube.connect({
    kubeconfig, context, namespace: 'all', env: process.env, onProgress: say,
    debugPods: debug ? await debugPodOptions(debug.image) : false,
    confirmDebugPods: (yaml) => confirmDebugPods(context, yaml),
  });
}

/** Registers podnet.connectCluster, podnet.disconnectCluster and podnet.showNamespace. */
export function registerClusterCommands(context: vscode.ExtensionContext, session: LabSession): void {
  const log = vscode.window.createOutputChannel('PodNet Cluster');
  const say = (line: string) => log.appendLine(`${new Date().toISOString()} ${line}`);
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand('podnet.connectCluster', (contextName?: string) => guarded('Could not connect to the cluster', async () => {
      if (!(await requireTrust('Connecting to a cluster (kubeconfig credential plugins and docker are programs)'))) return;
      const kubeconfig = kubeconfigSetting();
      const name = typeof contextName === 'string' ? contextName : await pickContext(kubeconfig);
      if (!name) return;
      say(`connecting to context ${name} of ${kubeconfigSource(kubeconfig, process.env).shown}`);
      const provider = await Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Connecting to ${name}` }, (progress) => connect(kubeconfig, name, (m) => {
        say(m);
        progress.report({ message: m });
      }))).catch((e: unknown) => {
        say(`failed: ${e instanceof Error ? e.message : String(e)}`);
        throw e;
      });
      say(`connected; node access: ${provider.source.access} (${provider.source.accessDescription})`);
      try {
        let lastShown = 0;
        await session.connectCluster(provider, (e) => {
          say(`watch trouble (retrying): ${e.message}`);
          // The watch retries with backoff and reports each failure: one notification a minute is enough.
          if (Date.now() - lastShown < 60_000) return;
          lastShown = Date.now();
          void showError(`Lost the cluster ${name} (PodNet keeps retrying)`, e);
        });
      } catch (e) {
        await provider.closeAndWait().catch(() => undefined); // the connect error is the one to show
        throw e;
      }
      const st = session.status;
      say(`showing ${st?.nodes.length ?? 0} nodes and ${st?.pods.length ?? 0} Pods`);
      vscode.window.setStatusBarMessage(`$(cloud) Connected to ${name}: ${st?.nodes.length ?? 0} nodes, ${st?.pods.length ?? 0} Pods`, 5000);
    })),
    vscode.commands.registerCommand('podnet.disconnectCluster', () => guarded('Could not disconnect cleanly', async () => {
      const link = session.clusterLink;
      if (!link) return;
      const name = link.provider.source.context;
      const debugPods = link.provider.source.access === 'debugPod';
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Disconnecting from ${name}${debugPods ? ' (deleting the debug Pods)' : ''}` }, () => session.disconnectCluster());
      vscode.window.setStatusBarMessage(`$(cloud) Disconnected from ${name}${debugPods ? '; its debug Pods are deleted' : ''}`, 5000);
    })),
    vscode.commands.registerCommand('podnet.showNamespace', async (namespace?: string) => {
      const link = session.clusterLink;
      if (!link) return void vscode.window.showInformationMessage('Namespaces belong to a cluster: connect to one first (PodNet: Connect to Cluster...).');
      if (typeof namespace === 'string') return link.setNamespace(namespace || undefined);
      const all = { label: '$(list-flat) All namespaces', ns: undefined as string | undefined };
      const items = [all, ...link.namespaces().map((n) => ({ label: n.namespace, description: `${n.pods} Pods`, ns: n.namespace as string | undefined }))];
      const picked = await vscode.window.showQuickPick(items, { title: 'PodNet: Show Namespace', placeHolder: `Shown now: ${link.namespaceFilter ?? 'all namespaces'}` });
      if (picked) link.setNamespace(picked.ns);
    }),
  );
}
