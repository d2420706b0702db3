/**
 * The one typed message protocol between the extension host and the diagram webview.
 * Imported by both sides; it imports only plain data types (no vscode, no Node modules).
 */
import type { Snapshot } from '../../snapshot/types';
import type { TraceResult } from '../../tracer/types';

/** Where the drawn snapshot came from, shown in the diagram's header. */
export interface DiagramSource {
  /** e.g. `lab "default"` or `snapshot lab.json`. */
  label: string;
  /** True for a running lab (the diagram may update), false for a replayed snapshot file. */
  live: boolean;
}

/** Messages the extension host sends to the diagram. */
export type HostToDiagram =
  /** Draw (or redraw) the topology; keeps the current trace if its namespaces still exist. */
  | { type: 'snapshot'; snapshot: Snapshot; source: DiagramSource }
  /** Highlight a traced path and get ready to animate it (from hop 1). */
  | { type: 'trace'; trace: TraceResult }
  /** Remove the highlighted path. */
  | { type: 'clearTrace' }
  /** Scroll to and outline one namespace (`pod/pod-a`, `node/node1`, ...), e.g. from "Show in Diagram". */
  | { type: 'focus'; namespace: string };

/** Messages the diagram sends to the extension host. */
export type DiagramToHost =
  /** The script has loaded and listens: the host may send the snapshot. */
  | { type: 'ready' }
  /** A snapshot was laid out and drawn (numbers for tests and the benchmark): Pods drawn, nodes drawn folded. */
  | { type: 'rendered'; namespaces: number; elements: number; layoutMs: number; drawMs: number; pods: number; folded: number }
  /** The user picked a namespace in the drawing (the host reveals it in the tree). */
  | { type: 'select'; namespace: string }
  /** The user asked to trace between two namespaces from the drawing. */
  | { type: 'traceRequest'; from: string; to: string }
  /** Something went wrong in the webview; the host shows it. */
  | { type: 'error'; message: string };

/** What the diagram keeps with `vscode.setState` so it survives being hidden and restored. */
export interface DiagramState {
  snapshot?: Snapshot;
  source?: DiagramSource;
  trace?: TraceResult;
  /** The hop the animation stands on (0 = before the first hop). */
  step: number;
  /** Node boxes (`ns:node/node1`) the user expanded in a folded drawing. */
  expanded?: string[];
}

/** Type guard for messages arriving in the host. */
export function isDiagramToHost(m: unknown): m is DiagramToHost {
  const t = (m as { type?: unknown } | null)?.type;
  return t === 'ready' || t === 'rendered' || t === 'select' || t === 'traceRequest' || t === 'error';
}

/** Type guard for messages arriving in the webview. */
export function isHostToDiagram(m: unknown): m is HostToDiagram {
  const t = (m as { type?: unknown } | null)?.type;
  return t === 'snapshot' || t === 'trace' || t === 'clearTrace' || t === 'focus';
}
