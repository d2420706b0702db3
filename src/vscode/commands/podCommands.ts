/** Actions on one Pod, node or container from the tree: copy its IP, open a shell in it, delete or re-create it. */
import * as vscode from 'vscode';
import { guarded, requireTrust } from '../errors';
import type { LabSession } from '../labSession';
import type { NetElement } from '../tree/elements';
import { serviceNamed } from '../tree/serviceText';
import { pickEndpoint } from './pickers';

/** The IP an element stands for. */
export function ipOf(el: NetElement, session: LabSession): string | undefined {
  const st = session.status;
  if (!st) return undefined;
  switch (el.kind) {
    case 'pod':
    case 'container':
      return st.pods.find((p) => p.name === el.pod)?.ip;
    case 'node':
      return st.nodes.find((n) => n.name === el.node)?.ip;
    case 'iface':
      return el.ip;
    case 'bridge':
      return el.ip;
    case 'dockerHost':
      return st.dockerHost?.ip;
    case 'dockerContainer':
      return st.dockerHost?.containers.find((c) => c.name === el.container)?.ip;
    case 'client':
      return st.client?.ip;
    case 'router':
      return st.router?.interfaces[0]?.ip;
    case 'service':
      return serviceNamed(st, el.service)?.clusterIP;
    case 'endpoint':
      return el.ip;
    default:
      return undefined;
  }
}

/** The `podnet exec` arguments that reach an element's namespace. */
function execArgs(el: NetElement): { args: string[]; title: string } | undefined {
  switch (el.kind) {
    case 'pod':
      return { args: [el.pod], title: el.pod };
    case 'container':
      return { args: [el.pod, '-c', el.container], title: `${el.pod}/${el.container}` };
    case 'node':
      return { args: ['--node', el.node], title: el.node };
    case 'dockerHost':
      return { args: ['--docker-host'], title: 'docker-host' };
    case 'dockerContainer':
      return { args: ['--docker-container', el.container], title: el.container };
    case 'wire':
      return { args: ['--wire'], title: 'wire' };
    case 'client':
      return { args: ['--client'], title: 'outside client' };
    case 'router':
      return { args: ['--router'], title: 'router' };
    default:
      return undefined;
  }
}

/** An integrated terminal running `podnet exec ... -- sh` in the element's namespace (argv, no shell string). */
function openShell(context: vscode.ExtensionContext, session: LabSession, el: NetElement): void {
  const exec = execArgs(el);
  if (!exec) return;
  const terminal = vscode.window.createTerminal({
    name: `PodNet: ${exec.title}`,
    shellPath: process.execPath,
    shellArgs: [context.asAbsolutePath('dist/cli.js'), 'exec', '--lab', session.lab, ...exec.args, '--', 'sh'],
    env: { ELECTRON_RUN_AS_NODE: '1' },
    iconPath: new vscode.ThemeIcon('terminal'),
  });
  terminal.show();
}

/** True (after saying so) when a cluster is shown: PodNet never changes a cluster's Pods. */
function refuseOnCluster(session: LabSession, action: string): boolean {
  const c = session.mode === 'cluster' ? session.status?.cluster : undefined;
  if (c) void vscode.window.showInformationMessage(`PodNet does not ${action} on the cluster ${c.context}: clusters are read-only here. Use kubectl for that (a Deployment re-creates a deleted Pod, with a new IP).`);
  return !!c;
}

/** Registers copy IP, open shell, delete Pod and re-create Pod. */
export function registerPodCommands(context: vscode.ExtensionContext, session: LabSession): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('podnet.copyIp', async (el?: NetElement) => {
      const target = el ?? (await pickEndpoint(session, 'Copy the IP of...'))?.element;
      const ip = target && ipOf(target, session);
      if (!ip) return;
      await vscode.env.clipboard.writeText(ip);
      vscode.window.setStatusBarMessage(`$(copy) Copied ${ip}`, 3000);
    }),
    vscode.commands.registerCommand('podnet.openShell', async (el?: NetElement) => {
      if (!(await requireTrust('Opening a shell in the lab'))) return;
      if (refuseOnCluster(session, 'open shells')) return;
      const target = el ?? (await pickEndpoint(session, 'Open a shell in...'))?.element;
      if (target) openShell(context, session, target);
    }),
    vscode.commands.registerCommand('podnet.deletePod', (el?: NetElement) => guarded('Could not delete the Pod', async () => {
      if (!(await requireTrust('Deleting a Pod'))) return;
      if (refuseOnCluster(session, 'delete Pods')) return;
      const pod = el?.kind === 'pod' ? el.pod : (await pickEndpoint(session, 'Delete which Pod?', ['pod']))?.name;
      if (!pod || !session.provider) return;
      const res = await session.provider.deletePod(pod);
      vscode.window.setStatusBarMessage(`$(trash) Deleted ${pod}; ${res.ip} went back to the pool`, 5000);
    })),
    vscode.commands.registerCommand('podnet.recreatePod', (el?: NetElement) => guarded('Could not re-create the Pod', async () => {
      if (!(await requireTrust('Re-creating a Pod'))) return;
      if (refuseOnCluster(session, 're-create Pods')) return;
      const pod = el?.kind === 'pod' ? el.pod : (await pickEndpoint(session, 'Re-create which Pod?', ['pod']))?.name;
      const old = session.status?.pods.find((p) => p.name === pod);
      if (!old || !session.provider) return;
      await session.provider.deletePod(old.name);
      const again = await session.provider.addPod({ name: old.name, node: old.node, containers: old.containers.map((c) => ({ name: c.name, workload: c.workload as 'web', port: c.port })) });
      void vscode.window.showInformationMessage(`${old.name} was re-created on ${again.node}: its IP changed from ${old.ip} to ${again.ip}. Pod IPs are not permanent; Services give a stable address.`);
    })),
  );
}
