// JUnit XML (the Apache Ant format CI systems read): one test case per row, a failure where a verdict or the gate fails,
// an error where a row is missing or errored or the run is unfinished.
import { formatPValue, formatScore } from '../../core/format.js';
import { contextFigures, floorText, type Report } from '../report.js';
import { outcomeLabel, rowName, verdictLine, type Comparison, type CompareRow } from '../compare.js';

interface Case {
  classname: string;
  name: string;
  failure?: { type: string; message: string; text: string };
  error?: { type: string; message: string; text: string };
  /** A row that does not measure the card's row here (not comparable): skipped, with the reason. */
  skipped?: string;
}

interface Suite {
  name: string;
  created: string;
  seconds: number;
  properties: Array<[string, string]>;
  cases: Case[];
  out: string;
}

const num = formatScore;
const pValue = formatPValue;

export function renderJunit(report: Report): string {
  const { run } = report;
  const cases = report.results.map((r): Case => {
    const c: Case = { classname: `cardeval.${r.eval}.${r.variant}`, name: r.metric };
    const bounds = r.uncertain > 0 && r.score_bounds ? `, uncertain ${r.uncertain}: score between ${num(r.score_bounds[0])} and ${num(r.score_bounds[1])}` : ', uncertain 0';
    const measured = `measured ${num(r.score)} (95% CI ${r.ci95 ? `${num(r.ci95[0])}–${num(r.ci95[1])}` : '—'}, n ${r.n}, no answer ${r.no_answer}, errors ${r.errors}${bounds})`;
    // A row with nothing measured, or with items that errored, is no evidence of a pass: CI must not read it as one.
    if (r.comparability === 'not-comparable' && !r.below_floor) {
      c.skipped = `not-comparable${r.skipped ? ' (not run)' : ''}: ${r.comparability_reason}`;
    } else if (r.n === 0 && r.errors > 0) {
      c.error = { type: 'no-scores', message: `${r.eval}:${r.variant} ${r.metric}: all ${r.errors} items ended in errors`, text: measured };
    } else if (r.n === 0 && r.headline) {
      c.error = { type: 'missing', message: `${r.eval}:${r.variant} ${r.metric}: no item was scored`, text: measured };
    } else if (r.n === 0) {
      // A secondary metric can have nothing to count (e.g. no control row among the samples a --limit drew).
      c.skipped = `${r.metric}: no item of this run counts towards it`;
    } else if (r.errors > 0) {
      c.error = { type: 'errors', message: `${r.eval}:${r.variant} ${r.metric}: ${r.errors} items ended in errors`, text: measured };
    } else if (r.below_floor) {
      c.failure = { type: 'below-floor', message: `${r.eval}:${r.variant} ${r.metric}: ${floorText(r)}`, text: measured };
    } else if (r.headline && r.verdict === 'lower' && r.reference) {
      const ref = `${num(r.reference.value)} (${r.reference.model}, ${r.reference.document} ${r.reference.table})`;
      c.failure = {
        type: 'verdict-lower',
        message: `${r.eval}:${r.variant} ${r.metric}: ${measured} is below the published ${ref}`,
        text: [measured, ...r.published.map((p) => `published ${num(p.value)}: ${p.model}, ${p.document} ${p.table}`)].join('\n'),
      };
    }
    return c;
  });
  // An unfinished run is never green, whatever its rows say: the items not yet run could fail.
  if (run.status !== 'completed') {
    cases.unshift({
      classname: 'cardeval.run',
      name: 'status',
      error: { type: `run-${run.status}`, message: `run ${run.id} is ${run.status}, not completed: cardeval resume ${run.id}`, text: `status ${run.status}` },
    });
  }
  const seconds = run.finished ? Math.max(0, (Date.parse(run.finished) - Date.parse(run.created)) / 1000) : 0;
  return junitDocument({
    name: `cardeval.report.${run.id}`,
    created: run.created,
    seconds,
    properties: [['run', run.id], ['model', run.model], ['status', run.status], ['provider', run.provider], ['role_profile', run.role_profile], ['reasoning_effort', run.reasoning_effort ?? 'not set (API default)']],
    cases,
    out: report.results
      .map((r) => `${r.eval}:${r.variant} ${r.metric}: score ${num(r.score)} n ${r.n} no_answer ${r.no_answer} uncertain ${r.uncertain}` +
        (r.uncertain > 0 && r.score_bounds ? ` score_bounds ${num(r.score_bounds[0])}–${num(r.score_bounds[1])}` : '') +
        ` verdict ${r.verdict}${r.verdict_reason ? ` (${r.verdict_reason})` : ''} reasoning_effort ${r.reasoning_effort ?? 'not-set'} (${r.comparability}: ${r.comparability_reason})` +
        // A related test's figures: context, never a verdict.
        contextFigures(r, report.run.reference_document).map((p) => `\n  context (a related test, never verdicted): ${p.document} ${p.table} ${p.model} ${num(p.value)}`).join(''))
      .join('\n'),
  });
}

export function renderComparisonJunit(cmp: Comparison): string {
  const cases = cmp.results.map((r): Case => {
    const c: Case = { classname: `cardeval.compare.${r.eval}.${r.variant}`, name: r.metric };
    if (r.n === 0) {
      c.error = { type: 'no-pairs', message: `${rowName(r)}: no item was scored in both runs`, text: `${r.unpaired} shared items unpaired` };
    } else if (r.regression) {
      c.failure = { type: 'regression', message: `${rowName(r)}: ${describe(r)}`, text: details(r) };
    } else if (r.gated && r.outcome === 'inconclusive') {
      c.skipped = `inconclusive: ${describe(r)}`;
    }
    return c;
  });
  // The candidate leaving the base's items unscored fails the gate whatever the rows say.
  if (cmp.unscored.failed) {
    const { candidate_unscored: left, base_scored: of } = cmp.unscored;
    cases.unshift({
      classname: 'cardeval.compare',
      name: 'unscored',
      failure: { type: 'unscored', message: `candidate ${cmp.candidate.id} left ${left} of the ${of} items the base scored unscored (over ${cmp.unscored.limit * 100}%)`, text: `unscored ${left} of ${of}` },
    });
  }
  return junitDocument({
    name: `cardeval.compare.${cmp.base.id}.${cmp.candidate.id}`,
    created: cmp.candidate.created,
    seconds: 0,
    properties: [
      ['base', cmp.base.id], ['base_model', cmp.base.model], ['candidate', cmp.candidate.id], ['candidate_model', cmp.candidate.model],
      ['alpha', String(cmp.alpha)], ['max_drop', String(cmp.max_drop)], ['changed_samples', String(cmp.changed_samples)],
    ],
    cases,
    out: [verdictLine(cmp), ...cmp.warnings.map((w) => `warning: ${w}`), ...cmp.results.map((r) => `${rowName(r)}: ${describe(r)}`)].join('\n'),
  });
}

function describe(r: CompareRow): string {
  if (!r.n) return `no paired samples, nothing tested: ${outcomeLabel(r)}`;
  return `${num(r.base_score)} → ${num(r.candidate_score)} over ${r.n} paired samples, p ${pValue(r.p_value)}, p drop > max ${pValue(r.p_holm ?? r.p_regression)}: ${outcomeLabel(r)}`;
}

function details(r: CompareRow): string {
  return [
    describe(r),
    `difference ${num(r.difference)} (95% CI ${r.difference_ci95 ? `${num(r.difference_ci95[0])}–${num(r.difference_ci95[1])}` : '—'})`,
    `fell (${r.pass_to_fail}): ${r.flipped.pass_to_fail.join(', ')}`,
    `rose (${r.fail_to_pass}): ${r.flipped.fail_to_pass.join(', ')}`,
  ].join('\n');
}

function junitDocument(s: Suite): string {
  const failures = s.cases.filter((c) => c.failure).length;
  const errors = s.cases.filter((c) => c.error).length;
  const skipped = s.cases.filter((c) => c.skipped !== undefined).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<testsuites>',
    `  <testsuite package="cardeval" id="0" name="${attr(s.name)}" timestamp="${attr(timestamp(s.created))}" hostname="localhost" ` +
      `tests="${s.cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${s.seconds.toFixed(3)}">`,
    '    <properties>',
    ...s.properties.map(([k, v]) => `      <property name="${attr(k)}" value="${attr(v)}"/>`),
    '    </properties>',
  ];
  for (const c of s.cases) {
    const open = `    <testcase name="${attr(c.name)}" classname="${attr(c.classname)}" time="0"`;
    const problem = c.failure ? ['failure', c.failure] as const : c.error ? ['error', c.error] as const : undefined;
    if (!problem && c.skipped !== undefined) {
      lines.push(`${open}>`, `      <skipped message="${attr(c.skipped)}"/>`, '    </testcase>');
      continue;
    }
    if (!problem) {
      lines.push(`${open}/>`);
      continue;
    }
    const [tag, p] = problem;
    lines.push(`${open}>`, `      <${tag} type="${attr(p.type)}" message="${attr(p.message)}">${text(p.text)}</${tag}>`, '    </testcase>');
  }
  lines.push(`    <system-out>${text(s.out)}</system-out>`, '    <system-err></system-err>', '  </testsuite>', '</testsuites>');
  return lines.join('\n') + '\n';
}

/** xs:dateTime without a zone, as the format asks. */
function timestamp(iso: string): string {
  const d = new Date(iso);
  return (Number.isNaN(d.getTime()) ? new Date(0) : d).toISOString().slice(0, 19);
}

/** Character data: characters XML 1.0 forbids (controls, lone surrogates) become U+FFFD, markup is escaped. */
function text(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** An attribute value: also quotes, and whitespace kept as character references so parsers do not fold it. */
function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
