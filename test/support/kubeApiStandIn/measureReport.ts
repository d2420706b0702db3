/** What the stand-in measurement scripts share: reading quantiles off latencies, and printing a result when run directly. */

/** A quantile reader over `samples` (sorted here, in place): at(0.5) is the median. */
export function quantiles(samples: number[]): (q: number) => number {
  samples.sort((a, b) => a - b);
  return (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
}

/** Prints the measurements as one JSON line (numbers to 2 decimals); on failure prints the error and sets a failing exit code. */
export function printMeasurements(measuring: Promise<object>): void {
  measuring.then(
    (m) => console.log(JSON.stringify(m, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v * 100) / 100 : v))),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
