/** Equality-based label selectors as the API server reads them: `a=b`, `a==b`, `a!=b`, `a`, `!a`, joined by commas. */

/** True when labels satisfy every requirement of the selector (an empty or missing selector matches everything). */
export function matchesSelector(selector: string | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  return selector
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .every((req) => {
      const ne = req.match(/^([^!=]+)!=(.*)$/);
      if (ne) return labels[ne[1].trim()] !== ne[2].trim();
      const eq = req.match(/^([^!=]+)==?(.*)$/);
      if (eq) return labels[eq[1].trim()] === eq[2].trim();
      if (req.startsWith('!')) return !(req.slice(1) in labels);
      return req in labels;
    });
}
