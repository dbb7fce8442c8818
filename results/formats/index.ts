// The report formats by name: each a function (report, options) → string. The CLI offers exactly these names.
import { redact } from '../../core/errors.js';
import type { Report } from '../report.js';
import type { Comparison } from '../compare.js';
import { renderJson } from './json.js';
import { renderTable } from './table.js';
import { renderMarkdown, renderComparisonMarkdown } from './markdown.js';
import { renderJunit, renderComparisonJunit } from './junit.js';
import { renderHtml, type DrillDownReader } from './html.js';
import { renderComparisonTable } from './compare-table.js';
import { renderComparisonHtml } from './compare-html.js';

export interface ReportFormatOptions {
  /** The samples behind each row (a report's drill-down, a comparison's flipped samples), for formats that show them (html); a format never reads the store itself. */
  drillDown?: DrillDownReader;
  /** HTML: every passing sample, not a seeded sample of them per row (`report --all-samples`). */
  allSamples?: boolean;
  /** Table: the terminal's width when stdout is one (the table fits it); unset when piped or written to a file. */
  width?: number;
}

export type ReportFormat = (report: Report, options: ReportFormatOptions) => string;
export type CompareFormat = (comparison: Comparison, options: ReportFormatOptions) => string;

export const reportFormats: Record<string, ReportFormat> = {
  table: (report, options) => renderTable(report, options),
  markdown: (report) => renderMarkdown(report),
  json: (report) => renderJson(report),
  junit: (report) => renderJunit(report),
  html: (report, options) => renderHtml(report, options),
};

export const compareFormats: Record<string, CompareFormat> = {
  table: (comparison, options) => renderComparisonTable(comparison, options),
  markdown: (comparison) => renderComparisonMarkdown(comparison),
  json: (comparison) => JSON.stringify(comparison, null, 2) + '\n',
  junit: (comparison) => renderComparisonJunit(comparison),
  html: (comparison, options) => renderComparisonHtml(comparison, options),
};

/** The named format, its output redacted (a database made before answers were redacted may hold a key). */
export function reportFormat(name: string): ReportFormat {
  const format = reportFormats[name];
  if (!format) throw new Error(`no report format "${name}"`); // the parser offers only known names: a bug
  return (report, options) => redact(format(report, options));
}

export function compareFormat(name: string): CompareFormat {
  const format = compareFormats[name];
  if (!format) throw new Error(`no comparison format "${name}"`);
  return (comparison, options) => redact(format(comparison, options));
}
