// The `cluster` section's part of the bench report (scripts/bench.mjs): the plain-Node and the code-server numbers.
import { fmtMiB, fmtMs, table } from './bench-lib.mjs';

/** The cluster section's lines of the report. */
export function clusterReport(c) {
  return [
    `Cluster in the extension's tree: ${c.pods} Pods on ${c.nodes} nodes (${c.rows} Network-view rows), ${c.environment}; node access ${c.access}`,
    table([
      ['', 'ms'],
      ['first connect in the process (loads the Kubernetes client; not in the target)', fmtMs(c.coldConnectMs, 0)],
      ['connect: KubeProvider.connect (list + watch of Nodes and Pods, node access chosen)', fmtMs(c.connectMs, 0)],
      ['  session: ClusterLink.open (the status, sorted)', fmtMs(c.sessionMs, 0)],
      ['  tree: every row and its text built', fmtMs(c.treeMs, 0)],
      ['connect to tree built', fmtMs(c.connectToTreeMs, 0)],
      [`watch event (a Pod's new IP) to its row rebuilt, ${c.event.runs} events: median / p95 / max`, `${fmtMs(c.event.medianMs)} / ${fmtMs(c.event.p95Ms)} / ${fmtMs(c.event.maxMs)}`],
    ]),
    `  memory growth after the connect, events and a full GC: heap ${fmtMiB(c.memory.heapGrowthMiB)}, RSS ${fmtMiB(c.memory.rssGrowthMiB)} (process heap ${fmtMiB(c.memory.heapAfterMiB)}); Pod lists served: ${c.listRequests} (one per connect)`,
    ...(c.vscode ? [
      `The same ${c.vscode.pods} Pods in ${c.vscode.environment}`,
      table([
        ['', 'ms'],
        ['context picked in Connect to Cluster → first Pod row drawn', fmtMs(c.vscode.connectToFirstRowMs, 0)],
        [`watch event (a Pod's new IP) → its row redrawn, ${c.vscode.event.runs} events: median / max`, `${fmtMs(c.vscode.event.medianMs, 0)} / ${fmtMs(c.vscode.event.maxMs, 0)}`],
      ]),
      `  extension host PSS ${fmtMiB(c.vscode.extensionHost.before.pssMiB)} → ${fmtMiB(c.vscode.extensionHost.after.pssMiB)} (growth ${fmtMiB(c.vscode.extensionHost.growthPssMiB)}; RSS growth ${fmtMiB(c.vscode.extensionHost.growthRssMiB)}), no GC forced`,
    ] : []),
    '',
  ];
}
