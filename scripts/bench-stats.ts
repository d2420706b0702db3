// Statistics for the bench scripts: a seeded PRNG (so two runs pick the same cases), median, percentile, a summary.

/** mulberry32: a small seeded PRNG, so two runs pick the same pairs. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The middle value (mean of the two middle ones for an even count). */
export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** The p-th percentile by the nearest-rank method. */
export const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
/** Rounded to 4 decimals; null for NaN or infinity (JSON has neither). */
export const r4 = (x: number): number | null => (Number.isFinite(x) ? Number(x.toFixed(4)) : null);
/** count, median, min, p95 and max of a list of times. */
export const summary = (xs: number[]) => ({
  count: xs.length, median: r4(median(xs)), min: r4(Math.min(...xs)), p95: r4(percentile(xs, 95)), max: r4(Math.max(...xs)),
});

