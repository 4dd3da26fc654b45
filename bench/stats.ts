export type Spread = { min: number; median: number; max: number };

export function spread(values: number[]): Spread {
  if (values.length === 0) throw new Error('No measurements to summarise.');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { min: sorted[0]!, median, max: sorted.at(-1)! };
}

/** Nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
export const millis = (ms: number) => `${ms.toFixed(1)} ms`;
export const mebibytes = (kiB: number) => `${(kiB / 1024).toFixed(1)} MiB`;
export const spreadOf = (values: number[], unit: (n: number) => string) => {
  const { min, median, max } = spread(values);
  return `min ${unit(min)} · median ${unit(median)} · max ${unit(max)}`;
};
