/** A read-only {@link LabProvider} over a snapshot file: shows a recorded lab on any OS, with no lab running. */
import { readFileSync } from 'node:fs';
import { parseSnapshot } from '../../snapshot/validate';
import type { Snapshot } from '../../snapshot/types';
import { LabError } from '../embedded/control/labError';
import type { ExecResult, ExecTarget, LabStatus, PodInfo, PodRequest } from '../embedded/control/protocol';
import type { LabProvider } from '../provider';
import { statusFromSnapshot } from './replayStatus';

/** A recorded lab: status comes from the snapshot; anything that would run or change something is refused. */
export class ReplayLab implements LabProvider {
  readonly kind = 'replay';

  constructor(private readonly snap: Snapshot, private readonly file?: string) {}

  /** Opens and validates a snapshot file; a bad file fails with its path and the JSON path of the problem. */
  static open(file: string): ReplayLab {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new LabError(`cannot read snapshot ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'NOT_FOUND', 'file');
    }
    return new ReplayLab(parseSnapshot(text, file), file);
  }

  /** The snapshot this lab replays. */
  snapshot(): Snapshot {
    return this.snap;
  }

  status(): Promise<LabStatus> {
    return Promise.resolve(statusFromSnapshot(this.snap));
  }

  exec(_target: ExecTarget, _argv: string[]): Promise<ExecResult> {
    return Promise.reject(this.readOnly('run commands'));
  }

  addPod(_req: PodRequest): Promise<PodInfo> {
    return Promise.reject(this.readOnly('add Pods'));
  }

  deletePod(_name: string): Promise<{ name: string; ip: string }> {
    return Promise.reject(this.readOnly('delete Pods'));
  }

  close(): void {
    // nothing is open: the snapshot was read whole
  }

  private readOnly(what: string): LabError {
    const from = this.file ? `the snapshot ${this.file}` : `a snapshot of lab "${this.snap.source.lab}"`;
    return new LabError(`this lab is ${from}, which is read-only: it cannot ${what}. Start a real lab with \`podnet lab up\` to do that`, 'CONFLICT');
  }
}
