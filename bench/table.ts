/**
 * The benchmark table: every bench module returns rows, `npm run bench` prints them together.
 */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** Upper bound the value must stay under (docs/architecture.md, "Budgets"); absent for rows that only inform. */
  budget?: number;
  /** Overrides the budget comparison (e.g. false when the measurement itself failed). */
  ok?: boolean;
  /** Decimals to print (default: one below 100, none above), e.g. 2 for a ratio near its budget. */
  digits?: number;
  note?: string;
}

export function rowOk(row: BenchRow): boolean | undefined {
  if (row.ok !== undefined) return row.ok;
  if (row.budget === undefined) return undefined;
  return Number.isFinite(row.value) && row.value <= row.budget;
}

function formatNumber(value: number, digits?: number): string {
  if (!Number.isFinite(value)) return '—';
  if (digits !== undefined) return value.toFixed(digits);
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(1);
}

export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['what', 'value', 'budget', 'ok', 'note'];
  const body = rows.map((row) => {
    const ok = rowOk(row);
    return [
      row.name,
      `${formatNumber(row.value, row.digits)} ${row.unit}`,
      row.budget === undefined ? '' : `≤ ${formatNumber(row.budget, row.digits)} ${row.unit}`,
      ok === undefined ? '' : ok ? 'ok' : 'OVER',
      row.note ?? '',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 1 || i === 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export function printTable(rows: readonly BenchRow[]): void {
  process.stdout.write(`${formatTable(rows)}\n`);
}
