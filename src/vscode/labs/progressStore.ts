/** Saved progress per lab pack (current step, steps passed), so a learner can stop and resume. */
import type * as vscode from 'vscode';

/** What is remembered for one pack. */
export interface LabProgress {
  step?: string;
  passed: string[];
}

const key = (id: string) => `podnet.labProgress.${id}`;

/** Reads and writes progress in the extension's global state. */
export class ProgressStore {
  constructor(private readonly memento: vscode.Memento) {}

  /** The saved progress of a pack (empty when none). */
  get(id: string): LabProgress {
    return this.memento.get<LabProgress>(key(id)) ?? { passed: [] };
  }

  /** Saves the step the learner is on. */
  async setStep(id: string, step: string): Promise<void> {
    await this.memento.update(key(id), { ...this.get(id), step });
  }

  /** Marks a step passed. */
  async markPassed(id: string, step: string): Promise<void> {
    const p = this.get(id);
    if (!p.passed.includes(step)) await this.memento.update(key(id), { ...p, passed: [...p.passed, step] });
  }

  /** Forgets a pack's progress ("Reset lab"). */
  async reset(id: string): Promise<void> {
    await this.memento.update(key(id), undefined);
  }
}
