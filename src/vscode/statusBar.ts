/** The status-bar item: the lab's state at a glance; a click offers the next sensible action. */
import * as vscode from 'vscode';
import type { LabSession } from './labSession';
import { clusterStatusBar } from './tree/clusterText';

/** Creates the item and keeps it in step with the session. */
export function createStatusBar(session: LabSession): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('podnet.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'PodNet Lab';
  const update = () => {
    const st = session.status;
    if (session.mode === 'replay' && st) {
      item.text = `$(archive) PodNet: snapshot · ${st.pods.length} Pods`;
      item.tooltip = `Showing the snapshot ${session.replayFile} (read-only). Click to go back to the live lab.`;
      item.command = 'podnet.closeSnapshot';
    } else if (session.mode === 'cluster' && st?.cluster) {
      Object.assign(item, clusterStatusBar(st, st.cluster));
      item.command = 'podnet.tracePacket';
    } else if (session.mode === 'live' && st) {
      item.text = `$(server-environment) PodNet: ${st.lab} · ${st.nodes.length} nodes · ${st.pods.length} Pods`;
      item.tooltip = `Lab "${st.lab}" is ${st.state} (${st.rootless ? 'rootless' : 'as root'}, PID ${st.sandboxPid}). Click to trace a packet.`;
      item.command = 'podnet.tracePacket';
    } else {
      item.text = '$(circle-slash) PodNet: no lab';
      item.tooltip = `No lab named "${session.lab}" is running. Click to start one.`;
      item.command = 'podnet.startLab';
    }
    item.show();
  };
  update();
  const sub = session.onDidChange(update);
  return vscode.Disposable.from(item, sub);
}
