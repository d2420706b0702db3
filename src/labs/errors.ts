/** Errors in a lab pack: what is wrong, where (file, line, column, field path) and what to do about it. */
import { formatLocated, type SpecError, type SpecLocation } from '../model/topology';

/** One problem in a lab pack; `location.field` is a path such as `steps[2].checks[0].type`. */
export class LabPackError extends Error {
  constructor(
    message: string,
    readonly location: SpecLocation = {},
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'LabPackError';
  }

  /** One line: `file:line:column: field: message (hint)`, the shape editors and CI logs link. */
  format(): string {
    return formatLocated(this.message, this.location, this.hint);
  }
}

/** Thrown by `parseLabPack` and the zip reader: every problem found, in file order; nothing was run. */
export class LabPackInvalidError extends Error {
  constructor(readonly errors: LabPackError[], what: string) {
    super(`${what} has ${errors.length} problem${errors.length === 1 ? '' : 's'}:\n${errors.map((e) => `  ${e.format()}`).join('\n')}`);
    this.name = 'LabPackInvalidError';
  }
}

/** A topology error re-homed under `topology.` in lab.yaml (its line and column already point into lab.yaml). */
export function fromSpecError(e: SpecError, prefix = 'topology'): LabPackError {
  const field = e.location.field ? `${prefix}.${e.location.field}` : prefix;
  return new LabPackError(e.message, { ...e.location, field }, e.hint);
}

/** File order: by file, then line, then column; errors without a line go last in their file. */
export function byLocation(a: LabPackError, b: LabPackError): number {
  const fa = a.location.file ?? '';
  const fb = b.location.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  const la = a.location.line ?? Infinity;
  const lb = b.location.line ?? Infinity;
  return la !== lb ? la - lb : (a.location.column ?? 0) - (b.location.column ?? 0);
}
