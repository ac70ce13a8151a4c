// Summaries of repeated measurements. Medians, because a shared 2-core machine produces the odd
// slow round that a mean would smear over every figure; min–max shows how much it varied.

export function median(values) {
  if (values.length === 0) return NaN
  const sorted = values.slice().sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** { median, min, max, n, samples } of the finite values. */
export function summarize(values) {
  const finite = values.filter((v) => Number.isFinite(v))
  if (finite.length === 0) return { median: NaN, min: NaN, max: NaN, n: 0, samples: [] }
  return {
    median: median(finite),
    min: Math.min(...finite),
    max: Math.max(...finite),
    n: finite.length,
    samples: finite,
  }
}

/** a ÷ b of two summaries' medians (NaN when either is missing). */
export function ratio(a, b) {
  if (!a || !b || !Number.isFinite(a.median) || !Number.isFinite(b.median) || b.median === 0) return NaN
  return a.median / b.median
}

/** Every row's ratio against every column, `{ [row]: { [column]: a/b } }`. */
export function ratioMatrix(summaries, names) {
  const out = {}
  for (const row of names) {
    out[row] = {}
    for (const column of names) {
      if (row !== column) out[row][column] = ratio(summaries[row], summaries[column])
    }
  }
  return out
}
