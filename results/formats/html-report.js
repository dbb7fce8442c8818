// The HTML report's script: draws the plot with Chart.js and builds each drill-down the first time it opens.
// Everything from the run (model answers included) reaches the page through textContent, never as markup.
(() => {
  'use strict';
  const data = JSON.parse(document.getElementById('cardeval-data').textContent);

  const pointStyles = ['rectRot', 'triangle', 'rect', 'star', 'crossRot', 'rectRounded', 'cross', 'line'];
  const colours = ['#d97706', '#059669', '#7c3aed', '#db2777', '#0891b2', '#65a30d', '#dc2626', '#4b5563', '#92400e', '#1e40af'];
  const fixed = (v) => (v === null || v === undefined ? '—' : Number(v).toFixed(2));

  function drawPlot() {
    const canvas = document.getElementById('plot');
    const { labels, scores, ci, n, documents, verdictFigures } = data.plot;
    if (!canvas || labels.length === 0) return;
    /* global Chart */
    new Chart(canvas, {
      type: 'bar',
      data: {
        labels,
        datasets: [
          {
            type: 'bar', label: 'measured, 95% CI', data: ci, indexAxis: 'y', grouped: false, order: 9, pointStyle: 'rect',
            backgroundColor: 'rgba(37, 99, 235, 0.22)', borderColor: 'rgba(37, 99, 235, 0.85)', borderWidth: 1, barPercentage: 0.5, categoryPercentage: 1,
          },
          {
            type: 'line', label: 'measured', data: scores.map((x, i) => ({ x, y: labels[i], n: n[i] })), indexAxis: 'y', showLine: false, order: 0,
            pointRadius: 6, pointHoverRadius: 8, pointStyle: 'circle', backgroundColor: '#1d4ed8', borderColor: '#1e3a8a',
          },
          {
            type: 'line', label: "verdict's figure", data: verdictFigures, indexAxis: 'y', showLine: false, order: 0,
            pointStyle: 'circle', pointRadius: 10, pointHoverRadius: 12, borderWidth: 3, backgroundColor: 'rgba(0, 0, 0, 0)', borderColor: '#111827',
          },
          ...documents.map((d, k) => ({
            type: 'line', label: d.document, data: d.points, indexAxis: 'y', showLine: false, order: 1,
            pointStyle: pointStyles[k % pointStyles.length], pointRadius: 5, pointHoverRadius: 7, borderWidth: 1.5,
            backgroundColor: colours[k % colours.length], borderColor: colours[k % colours.length],
          })),
        ],
      },
      options: {
        indexAxis: 'y',
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        // Figures of 1.00 sit on the axis's end: room for their markers.
        layout: { padding: { right: 12 } },
        datasets: { line: { clip: 10 } },
        scales: {
          x: { type: 'linear', min: 0, max: 1, title: { display: true, text: 'score (share of samples passed; higher is better)' } },
          y: { type: 'category', ticks: { autoSkip: false } },
        },
        plugins: {
          legend: { position: 'bottom', labels: { usePointStyle: true } },
          tooltip: {
            callbacks: {
              label(ctx) {
                const raw = ctx.raw;
                if (ctx.datasetIndex === 0) return `measured 95% CI: ${fixed(raw[0])}–${fixed(raw[1])}`;
                if (ctx.datasetIndex === 1) return `measured: ${fixed(raw.x)} (n ${raw.n})`;
                if (ctx.datasetIndex === 2) return `verdict ${raw.verdict} against ${raw.model}, ${raw.document}: ${fixed(raw.x)}`;
                return `${raw.model} — ${ctx.dataset.label}: ${fixed(raw.x)}`;
              },
            },
          },
        },
      },
    });
  }

  /** One plot per row: the pass rate of each tactic, with its 95% interval as a floating bar. */
  function drawTactics() {
    for (const canvas of document.querySelectorAll('canvas[data-tactic]')) {
      const t = data.tactics[Number(canvas.dataset.tactic)];
      new Chart(canvas, {
        type: 'bar',
        data: {
          labels: t.keys,
          datasets: [
            {
              type: 'bar', label: 'pass rate, 95% CI', data: t.ci, indexAxis: 'y', grouped: false, order: 9,
              backgroundColor: 'rgba(37, 99, 235, 0.22)', borderColor: 'rgba(37, 99, 235, 0.85)', borderWidth: 1, barPercentage: 0.6, categoryPercentage: 1,
            },
            {
              type: 'line', label: 'pass rate', data: t.rates.map((x, i) => ({ x, y: t.keys[i], n: t.n[i] })), indexAxis: 'y', showLine: false, order: 0,
              pointRadius: 4, pointStyle: 'circle', backgroundColor: '#1d4ed8', borderColor: '#1e3a8a',
            },
          ],
        },
        options: {
          indexAxis: 'y', animation: false, responsive: true, maintainAspectRatio: false,
          scales: {
            x: { type: 'linear', min: 0, max: 1, title: { display: true, text: 'pass rate (share of samples that kept the rule; higher is better)' } },
            y: { type: 'category', ticks: { autoSkip: false } },
          },
          plugins: {
            legend: { position: 'bottom' },
            tooltip: {
              callbacks: {
                label(ctx) {
                  const raw = ctx.raw;
                  if (ctx.datasetIndex === 0) return raw ? `95% CI: ${fixed(raw[0])}–${fixed(raw[1])}` : '';
                  return `pass rate ${fixed(raw.x)} (n ${raw.n})`;
                },
              },
            },
          },
        },
      });
    }
  }

  function toolCalls(calls) {
    if (!calls || calls.length === 0) return null;
    return el('div', 'tool-calls', ...calls.map((c) => el('div', 'tool-call',
      el('span', 'tool-name', `tool call ${c.function ? c.function.name : '?'}`),
      el('pre', null, c.function ? c.function.arguments : JSON.stringify(c)))));
  }

  function buildSample(node, sample) {
    const item = data.items[sample.key] || {};
    const conversation = data.conversations[item.conversation] || {};
    const answer = data.answers[item.answer] || {};
    const body = node.querySelector('.sample-body');
    const messages = conversation.messages || [];
    body.append(el('h4', null, 'Conversation (as sent)'));
    if (messages.length === 0) body.append(el('p', 'muted', 'No conversation was stored for this item.'));
    for (const m of messages) {
      body.append(el('div', `msg role-${m.role}`,
        el('div', 'role', m.role + (m.tool_call_id ? ` (result of ${m.tool_call_id})` : '')),
        el('pre', null, m.content || ''),
        toolCalls(m.tool_calls)));
    }
    if (conversation.logical_messages) {
      body.append(el('p', 'muted', "The run's role profile changed these roles; the eval wrote: " +
        conversation.logical_messages.map((m) => m.role).join(', ') + '.'));
    }
    body.append(el('h4', null, 'Response' + (item.finish_reason && item.finish_reason !== 'stop' ? ` (finish_reason: ${item.finish_reason})` : '')));
    if (answer.response === null || answer.response === undefined) body.append(el('p', 'muted', 'No response was stored for this item.'));
    else body.append(el('div', 'msg role-assistant response', el('pre', null, answer.response), toolCalls(answer.tool_calls)));
    body.append(el('h4', null, 'Grader'));
    const verdict = sample.no_answer ? 'no-answer' : sample.pass === null ? 'error' : sample.pass ? 'pass' : 'fail';
    body.append(el('p', 'grader', el('span', `badge ${verdict}`, verdict.toUpperCase()), ' ', sample.uncertain ? "(uncertain: the grader's best guess) " : '', sample.reason || ''));
    if (sample.evidence) body.append(el('p', 'evidence', 'evidence: ', el('code', null, sample.evidence)));
    if (item.error) body.append(el('p', 'error-text', `error (${item.error_kind || 'unknown'}): ${item.error}`));
  }

  // The filters: outcome, tactic and words, applied to every row's samples (built or not yet).
  const outcomeSelect = document.getElementById('filter-outcome');
  const tacticSelect = document.getElementById('filter-tactic');
  const textInput = document.getElementById('filter-text');
  const outcomeOf = (s) => (s.no_answer ? 'no-answer' : s.pass === null ? 'error' : s.uncertain ? 'uncertain' : s.pass ? 'pass' : 'fail');
  const haystacks = new Map();
  function haystack(s) {
    if (!haystacks.has(s.key)) {
      const item = data.items[s.key] || {};
      const conversation = data.conversations[item.conversation] || {};
      const answer = data.answers[item.answer] || {};
      haystacks.set(s.key, [item.sample_id, item.tactic, s.reason, s.evidence, item.error, answer.response, ...(conversation.messages || []).map((m) => m.content),
        ...(answer.tool_calls || []).map((c) => JSON.stringify(c))].filter(Boolean).join('\n').toLowerCase());
    }
    return haystacks.get(s.key);
  }
  function matches(s) {
    const outcome = outcomeSelect ? outcomeSelect.value : '';
    const tactic = tacticSelect ? tacticSelect.value : '';
    const words = textInput ? textInput.value.toLowerCase().split(/\s+/).filter(Boolean) : [];
    return (outcome === '' || outcomeOf(s) === outcome) && (tactic === '' || (data.items[s.key] || {}).tactic === tactic) && words.every((w) => haystack(s).includes(w));
  }
  function applyFilters() {
    let shown = 0;
    let all = 0;
    for (const node of document.querySelectorAll('details.row')) {
      const row = data.rows[Number(node.dataset.row)];
      const matching = new Set(row.samples.filter(matches).map((s) => s.key));
      shown += matching.size;
      all += row.samples.length;
      for (const sample of node.querySelectorAll('details.sample')) sample.hidden = !matching.has(sample.dataset.key);
      node.querySelector('.row-matches').textContent = matching.size === row.samples.length ? '' : ` — ${matching.size} of ${row.samples.length} listed samples match`;
    }
    const count = document.getElementById('filter-count');
    if (count) count.textContent = `${shown} of ${all} listed samples match`;
  }
  for (const control of [outcomeSelect, tacticSelect]) if (control) control.addEventListener('change', applyFilters);
  if (textInput) textInput.addEventListener('input', applyFilters);

  function buildRow(node) {
    const row = data.rows[Number(node.dataset.row)];
    const body = node.querySelector('.row-body');
    if (row.samples.length === 0) body.append(el('p', 'muted', 'No sample was scored on this row.'));
    for (const s of row.samples) {
      const item = data.items[s.key] || {};
      const verdict = s.no_answer ? 'no-answer' : s.pass === null ? 'error' : s.pass ? 'pass' : 'fail';
      const summary = el('summary', null,
        el('span', `badge ${verdict}`, verdict.toUpperCase()), ' ',
        s.uncertain ? el('span', 'badge uncertain', 'UNCERTAIN') : null, s.uncertain ? ' ' : null,
        el('span', 'sample-id', item.sample_id + (item.epoch > 0 ? ` #${item.epoch}` : '')), ' ',
        item.tactic ? el('span', 'tactic', item.tactic) : null, item.tactic ? ' ' : null,
        el('span', 'reason', s.reason || ''));
      const sample = el('details', 'sample', summary, el('div', 'sample-body'));
      sample.dataset.key = s.key;
      sample.hidden = !matches(s);
      sample.addEventListener('toggle', () => {
        if (sample.open && !sample.dataset.built) {
          buildSample(sample, s);
          sample.dataset.built = '1';
        }
      });
      body.append(sample);
    }
  }

  for (const node of document.querySelectorAll('details.row')) {
    node.addEventListener('toggle', () => {
      if (node.open && !node.dataset.built) {
        buildRow(node);
        node.dataset.built = '1';
      }
    });
  }
  // A link from the results table opens its row's drill-down.
  for (const a of document.querySelectorAll('a.drill')) {
    a.addEventListener('click', () => {
      const target = document.getElementById(a.getAttribute('href').slice(1));
      if (target) target.open = true;
    });
  }

  drawPlot();
  drawTactics();
  applyFilters();
})();
