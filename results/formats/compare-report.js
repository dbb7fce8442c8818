// The comparison page's script: lists every flipped sample, filters them by row, direction and text, and opens each side by side.
// Everything from the runs (model answers included) reaches the page through textContent, never as markup.
(() => {
  'use strict';
  const data = JSON.parse(document.getElementById('cardeval-data').textContent);
  const list = document.getElementById('flips');
  const rowSelect = document.getElementById('filter-row');
  const directionSelect = document.getElementById('filter-direction');
  const textInput = document.getElementById('filter-text');
  const count = document.getElementById('filter-count');

  /** worse or better: a fall is worse where higher is better. */
  const directionOf = (f) => ((f.direction === 'fell') === data.rows[f.row].higher_is_better ? 'worse' : 'better');
  const gradeOf = (s) => (!s ? 'missing' : s.error ? 'error' : s.no_answer ? 'no-answer' : s.pass === null ? 'ungraded' : s.pass ? 'pass' : 'fail');

  // The text a search looks through, built once per flip.
  const haystacks = data.flips.map((f) => [
    f.sample_id, data.rows[f.row].name,
    ...f.epochs.flatMap((e) => [
      ...e.messages.map((m) => m.content || ''),
      ...[e.base, e.candidate].flatMap((s) => (s ? [s.response || '', s.reason || '', s.error || '', ...s.tool_calls.map((c) => JSON.stringify(c))] : [])),
    ]),
  ].join('\n').toLowerCase());

  function sideView(title, s) {
    const box = el('div', 'side');
    const grade = gradeOf(s);
    box.append(el('h4', null, title, ' ', el('span', `badge ${grade}`, grade.toUpperCase()), s && s.uncertain ? ' (uncertain)' : ''));
    if (!s) return (box.append(el('p', 'muted', 'This run has no such item.')), box);
    if (s.reason) box.append(el('p', 'reason', s.reason));
    if (s.error) box.append(el('p', 'error-text', `error: ${s.error}`));
    box.append(el('div', 'msg role-assistant response', el('pre', null, s.response === null ? '(no response stored)' : s.response)));
    for (const c of s.tool_calls || []) box.append(el('div', 'tool-call', el('span', 'tool-name', `tool call ${c.function ? c.function.name : '?'}`), el('pre', null, c.function ? c.function.arguments : JSON.stringify(c))));
    return box;
  }

  function buildBody(node, f) {
    const body = node.querySelector('.flip-body');
    for (const e of f.epochs) {
      if (f.epochs.length > 1) body.append(el('h4', null, `epoch ${e.epoch}`));
      const conversation = el('div', 'conversation');
      for (const m of e.messages) conversation.append(el('div', `msg role-${m.role}`, el('div', 'role', m.role), el('pre', null, m.content || '')));
      if (e.messages.length === 0) conversation.append(el('p', 'muted', 'No conversation was stored for this item.'));
      body.append(conversation, el('div', 'sides', sideView('base', e.base), sideView('candidate', e.candidate)));
    }
    if (f.epochs.length === 0) body.append(el('p', 'muted', 'Neither run stored this sample\'s items.'));
  }

  const nodes = data.flips.map((f) => {
    const direction = directionOf(f);
    const first = f.epochs[0] || {};
    const node = el('details', 'flip',
      el('summary', null,
        el('span', `badge ${direction === 'worse' ? 'fail' : 'pass'}`, direction.toUpperCase()), ' ',
        el('span', 'sample-id', f.sample_id), ' ',
        el('span', 'row-name', data.rows[f.row].name), ' ',
        el('span', 'reason', `${gradeOf(first.base)} → ${gradeOf(first.candidate)}`)),
      el('div', 'flip-body'));
    node.dataset.row = String(f.row);
    node.dataset.direction = direction;
    node.addEventListener('toggle', () => {
      if (node.open && !node.dataset.built) {
        buildBody(node, f);
        node.dataset.built = '1';
      }
    });
    list.append(node);
    return node;
  });

  function applyFilters() {
    const row = rowSelect.value;
    const direction = directionSelect.value;
    const words = textInput.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    nodes.forEach((node, i) => {
      const f = data.flips[i];
      const visible = (row === '' || String(f.row) === row) && (direction === '' || node.dataset.direction === direction) && words.every((w) => haystacks[i].includes(w));
      node.hidden = !visible;
      if (visible) shown++;
    });
    count.textContent = `${shown} of ${nodes.length} flipped samples`;
  }
  for (const control of [rowSelect, directionSelect]) control.addEventListener('change', applyFilters);
  textInput.addEventListener('input', applyFilters);
  // A count in the rows table shows that row's flips in that direction.
  for (const a of document.querySelectorAll('a.show-flips')) {
    a.addEventListener('click', () => {
      rowSelect.value = a.dataset.row;
      directionSelect.value = a.dataset.direction;
      applyFilters();
    });
  }
  applyFilters();
})();
