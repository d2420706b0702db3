/** The lab-pack format: a folder (or .zip of one) with lab.yaml, Markdown step files and assets. Plain data. */
import type { Topology } from '../model/topology';
import type { Disposition, TraceProto } from '../tracer/types';

/** A command the learner runs with one click: always argv (never a shell string), always a `podnet` subcommand. */
export interface LabAction {
  /** Referenced by `actionOutput` checks. */
  id: string;
  /** Short label on the run button. */
  title?: string;
  /** argv starting with `podnet`, e.g. [podnet, exec, pod-a, --, ip, addr]; the runner adds `--lab` and fills `{{ip:NAME}}` from the live lab. */
  run: string[];
  /** Set by the parser when the argv starts a shell (`sh -c ...`): UIs must show such an action prominently before it runs. */
  usesShell?: boolean;
}

/** Where a traced path must pass. */
export interface TracePass {
  /** Namespace name as the trace shows it: pod-a, node1, wire, docker-host... */
  where: string;
  /** An interface the packet must enter or leave there (e.g. cbr0, eth0). */
  interface?: string;
}

/** A declarative check, evaluated against the live lab without running any pack-supplied command. */
export type LabCheck =
  | { type: 'podIpInCidr'; pod: string; cidr?: string }
  | { type: 'uniquePodIps' }
  | { type: 'sharedNetns'; pod: string; containers: [string, string] }
  | {
      type: 'trace';
      from: string;
      to: string;
      proto?: TraceProto;
      port?: number;
      expect: {
        disposition?: Disposition;
        passes?: TracePass[];
        /** `dnat`: a Service's DNAT with the sender's source kept; `dnat+snat`: DNAT and the source rewritten too (NodePort, Cluster). */
        nat?: 'none' | 'source' | 'destination' | 'any' | 'dnat' | 'dnat+snat';
        /** The Service whose DNAT the packet must go through (its name). */
        service?: string;
      };
    }
  | { type: 'receiverSawSender'; from: string; to: string; port?: number }
  | { type: 'ipChangedAfterRecreate'; pod: string }
  | { type: 'actionOutput'; action: string; matches: string; stream?: 'stdout' | 'stderr' }
  | { type: 'podExists'; pod: string; node?: string }
  | { type: 'reachable'; from: string; to: string; expect?: boolean }
  | { type: 'serviceEndpoints'; service: string; pods: string[] }
  | { type: 'serviceIpStable'; service: string }
  | {
      type: 'httpAnswer';
      from: string;
      to: string;
      port?: number;
      expect?: boolean;
      /** A name or IP whose address the web server must report as the source. */
      sawSource?: string;
      /** Pods any of which may answer. */
      answeredBy?: string[];
      /** Every Pod of `answeredBy` must answer at least once (up to {@link HTTP_ANSWER_TRIES} GETs): a Service spreads its connections. */
      each?: boolean;
    };

/** Most GETs an `httpAnswer` check with `each` sends (two endpoints chosen at random: all 20 to one of them has odds of 2 in a million). */
export const HTTP_ANSWER_TRIES = 20;

/** Every check type name. */
export type LabCheckType = LabCheck['type'];

/** One step of a lab: a page to read, commands to run, checks that must pass. */
export interface LabStep {
  id: string;
  title: string;
  /** Markdown file relative to the pack folder. */
  file: string;
  actions: LabAction[];
  checks: (LabCheck & { /** What the check proves, in a sentence shown to the learner. */ title?: string })[];
  hints: string[];
}

/** A validated lab pack. */
export interface LabPack {
  id: string;
  title: string;
  version: string;
  author: string;
  /** Estimated minutes. */
  minutes: number;
  description?: string;
  topology: Topology;
  steps: LabStep[];
  /** Absolute path of the pack folder. */
  dir: string;
  /** Absolute path of lab.yaml. */
  file: string;
}
