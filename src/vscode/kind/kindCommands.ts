/** PodNet: Create kind Cluster... and Delete kind Cluster...: kind's own stages in a cancellable notification, everything kind printed in "PodNet kind". */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { BRIDGE_PLUGIN_PATHS, findBridgePlugin } from '../../providers/kind/bridgeCni';
import type { KindTools } from '../../providers/kind/kindCli';
import { kindContext } from '../../providers/kind/kindContext';
import { loadKind } from '../cluster/kubeModules';
import { requireTrust, showError } from '../errors';
import type { LabSession } from '../labSession';
import { kubeconfigSetting, topologySetting } from '../settings';
import { clusterNameProblem, clusterPickItems, cniPickItems, CreateProgressText, DEFAULT_KIND_NAME, KIND_INSTALL_GUIDE, kindErrorAction, topologyPickItems } from './kindPicks';

/** kind with this window's environment; the podnet.kubeconfig setting is where kind writes the new context. */
export async function kindTools(): Promise<KindTools> {
  const { defaultKindTools } = await loadKind();
  const kubeconfig = kubeconfigSetting();
  return defaultKindTools(kubeconfig ? { ...process.env, KUBECONFIG: kubeconfig } : process.env);
}

/** Shows a kind error as one sentence, with the install guide when kind is missing. */
export async function showKindError(what: string, e: unknown): Promise<void> {
  const message = e instanceof Error ? e.message : String(e);
  const action = kindErrorAction(message);
  if (!action) return showError(what, e);
  const pick = await vscode.window.showErrorMessage(`${what}: ${message}`, action);
  if (pick) await vscode.env.openExternal(vscode.Uri.parse(KIND_INSTALL_GUIDE));
}

/** The kind clusters there are now. */
export async function kindClusters(): Promise<string[]> {
  const { listKindClusters } = await loadKind();
  return listKindClusters(await kindTools());
}

interface CreateChoice {
  name: string;
  cni: 'kindnet' | 'bridge';
  topologyFile?: string;
}

/** Asks for name, network mode and topology; undefined when cancelled. */
async function askCreate(existing: string[]): Promise<CreateChoice | undefined> {
  const title = 'PodNet: Create kind Cluster';
  const free = existing.includes(DEFAULT_KIND_NAME) ? `${DEFAULT_KIND_NAME}-2` : DEFAULT_KIND_NAME;
  const name = await vscode.window.showInputBox({ title: `${title} (1/3): name`, value: free, prompt: `The cluster's name; its kubeconfig context will be kind-NAME`, validateInput: (v) => clusterNameProblem(v, existing) });
  if (!name) return undefined;
  const bridgePlugin = findBridgePlugin() !== undefined;
  const cni = await vscode.window.showQuickPick(cniPickItems(bridgePlugin), { title: `${title} (2/3): network`, placeHolder: 'How Pods are wired on each node', matchOnDetail: true });
  if (!cni) return undefined;
  const files = (await vscode.workspace.findFiles('**/*.topology.{yaml,yml}', '**/node_modules/**', 50)).map((u) => u.fsPath);
  const setting = topologySetting();
  const topo = await vscode.window.showQuickPick(topologyPickItems(
    files, (f) => vscode.workspace.asRelativePath(f), setting && existsSync(setting) ? setting : undefined,
  ), {
    title: `${title} (3/3): topology`, placeHolder: 'One worker per topology node, its Pods pinned to their workers',
  });
  if (!topo) return undefined;
  return { name, cni: cni.cni, topologyFile: topo.file };
}

/** Creates the cluster with a cancellable progress notification; resolves with the context, or undefined when cancelled. */
async function create(choice: CreateChoice, log: vscode.OutputChannel): Promise<string | undefined> {
  const kind = await loadKind();
  const topology = choice.topologyFile
    ? kind.parseTopology((await vscode.workspace.fs.readFile(vscode.Uri.file(choice.topologyFile))).toString(), choice.topologyFile)
    : kind.parseTopology(kind.ARTICLE_TOPOLOGY_YAML, '<built-in article topology>');
  const bridgePlugin = choice.cni === 'bridge' ? findBridgePlugin() : undefined;
  if (choice.cni === 'bridge' && !bridgePlugin) throw new Error(`the bridge network mode needs the CNI bridge plugin on this machine (${BRIDGE_PLUGIN_PATHS.join(' or ')}): install containernetworking-plugins, or pick kindnet`);
  const tools = await kindTools();
  log.appendLine(`--- ${new Date().toISOString()} creating kind cluster "${choice.name}" (${choice.cni}, ${topology.nodes.length} workers, podSubnet ${topology.clusterCIDR})`);
  const text = new CreateProgressText();
  let cancelled = false;
  const context = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Creating kind cluster "${choice.name}"`, cancellable: true }, (progress, token) => {
    const ctl = new AbortController();
    token.onCancellationRequested(() => {
      cancelled = true;
      log.appendLine('cancelled: kind stops and the half-made cluster is deleted');
      ctl.abort(new Error('cancelled from VS Code'));
    });
    return kind.createKindCluster(tools, { name: choice.name, topology, cni: choice.cni, bridgePlugin }, {
      signal: ctl.signal,
      onLine: (line) => line.trim() && log.appendLine(line),
      onStage: (s) => progress.report(text.stage(s)),
      onStep: (s) => {
        log.appendLine(` • ${s}`);
        progress.report(text.step(s));
      },
    });
  }).then((c) => c, (e: unknown) => {
    log.appendLine(`failed: ${e instanceof Error ? e.message : String(e)}`);
    if (cancelled) return undefined; // the user asked for it: no error to show, the log says what happened
    throw e;
  });
  if (context) log.appendLine(`ready: context ${context}`);
  return context;
}

/** Registers podnet.createKindCluster and podnet.deleteKindCluster. */
export function registerKindCommands(context: vscode.ExtensionContext, session: LabSession): void {
  const log = vscode.window.createOutputChannel('PodNet kind');
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand('podnet.createKindCluster', async () => {
      try {
        if (!(await requireTrust('Creating a kind cluster (kind and docker are programs)'))) return undefined;
        const choice = await askCreate(await kindClusters());
        if (!choice) return undefined;
        const ctx = await create(choice, log);
        if (!ctx) return void vscode.window.showInformationMessage(`Creating the kind cluster "${choice.name}" was cancelled; the half-made cluster was deleted.`);
        void vscode.window.showInformationMessage(`kind cluster "${choice.name}" is ready (${choice.cni}); context ${ctx}.`, 'Connect', 'Show Log').then(async (pick) => {
          if (pick === 'Connect') await vscode.commands.executeCommand('podnet.connectCluster', ctx);
          if (pick === 'Show Log') log.show(true);
        });
        return ctx;
      } catch (e) {
        await showKindError('Could not create the kind cluster', e);
        return undefined;
      }
    }),
    vscode.commands.registerCommand('podnet.deleteKindCluster', async (nameArg?: string) => {
      try {
        if (!(await requireTrust('Deleting a kind cluster (kind and docker are programs)'))) return false;
        const shown = session.clusterLink?.provider.source.context;
        const name = typeof nameArg === 'string' ? nameArg : (await vscode.window.showQuickPick(clusterPickItems(await kindClusters(), shown), { title: 'PodNet: Delete kind Cluster', placeHolder: 'The kind cluster to delete' }))?.name;
        if (!name) return false;
        const sure = await vscode.window.showWarningMessage(`Delete the kind cluster "${name}"?`, { modal: true, detail: `kind deletes its node containers and the context kind-${name}; whatever runs in it is gone.` }, 'Delete');
        if (sure !== 'Delete') return false;
        if (shown === kindContext(name)) await vscode.commands.executeCommand('podnet.disconnectCluster');
        const { deleteKindCluster } = await loadKind();
        const tools = await kindTools();
        log.appendLine(`--- ${new Date().toISOString()} deleting kind cluster "${name}"`);
        await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Deleting kind cluster "${name}"` }, () => deleteKindCluster(tools, name));
        log.appendLine('deleted');
        vscode.window.setStatusBarMessage(`$(trash) Deleted the kind cluster ${name}`, 5000);
        return true;
      } catch (e) {
        log.appendLine(`failed: ${e instanceof Error ? e.message : String(e)}`);
        await showKindError('Could not delete the kind cluster', e);
        return false;
      }
    }),
  );
}
