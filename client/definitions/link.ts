/**
 * Where the definitions page defines a figure, from the figure's path in the metrics object:
 * `prevalence.cp_open_rate_per_10k` and `drift.cp_open_by_duration.2y_plus` are defined with
 * their count, `prevalence.cp_open` and `drift.cp_open_by_duration`.
 */
export function definitionHref(figurePath: string): string {
  const [family, key] = figurePath.split('.');
  if (!family || !key) return './definitions.html';
  return `./definitions.html#${family}.${key.replace(/_rate_per_10k$/, '')}`;
}
