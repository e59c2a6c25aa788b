// ownup's page: sends the draft to POST /api/analyze as the person types, marks what the
// report found in the text, and shows the score, what is missing, the suggestions and the
// breakdown. Plain script, no build step, nothing loaded from elsewhere.
'use strict';

(() => {
  // A check runs when typing pauses, and during long typing at least this often.
  const DEBOUNCE_MS = 300;
  const MAX_WAIT_MS = 1500;

  // Deflections are underlined in their category's colour; ownership is shaded green.
  const CATEGORIES = {
    regret: ['Regret', '#2e8b3d'],
    responsibility: ['Responsibility', '#2e8b3d'],
    specificity: ['Names the act', '#2e8b3d'],
    impact: ['Impact on them', '#2e8b3d'],
    repair: ['Repair', '#2e8b3d'],
    change: ['Change', '#2e8b3d'],
    forgiveness: ['Asks forgiveness', '#2e8b3d'],
    but_undoing: ['A “but” that takes it back', '#d81b60'],
    conditional: ['Conditional (“if”)', '#e65100'],
    feelings_shift: ['Sorry for their feelings', '#8e24aa'],
    blame_shift: ['Blame shift', '#c62828'],
    victim_framing: ['Victim framing', '#6d4c41'],
    minimizing: ['Minimizing', '#9e7700'],
    excuse: ['Excuse', '#b45309'],
    intent_over_impact: ['Intent over impact', '#1e6fd0'],
    agentless: ['No one did it', '#00796b'],
    vague_object: ['Vague about what', '#546e7a'],
    pressure: ['Pressure to forgive', '#3949ab'],
    counter_accusation: ['Counter-accusation', '#880e4f'],
    pathologizing: ['Pathologizing', '#5e35b1'],
    denial: ['Denial', '#212121'],
    self_flagellation: ['Self-flagellation', '#0277bd'],
    grudging: ['Grudging', '#6b7d1a'],
  };

  // The ownership components, strongest first, with what to write when one is missing.
  // Used until the report carries its own `missing` list.
  const COMPONENTS = [
    ['responsibility', 'Say plainly that it was your fault: “I was wrong to…”, “That’s on me.”'],
    ['repair', 'Offer to make it right, concretely (“I’ll replace it by Friday”), or ask what would help.'],
    ['regret', 'Say you are sorry, in your own words: “I’m sorry I…”.'],
    ['specificity', 'Name what you did, in the first person: “I’m sorry I shared your address.”'],
    ['impact', 'Say what it did to them: “It embarrassed you in front of your team.”'],
    ['change', 'Say what you will do differently: “From now on I’ll…”.'],
    ['forgiveness', 'If it fits, ask (never demand) forgiveness: “I hope you can forgive me.”'],
  ];

  const VERDICTS = {
    no_apology: ['No apology found', 'ownup found no apology in the writer’s own voice. Start with one: “I’m sorry I…”.'],
    deflecting: ['Deflecting', 'The apology is taken back by what surrounds it.'],
    weak: ['Weak', 'Little ownership, or ownership undercut by deflection.'],
    partial: ['Partial', 'Real ownership, with gaps.'],
    full: ['Full ownership', 'Responsibility, the act and amends, without deflection.'],
  };

  const SAMPLES = [
    'I’m sorry if anyone was offended by my comments yesterday. It was just a joke, but I can see some people took it the wrong way.',
    'Mistakes were made in the handling of your order, and we apologize for any inconvenience this may have caused.',
    'Sorry I was late again. Traffic was terrible and my boss kept me back, but you know how it is. Can we just move on?',
    'He keeps saying it was “just a joke”. It was not: I am sorry I laughed along. I should have stopped him, and I will tell him so today.',
    'Hey Sam,\n\nI’m sorry I snapped at you in the meeting yesterday. I was stressed about the launch, but that’s no excuse: it was wrong of me, and I embarrassed you in front of the whole team.\n\nI’ve already told Priya the numbers were my mistake, not yours, and I’ll say so at Monday’s stand-up too. From now on I’ll raise problems with you one-to-one first.',
  ];

  const $ = (id) => document.getElementById(id);
  const draft = $('draft');
  const backdrop = $('backdrop');
  const tooltip = $('tooltip');

  const state = {
    report: null, // the last report, for the text in `reportText`
    reportText: '',
    marks: [], // {start, end} in UTF-16 indices of the current text, {f, i}: the finding
    segments: [], // backdrop spans and the marks each covers
    seq: 0,
    controller: null,
    timer: 0,
    pendingSince: 0, // when the oldest edit not yet sent was made
    sample: -1,
    tip: null, // {source, marks, key}
    dismissed: '', // the marks whose note Escape closed, not shown again while the cursor stays
    lastAnnounced: '',
    lastScore: '',
  };

  const label = (c) => (CATEGORIES[c] || [c.replace(/_/g, ' ')])[0];
  const colour = (c) => (CATEGORIES[c] || [null, '#57606a'])[1];

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') node.className = v;
      else if (k === 'style') node.style.cssText = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const c of children) if (c != null) node.append(c);
    return node;
  }

  // The report counts UTF-8 bytes; the textarea counts UTF-16 units.
  function byteOffsetsToIndices(text, offsets) {
    const wanted = [...new Set(offsets)].sort((a, b) => a - b);
    const map = new Map();
    let bytes = 0;
    let k = 0;
    for (let i = 0; i <= text.length && k < wanted.length; ) {
      while (k < wanted.length && wanted[k] <= bytes) map.set(wanted[k++], i);
      if (i === text.length) break;
      const cp = text.codePointAt(i);
      bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      i += cp >= 0x10000 ? 2 : 1;
    }
    for (; k < wanted.length; k++) map.set(wanted[k], text.length);
    return map;
  }

  function marksOf(report, text) {
    const offsets = report.findings.flatMap((f) => [f.start, f.end]);
    const at = byteOffsetsToIndices(text, offsets);
    return report.findings.map((f, i) => ({ start: at.get(f.start), end: at.get(f.end), f, i }));
  }

  // ---- the backdrop: the text again, cut where marks begin and end ----

  function renderBackdrop() {
    const text = draft.value;
    const cuts = new Set([0, text.length]);
    for (const m of state.marks) {
      cuts.add(m.start);
      cuts.add(m.end);
    }
    const points = [...cuts].sort((a, b) => a - b);
    // A sweep over the cuts: the marks open at a cut cover the piece after it.
    const opening = new Map();
    const closing = new Map();
    for (const m of state.marks) {
      if (m.end <= m.start) continue;
      opening.set(m.start, [...(opening.get(m.start) || []), m]);
      closing.set(m.end, [...(closing.get(m.end) || []), m]);
    }
    const open = new Set();
    const frag = document.createDocumentFragment();
    state.segments = [];
    for (let p = 0; p + 1 < points.length; p++) {
      const [a, b] = [points[p], points[p + 1]];
      for (const m of closing.get(a) || []) open.delete(m);
      for (const m of opening.get(a) || []) open.add(m);
      const piece = text.slice(a, b);
      const covering = [...open];
      if (!covering.length) {
        frag.append(piece);
        continue;
      }
      const span = el('span', markLook(covering), piece);
      state.segments.push({ span, marks: covering, start: a, end: b });
      frag.append(span);
    }
    // A final newline needs something after it, or the backdrop is a line short.
    frag.append(text.endsWith('\n') || !text ? ' ' : '');
    backdrop.replaceChildren(frag);
  }

  function markLook(covering) {
    const counted = covering.filter((m) => !m.f.reported);
    const deflections = counted.filter((m) => m.f.kind === 'deflection');
    const classes = ['mark'];
    let c = colour(covering[0].f.category);
    if (counted.some((m) => m.f.kind === 'ownership')) classes.push('own');
    if (deflections.length) {
      // The narrowest deflection is the most specific one: its colour shows.
      const top = deflections.reduce((x, y) => (y.end - y.start < x.end - x.start ? y : x));
      classes.push('def', `sev-${top.f.severity}`);
      c = colour(top.f.category);
    }
    if (!counted.length) classes.push('rep');
    return { class: classes.join(' '), style: `--c: ${c}` };
  }

  // Keeps marks in place while the person types, until the new report arrives: marks
  // before the edit stay, marks after it move with it, marks it touches go.
  function shiftMarks(before, after) {
    let p = 0;
    const max = Math.min(before.length, after.length);
    while (p < max && before[p] === after[p]) p++;
    let s = 0;
    while (s < max - p && before[before.length - 1 - s] === after[after.length - 1 - s]) s++;
    const editEnd = before.length - s;
    const delta = after.length - before.length;
    state.marks = state.marks.flatMap((m) => {
      if (m.end <= p) return [m];
      if (m.start >= editEnd) return [{ ...m, start: m.start + delta, end: m.end + delta }];
      return [];
    });
  }

  // ---- talking to the server ----

  function schedule(delay) {
    clearTimeout(state.timer);
    const now = performance.now();
    if (!state.pendingSince) state.pendingSince = now;
    const wait = Math.min(delay, Math.max(0, state.pendingSince + MAX_WAIT_MS - now));
    state.timer = setTimeout(check, wait);
  }

  async function check() {
    state.pendingSince = 0;
    const text = draft.value;
    if (state.controller) state.controller.abort();
    if (!text.trim()) {
      showEmpty();
      return;
    }
    const controller = new AbortController();
    state.controller = controller;
    const seq = ++state.seq;
    setStatus('Checking…');
    try {
      const res = await fetch('/api/analyze', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ text }),
        signal: controller.signal,
      });
      const body = await res.json().catch(() => null);
      if (seq !== state.seq) return; // a newer check has been sent
      if (!res.ok) {
        setStatus((body && body.error) || `The server answered ${res.status}.`, true);
        return;
      }
      state.report = body;
      state.reportText = text;
      state.marks = marksOf(body, text);
      // Typed on meanwhile: the marks move with the edits, and the next check is pending.
      const moved = draft.value !== text;
      if (moved) shiftMarks(text, draft.value);
      renderBackdrop();
      renderResults();
      $('score').classList.toggle('stale', moved);
      setStatus('');
      refreshTip();
    } catch (e) {
      if (e.name === 'AbortError') return;
      setStatus('Could not reach the ownup server. Is it still running?', true);
    }
  }

  function setStatus(msg, error) {
    const s = $('status');
    s.textContent = msg;
    s.classList.toggle('error', !!error);
  }

  // ---- the results ----

  function showEmpty() {
    state.report = null;
    state.marks = [];
    state.seq++;
    renderBackdrop();
    hideTip();
    setStatus('');
    setScore(null, 'Nothing to check yet', 'Write or paste a draft, or try a sample.', '');
    fill($('missing'), [], 'Nothing yet.');
    fill($('suggestions'), [], 'None yet.');
    fill($('breakdown'), [], 'No score yet.');
    $('reported-section').hidden = true;
    $('safety').hidden = true;
    $('copy').disabled = true;
  }

  function renderResults() {
    const r = state.report;
    const [name, reading] = VERDICTS[r.verdict] || [r.verdict, ''];
    setScore(r.score, name, reading, r.verdict);
    renderMissing(r);
    renderSuggestions(r);
    renderBreakdown(r);
    renderReported(r);
    renderSafety(r);
    $('score').classList.remove('stale');
    $('copy').disabled = false;
  }

  function fill(list, items, emptyText) {
    list.replaceChildren(...(items.length ? items : [el('li', { class: 'empty' }, emptyText)]));
  }

  function setScore(score, name, reading, verdict) {
    const has = typeof score === 'number';
    $('score-value').textContent = has ? String(score) : '–';
    const v = $('verdict');
    v.textContent = name;
    v.className = `verdict ${verdict}`;
    $('reading').textContent = reading;
    const gauge = $('gauge');
    gauge.classList.toggle('none', !has);
    $('needle').style.transform = `rotate(${-90 + (has ? score : 0) * 1.8}deg)`;
    const said = has ? `Score ${score} of 100: ${name}.` : verdict ? `${name}.` : '';
    const mini = $('mini-score');
    mini.hidden = !verdict;
    mini.textContent = has ? `Score ${score}/100 · ${name} · details below` : `${name} · details below`;
    if (said !== state.lastScore) {
      state.lastScore = said;
      $('score-announce').textContent = said;
    }
  }

  function counted(r, kind) {
    return r.findings.filter((f) => !f.reported && f.kind === kind);
  }

  function renderMissing(r) {
    const list = $('missing');
    if (!r.apology) {
      fill(list, [el('li', {}, el('strong', {}, 'An apology'), el('span', {}, ' · Say you are sorry in your own voice, for what you did: “I’m sorry I…”.'))]);
      return;
    }
    let missing;
    if (Array.isArray(r.missing)) {
      missing = r.missing.map((m) => {
        if (typeof m === 'string') return [m, ''];
        return [m.category || m.component || m.id || '', m.advice || m.suggestion || m.message || ''];
      });
    } else {
      const have = new Set(counted(r, 'ownership').map((f) => f.category));
      missing = COMPONENTS.filter(([c]) => !have.has(c));
    }
    const items = missing.map(([c, advice]) =>
      el('li', {}, el('strong', {}, label(c)), advice ? el('span', {}, ` · ${advice}`) : null),
    );
    fill(list, items, 'Nothing: every part of an apology is there.');
  }

  // The suggestions of counted deflections, costliest first (points lost, then severity,
  // then position), without repeats: the order of the command line's report.
  function suggestionsOf(r) {
    const severity = { info: 0, warning: 1, error: 2 };
    const cands = r.findings
      .map((f, i) => ({ f, i }))
      .filter(({ f }) => !f.reported && f.kind === 'deflection' && f.suggestion)
      .map(({ f, i }) => ({
        f,
        i,
        cost: r.contributions.filter((c) => c.finding === i && c.points < 0).reduce((s, c) => s - c.points, 0),
      }));
    cands.sort((a, b) => b.cost - a.cost || severity[b.f.severity] - severity[a.f.severity] || a.i - b.i);
    const seen = new Set();
    return cands.filter(({ f }) => !seen.has(f.suggestion) && seen.add(f.suggestion));
  }

  function renderSuggestions(r) {
    const items = suggestionsOf(r).map(({ f, i }) =>
      el('li', {}, jumpButton(i, [el('span', { class: 'label' }, swatch(f.category), label(f.category)), el('span', {}, f.suggestion)])),
    );
    fill($('suggestions'), items, r.apology ? 'None: nothing pushes ownership away.' : 'None.');
  }

  function renderBreakdown(r) {
    const list = $('breakdown');
    if (r.score == null) {
      fill(list, [], 'No score: there is no apology to score.');
      return;
    }
    const items = r.contributions.map((c) => {
      const f = r.findings[c.finding];
      const sign = c.points > 0 ? '+' : c.points < 0 ? '−' : '±';
      return el(
        'li',
        {},
        jumpButton(c.finding, [
          el('span', { class: `points ${c.points >= 0 ? 'plus' : 'minus'}` }, `${sign}${Math.abs(c.points)}`),
          el(
            'span',
            {},
            el('span', { class: 'label' }, f ? swatch(f.category) : null, contributionName(c.label)),
            el('span', { class: 'quote' }, f ? `“${clip(f.text, 70)}”` : '', ` · ${plainReason(c.reason)}`),
          ),
        ]),
      );
    });
    items.push(el('li', { class: 'total' }, el('span', { class: 'points' }, String(r.score)), el('span', {}, 'Score')));
    fill(list, items);
  }

  const SEVERITY = { error: 'undoes the apology', warning: 'weakens it', info: 'minor' };

  const SCORE_LINES = {
    base: 'Base, for apologizing',
    elaboration: 'More detail',
    cap: 'Capped by an undoing deflection',
    floor: 'Floor: no lower than 0',
    ceiling: 'Ceiling: no higher than 100',
  };

  function contributionName(l) {
    return SCORE_LINES[l] || label(l);
  }

  // The reason names its rule in backticks, for the command line; the page shows the rule
  // in the note instead.
  function plainReason(reason) {
    return (reason || '').replace(/\s*\(`[^`]*`\)\s*$/, '');
  }

  function clip(s, n) {
    return s.length > n ? `${s.slice(0, n - 1)}…` : s;
  }

  function renderReported(r) {
    const rep = r.findings.map((f, i) => ({ f, i })).filter(({ f }) => f.reported);
    $('reported-section').hidden = !rep.length;
    const items = rep.map(({ f, i }) =>
      el('li', {}, jumpButton(i, [el('span', { class: 'points' }, '0'), el('span', {}, el('span', { class: 'label' }, swatch(f.category), label(f.category)), el('span', { class: 'quote' }, `“${f.text}”`))])),
    );
    fill($('reported'), items);
  }

  function renderSafety(r) {
    const notes = r.safety || [];
    $('safety').hidden = !notes.length;
    fill($('safety-list'), notes.map((s) => el('li', {}, s.message)));
  }

  function swatch(category) {
    return el('span', { class: 'swatch', style: `--c: ${colour(category)}`, 'aria-hidden': 'true' });
  }

  // A line of the results that selects its phrase in the draft, and shows the phrase's
  // note while it has focus or the pointer.
  function jumpButton(i, children) {
    const show = () => {
      const m = state.marks.find((x) => x.i === i);
      if (m) showTip([m], 'focus');
    };
    const hide = () => {
      if (state.tip && state.tip.source === 'focus') hideTip();
    };
    return el(
      'button',
      { type: 'button', class: 'linklike', onclick: () => selectFinding(i), onfocus: show, onblur: hide, onmouseenter: show, onmouseleave: hide },
      ...children,
      el('span', { class: 'visually-hidden' }, ' (select in the draft)'),
    );
  }

  function selectFinding(i) {
    const m = state.marks.find((x) => x.i === i);
    if (!m) return;
    draft.focus({ preventScroll: true });
    draft.setSelectionRange(m.start, m.end);
    const seg = state.segments.find((s) => s.marks.includes(m));
    if (seg) seg.span.scrollIntoView({ block: 'center', behavior: 'smooth' });
    showTip([m], 'caret');
  }

  // ---- the note on a mark ----

  function showTip(marks, source) {
    marks = [...marks].sort((a, b) => a.start - b.start || b.end - a.end);
    const key = keyOf(marks);
    state.tip = { source, marks, key };
    tooltip.replaceChildren(...marks.map((m) => tipFor(m.f)));
    tooltip.hidden = false;
    for (const s of state.segments) s.span.classList.toggle('active', s.marks.some((m) => marks.includes(m)));
    placeTip(marks[0]);
    if (source !== 'hover' && key !== state.lastAnnounced) {
      state.lastAnnounced = key;
      $('mark-announce').textContent = marks.map((m) => spoken(m.f)).join(' ');
    }
  }

  function keyOf(marks) {
    return marks
      .map((m) => m.i)
      .sort((x, y) => x - y)
      .join(',');
  }

  function tipFor(f) {
    const kind = f.kind === 'ownership' ? 'takes ownership' : `pushes ownership away · ${SEVERITY[f.severity] || f.severity}`;
    return el(
      'div',
      { class: 'tip' },
      el('div', { class: 'tip-head' }, swatch(f.category), label(f.category), el('span', { class: 'tip-kind' }, ` · ${kind}`)),
      el('p', {}, f.message),
      f.suggestion ? el('p', { class: 'try' }, `Try: ${f.suggestion}`) : null,
      f.reported ? el('p', { class: 'not-counted' }, 'In quoted or reported speech: someone else’s words, not counted.') : null,
    );
  }

  function spoken(f) {
    const parts = [`${label(f.category)}: ${f.message}`];
    if (f.suggestion) parts.push(`Try: ${f.suggestion}`);
    if (f.reported) parts.push('Quoted or reported speech, not counted.');
    return parts.join(' ');
  }

  function placeTip(m) {
    const seg = state.segments.find((s) => s.marks.includes(m));
    if (!seg) return;
    const rect = seg.span.getClientRects()[0] || seg.span.getBoundingClientRect();
    const width = tooltip.offsetWidth;
    const height = tooltip.offsetHeight;
    let left = rect.left + window.scrollX;
    left = Math.max(window.scrollX + 8, Math.min(left, window.scrollX + document.documentElement.clientWidth - width - 8));
    let top = rect.bottom + window.scrollY + 8;
    if (rect.bottom + height + 16 > window.innerHeight && rect.top - height - 8 > 0) top = rect.top + window.scrollY - height - 8;
    tooltip.style.left = `${left}px`;
    tooltip.style.top = `${top}px`;
  }

  function hideTip() {
    state.tip = null;
    tooltip.hidden = true;
    for (const s of state.segments) s.span.classList.remove('active');
  }

  // Re-shows the note after the marks were redrawn, for the same place in the text.
  function refreshTip() {
    if (!state.tip) return;
    if (state.tip.source === 'caret') caretTip();
    else hideTip();
  }

  function caretTip() {
    if (document.activeElement !== draft) return;
    const [a, b] = [draft.selectionStart, draft.selectionEnd];
    const here = state.marks.filter((m) => m.start <= a && b <= m.end);
    const key = keyOf(here);
    if (key !== state.dismissed) state.dismissed = '';
    if (here.length && key !== state.dismissed) {
      const same = state.tip && state.tip.source === 'caret' && state.tip.key === key;
      if (!same) showTip(here, 'caret');
    } else if (state.tip && state.tip.source === 'caret') {
      hideTip();
      state.lastAnnounced = '';
    }
  }

  function hoverTip(ev) {
    const hit = state.segments.find((s) =>
      [...s.span.getClientRects()].some((r) => ev.clientX >= r.left && ev.clientX <= r.right && ev.clientY >= r.top && ev.clientY <= r.bottom),
    );
    if (hit) {
      if (!state.tip || state.tip.source !== 'hover' || !hit.marks.every((m) => state.tip.marks.includes(m))) showTip(hit.marks, 'hover');
    } else if (state.tip && state.tip.source === 'hover') {
      hideTip();
      caretTip();
    }
  }

  // ---- wiring ----

  function grow() {
    draft.style.height = 'auto';
    draft.style.height = `${draft.scrollHeight + 2}px`;
  }

  let previous = '';
  function onInput() {
    const text = draft.value;
    shiftMarks(previous, text);
    previous = text;
    grow();
    renderBackdrop();
    hideTip();
    $('score').classList.toggle('stale', !!state.report);
    if (!state.report && text.trim()) $('reading').textContent = 'Checking when you pause typing…';
    schedule(text.trim() ? DEBOUNCE_MS : 0);
  }

  function loadSample() {
    state.sample = (state.sample + 1) % SAMPLES.length;
    draft.value = SAMPLES[state.sample];
    state.marks = [];
    previous = draft.value;
    grow();
    renderBackdrop();
    hideTip();
    $('sample').textContent = `Try another sample (${state.sample + 1} of ${SAMPLES.length})`;
    schedule(0);
  }

  async function copyReport() {
    if (!state.report) return;
    const json = `${JSON.stringify(state.report, null, 2)}\n`;
    try {
      await navigator.clipboard.writeText(json);
    } catch {
      // Without a secure context (a server reached by a network address) or permission.
      const scratch = el('textarea', { class: 'visually-hidden', 'aria-hidden': 'true' });
      scratch.value = json;
      document.body.append(scratch);
      scratch.select();
      const ok = document.execCommand('copy');
      scratch.remove();
      if (!ok) {
        setStatus('Could not copy: the browser did not allow it.', true);
        return;
      }
    }
    setStatus('Copied the JSON report.');
  }

  function drawBands() {
    const arc = (from, to) => {
      const point = (v) => {
        const a = Math.PI * (1 - v / 100);
        return `${(100 + 80 * Math.cos(a)).toFixed(2)} ${(100 - 80 * Math.sin(a)).toFixed(2)}`;
      };
      return `M ${point(from)} A 80 80 0 0 1 ${point(to)}`;
    };
    const bands = [[0, 24.4], [25.6, 49.4], [50.6, 74.4], [75.6, 100]];
    document.querySelectorAll('#gauge .band').forEach((p, k) => p.setAttribute('d', arc(...bands[k])));
  }

  draft.addEventListener('input', onInput);
  draft.addEventListener('mousemove', hoverTip);
  draft.addEventListener('mouseleave', () => {
    if (state.tip && state.tip.source === 'hover') hideTip();
  });
  // The note follows the cursor when the person moves it, not while they type: a note
  // popping up over the words being written is in the way.
  const MOVES = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);
  draft.addEventListener('keyup', (ev) => {
    if (MOVES.has(ev.key)) caretTip();
  });
  draft.addEventListener('mouseup', () => setTimeout(caretTip, 0));
  draft.addEventListener('blur', () => {
    if (state.tip && state.tip.source === 'caret') hideTip();
  });
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && state.tip) {
      state.dismissed = state.tip.key;
      hideTip();
    }
  });
  window.addEventListener('resize', () => {
    grow();
    if (state.tip) placeTip(state.tip.marks[0]);
  });
  $('sample').addEventListener('click', loadSample);
  $('copy').addEventListener('click', copyReport);
  $('clear').addEventListener('click', () => {
    draft.value = '';
    onInput();
    draft.focus();
  });

  drawBands();
  showEmpty();
  if (draft.value) onInput();
})();
