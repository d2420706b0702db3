/** Assertions shared by the topology file tests: one located error, on the line and field expected. */
import { strict as assert } from 'node:assert';
import { SpecError } from '../../src/model/topology';
import { validateTopologyText } from '../../src/model/topologySpec';
import { LabError } from '../../src/providers/embedded/control/labError';

/** Joins lines so each test can see which line number a key is on. */
export function y(...lines: string[]): string {
  return lines.join('\n') + '\n';
}

/** Every error, one per line, for assertion messages. */
export function listErrors(errors: SpecError[]): string {
  return errors.map((e) => e.format()).join('\n');
}

/** Asserts the text has exactly one error and returns it. */
export function onlyError(text: string): SpecError {
  const errors = validateTopologyText(text, 'lab.yaml');
  assert.equal(errors.length, 1, `expected one error, got:\n${listErrors(errors)}`);
  assert.ok(errors[0] instanceof SpecError);
  return errors[0];
}

/** What an expected error looks like. */
export interface Expected {
  field?: string;
  line: number;
  column?: number;
  message: RegExp;
  hint?: RegExp;
}

/** Asserts the text has exactly this one error (in lab.yaml) and returns it. */
export function expectError(text: string, want: Expected): SpecError {
  const e = onlyError(text);
  assert.match(e.message, want.message);
  assert.equal(e.location.line, want.line, `line of: ${e.format()}`);
  assert.equal(e.location.file, 'lab.yaml');
  if (want.field !== undefined) assert.equal(e.location.field, want.field);
  if (want.column !== undefined) assert.equal(e.location.column, want.column);
  if (want.hint) assert.match(e.hint ?? '', want.hint);
  return e;
}

/** Asserts that `fn` throws a LabError of this code and field (what the lab returns for a bad request), and returns it. */
export function expectLabError(fn: () => unknown, code: LabError['code'], field: string): LabError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof LabError, `expected a LabError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.equal(caught.field, field, caught.message);
  return caught;
}
