// The JSON report (docs/report.schema.json): fixed, scripts outside the project read it.
import type { Report } from '../report.js';

export function renderJson(report: Report): string {
  return JSON.stringify(report, null, 2) + '\n';
}
