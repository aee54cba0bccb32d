/** The normal quantile of a two-sided 95 % interval (R: qnorm(0.975)). */
export const Z_95 = 1.959963984540054;

/** Sums over the respondents of one published cell: who chose the option, and who answered (the base). */
export interface WeightSums {
  /** Σw and Σw² over the respondents who chose the option. */
  w: number;
  w2: number;
  /** Σw and Σw² over the base, and its unweighted n. */
  baseW: number;
  baseW2: number;
  baseN: number;
}

export interface WeightedEstimate {
  share: number;
  ciLow: number;
  ciHigh: number;
  /** Kish's effective n of the base: (Σw)² / Σw². */
  nEffective: number;
}

/**
 * A weighted share with a 95 % confidence interval. The variance is the linearisation (Taylor) variance
 * of a ratio with the weights taken as fixed — what R's `svymean(~y, svydesign(ids = ~1, weights = ~w,
 * data = base))` reports: n/(n−1) · Σ w²(y − p)² / (Σw)², here written with the four sums a GROUP BY
 * gives, since y is 0 or 1: Σ w²(y − p)² = (1 − p)²·Σ_chose w² + p²·(Σ_base w² − Σ_chose w²). Unequal
 * weights widen it exactly by their design effect. The interval is Wald's, p ± z·SE, clipped to [0, 1].
 * Approximations, as documented in docs/analysis.md: the weights' own sampling error (raking is a
 * calibration and usually narrows intervals) is ignored, and Wald intervals are poor near 0 and 1 and
 * for a small effective n.
 */
export function weightedShare(sums: WeightSums): WeightedEstimate | null {
  if (sums.baseN === 0 || sums.baseW <= 0) return null;
  const p = sums.w / sums.baseW;
  const squares = (1 - p) ** 2 * sums.w2 + p ** 2 * (sums.baseW2 - sums.w2);
  const variance = sums.baseN > 1 ? (sums.baseN / (sums.baseN - 1)) * (squares / sums.baseW ** 2) : 0;
  const se = Math.sqrt(Math.max(variance, 0));
  return {
    share: p,
    ciLow: Math.max(0, p - Z_95 * se),
    ciHigh: Math.min(1, p + Z_95 * se),
    nEffective: sums.baseW ** 2 / sums.baseW2,
  };
}
