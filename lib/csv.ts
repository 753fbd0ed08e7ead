/** One CSV field (RFC 4180) for any export: quoted when needed, quotes doubled. */
export type CsvValue = string | number | boolean | null;

/**
 * A text that a spreadsheet would run as a formula (leading =, +, -, @, tab or CR) is prefixed with a
 * quote: exports hold operator-typed reasons, and a CSV opened in a spreadsheet must not execute them.
 */
export function csvField(v: CsvValue): string {
  if (v === null) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  if (typeof v === "boolean") return v ? "true" : "false";
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One CSV line of fields (no line terminator). */
export function csvLine(fields: readonly CsvValue[]): string {
  return fields.map(csvField).join(",");
}
