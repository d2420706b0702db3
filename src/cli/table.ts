/** Plain-text tables in the style of kubectl: upper-case headers, columns padded with three spaces. */

/** `text` safe for a terminal: control characters (escape sequences from an untrusted API server or kubeconfig) become '?'. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** Formats rows under headers; every cell is a string, shown with control characters replaced (see {@link printable}). */
export function table(headers: string[], rawRows: string[][]): string {
  const rows = rawRows.map((r) => r.map(printable));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('   ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}
