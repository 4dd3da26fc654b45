/** One measured figure, as printed to the console and written to RESULTS.md. */
export type Row = { figure: string; value: string };

export function consoleTable(rows: Row[]): string {
  const width = Math.max(...rows.map((row) => row.figure.length));
  return rows.map((row) => `  ${row.figure.padEnd(width)}  ${row.value}`).join('\n');
}

export function markdownTable(rows: Row[]): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  return ['| Figure | Measured |', '| --- | --- |', ...rows.map((row) => `| ${cell(row.figure)} | ${cell(row.value)} |`)].join('\n');
}
