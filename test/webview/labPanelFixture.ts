/**
 * Messages for the lab panel tests: the built-in own-ip pack (labs/01-own-ip) turned into a LabView the way the host
 * does it (Markdown rendered with raw HTML disabled), plus a shell action and a list with a problem.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { parse } from 'yaml';
import type { ActionView, HostToLabPanel, LabView } from '../../src/webview/labs/protocol';

const PACK = join(__dirname, '..', '..', 'labs', '01-own-ip');

interface PackStep {
  id: string;
  title: string;
  file: string;
  actions?: { id: string; title: string; run: string[] }[];
  checks?: { type: string; title: string }[];
  hints?: string[];
}

/** A shell action added to step 1, so the panel has a "runs a shell" badge and a quoted word to show. */
export const SHELL_ACTION: ActionView = {
  id: 'count',
  title: 'Count the addresses in pod-a',
  argv: ['podnet', 'exec', 'pod-a', '--', 'sh', '-c', "ip -4 addr | grep -c 'inet '"],
  usesShell: true,
};

/** The own-ip lab as the host would open it. */
export function ownIpLab(): LabView {
  const pack = parse(readFileSync(join(PACK, 'lab.yaml'), 'utf8')) as { id: string; title: string; minutes: number; steps: PackStep[] };
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  return {
    id: pack.id,
    title: pack.title,
    minutes: pack.minutes,
    steps: pack.steps.map((s, i) => ({
      id: s.id,
      title: s.title,
      html: md.render(readFileSync(join(PACK, s.file), 'utf8')),
      actions: [
        ...(s.actions ?? []).map((a) => ({ id: a.id, title: a.title, argv: a.run.map(String), usesShell: false })),
        ...(i === 0 ? [SHELL_ACTION] : []),
      ],
      checks: (s.checks ?? []).map((c, index) => ({ index, title: c.title, type: c.type })),
      hints: i === 0 ? [...(s.hints ?? []), 'Each node hands out addresses only from its own /24.', 'Sort the table by the NODE column.'] : (s.hints ?? []),
    })),
  };
}

/** Two labs (one built-in, one from the workspace) with saved progress, and one pack that could not be read. */
export function listMessage(trusted = true): HostToLabPanel {
  return {
    type: 'list',
    trusted,
    labs: [
      {
        id: 'own-ip',
        title: 'Every Pod gets its own IP',
        minutes: 8,
        description: "Look at the addresses of three Pods and two nodes on a live lab, and prove that each Pod has an address of its own.",
        source: 'built-in',
        passed: 1,
        steps: 3,
      },
      {
        id: 'team-service',
        title: 'Our team: from Pod to Service',
        minutes: 15,
        description: 'Follow a request from a client Pod to the Pods behind a Service.',
        source: 'workspace',
        passed: 2,
        steps: 2,
      },
    ],
    problems: [{ path: 'labs/broken-lab/lab.yaml', message: 'steps[1].actions[0].run: "|" outside quotes would be shell syntax, but this command runs without a shell' }],
  };
}
