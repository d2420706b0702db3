/** The extension's settings, read when needed (never cached, so changes apply at once). */
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';

/** Lab name (`podnet.lab`), the same name `podnet --lab` uses. */
export function labSetting(): string {
  return vscode.workspace.getConfiguration('podnet').get<string>('lab') || 'default';
}

/** Folder with the CNI plugins (`podnet.cniPath`), or undefined for the defaults. */
export function cniPathSetting(): string | undefined {
  return vscode.workspace.getConfiguration('podnet').get<string>('cniPath') || undefined;
}

/** The default topology file (`podnet.defaultTopology`), resolved against the first workspace folder. */
export function topologySetting(): string | undefined {
  const value = vscode.workspace.getConfiguration('podnet').get<string>('defaultTopology');
  if (!value) return undefined;
  if (isAbsolute(value)) return value;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return folder ? join(folder, value) : value;
}

/** The kubeconfig file (`podnet.kubeconfig`), or undefined for $KUBECONFIG / ~/.kube/config. */
export function kubeconfigSetting(): string | undefined {
  return vscode.workspace.getConfiguration('podnet').get<string>('kubeconfig')?.trim() || undefined;
}

/** Opt-in debug Pods (`podnet.debugPods.enabled`, `.image`): undefined unless enabled. */
export function debugPodsSetting(): { image?: string } | undefined {
  const cfg = vscode.workspace.getConfiguration('podnet.debugPods');
  if (!cfg.get<boolean>('enabled')) return undefined;
  return { image: cfg.get<string>('image')?.trim() || undefined };
}
