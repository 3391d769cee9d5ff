/** Summaries of repeated measurements: the median is what the tables show. */

/** @param {readonly number[]} values */
export function median(values) {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Median, min, max and the raw samples (ms), rounded for the JSON. */
export function summary(values) {
  const round = v => Math.round(v * 10) / 10
  return {
    median: round(median(values)),
    min: round(Math.min(...values)),
    max: round(Math.max(...values)),
    samples: values.map(round)
  }
}

/** The value every run agreed on, or the median when runs differed (e.g. retries). */
export function typical(values) {
  return values.every(v => v === values[0]) ? values[0] : median(values)
}
