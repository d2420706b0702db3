// The `testbed` section's part of the bench report (scripts/bench.mjs): snapshot and verified trace on the Docker test
// bed of kind-shaped nodes, entered directly (nsenter) and through `docker exec`, each against the same raw calls.
import { fmtMs, table } from './bench-lib.mjs';

const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? Number((a / b).toFixed(2)) : null);

/** The testbed section's lines of the report. */
export function testbedReport(t) {
  if (t.skipped) return [`Docker test bed: skipped (${t.skipped})`, ''];
  const row = (label, m) => [
    label,
    `${fmtMs(m.snapshotMs.median, 0)} (CPU ${fmtMs(m.snapshotCpuMs?.median, 0)})`,
    `${fmtMs(m.rawMs.median, 0)} (${ratio(m.snapshotMs.median, m.rawMs.median)}×)`,
    `${fmtMs(m.trace.totalMs.median, 0)} (snapshot ${fmtMs(m.trace.snapshotMs.median, 0)}, kernel ${fmtMs(m.trace.kernelMs.median, 0)}, probe ${fmtMs(m.trace.verifyMs.median, 0)})`,
  ];
  return [
    `Docker test bed: ${t.nodes} kind-shaped nodes, ${t.pods} Pods (${t.namespaces} namespaces, 5 processes each), ${t.environment}; medians of ${t.runs}`,
    table([
      ['node access', 'podnet snapshot (CPU time of PodNet and its children)', 'same raw calls (ratio)', `verified trace ${t.direct.trace.request.from} → ${t.direct.trace.request.to}`],
      row('entered directly (nsenter, root: the default)', t.direct),
      row('docker exec only', t.exec),
    ]),
    '',
  ];
}

/** The testbed section's target rows: the ratio (default path) and the quick-inspection wish (about 1 s). */
export function testbedTargets(t, targets) {
  const d = t && !t.skipped ? t.direct : undefined;
  const r = d ? ratio(d.snapshotMs.median, d.rawMs.median) : null;
  return [
    ['test bed snapshot (3 nodes, 30 Pods) / same raw calls', `≤ ${targets.snapshotRatio}×`, r === null ? 'n/a' : `${r}×`, r === null ? undefined : r <= targets.snapshotRatio],
    ['test bed snapshot (3 nodes, 30 Pods) median', `≤ ${targets.testbedSnapshotMs} ms`, fmtMs(d?.snapshotMs.median, 0), d && d.snapshotMs.median <= targets.testbedSnapshotMs],
  ];
}
