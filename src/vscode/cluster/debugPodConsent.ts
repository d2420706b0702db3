/** Asks, in a modal that shows the exact manifests, before PodNet creates debug Pods on a cluster's nodes. */
import * as vscode from 'vscode';
import { loadKube } from './kubeModules';

/** The debug Pod settings to connect with (the setting's image, else the provider's default image). */
export async function debugPodOptions(image: string | undefined): Promise<{ image: string; namespace: string }> {
  const { DEFAULT_DEBUG_IMAGE, DEFAULT_DEBUG_NAMESPACE } = await loadKube();
  return { image: image || DEFAULT_DEBUG_IMAGE, namespace: DEFAULT_DEBUG_NAMESPACE };
}

/** Shows the manifests (YAML, exactly what will be sent) in a modal; true only when the user chose to create them. */
export async function confirmDebugPods(context: string, yaml: string): Promise<boolean> {
  const count = yaml.split(/^---$/m).length;
  const pick = await vscode.window.showWarningMessage(
    `PodNet cannot enter the nodes of ${context} directly. Create ${count} debug Pod${count === 1 ? '' : 's'} (privileged, hostNetwork, one per node) to read them? They are labelled podnet and deleted when you disconnect.`,
    { modal: true, detail: yaml },
    'Create Debug Pods',
  );
  return pick === 'Create Debug Pods';
}
