export interface ReportInput {
  name: string;
  /** The report's text; undefined when the file is missing or could not be read. */
  text?: string;
  readError?: string;
  /** How the command that should have written the report ended, when known. */
  exitCode?: number;
}

export interface Summary {
  passed: number;
  failed: number;
  skipped: number;
  /** One line per report, a line per problem under it, and the closing `tests: …` line. */
  lines: string[];
}

export const EXPECTED_REPORTS: string[];
export function summarise(reports: ReportInput[], opts?: { steps?: Record<string, number>; cwd?: string }): Summary;
export function readReports(dir: string, expected?: string[]): { reports: ReportInput[]; steps: Record<string, number> };
