// pages.js: the pages for everyone and for contestants: home (contests), log
// in and register, the problem archive, a problem (statement, samples,
// limits, the editor), and submissions with their live status.
import {
  api, t, h, clear, field, toast, errorText, setCsrf, fmtTime, fmtBytes, fmtSeconds, verdictBadge, LANGUAGES,
  renderMath, loadCodeMirror, ApiError,
} from './core.js';
import { session, navigate, every, isStaff } from './app.js';

// ---- home: running, upcoming and past contests ---------------------------------------------------
export async function home(view) {
  view.append(h('h1', {}, t('home.title')), h('p', { class: 'lead' }, t('home.lead')));
  let contests = [];
  try {
    contests = (await api('GET', '/api/v1/contests')).contests || [];
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 404) throw e;
  }
  if (isStaff()) view.append(h('p', {}, h('a', { class: 'button', href: '/manage/contests/new' }, t('contest.create'))));
  const groups = { running: [], upcoming: [], past: [] };
  for (const c of contests) {
    if (c.state === 'running' || c.state === 'frozen') groups.running.push(c);
    else if (c.state === 'scheduled') groups.upcoming.push(c);
    else groups.past.push(c);
  }
  groups.upcoming.sort((a, b) => a.start_time - b.start_time);
  groups.past.sort((a, b) => b.start_time - a.start_time);
  for (const g of ['running', 'upcoming', 'past']) {
    const sec = h('section', { class: 'contests', id: 'contests-' + g }, h('h2', {}, t('home.' + g)));
    if (!groups[g].length) sec.append(h('p', { class: 'empty' }, t('home.none')));
    else {
      sec.append(h('ul', { class: 'cards' }, groups[g].map((c) => h('li', { class: 'card' },
        h('a', { href: '/contests/' + c.id, class: 'title' }, c.title),
        h('div', { class: 'meta' }, t('contest.starts', { time: fmtTime(c.start_time) }), ' · ',
          t('contest.rules_' + (c.rules || 'icpc'))),
        c.state === 'frozen' ? h('span', { class: 'badge frozen' }, t('contest.frozen')) : null))));
    }
    view.append(sec);
  }
}

// ---- log in, register ---------------------------------------------------------------------------
export async function login(view) {
  const name = h('input', { name: 'name', autocomplete: 'username', required: true, maxlength: '64', autofocus: true });
  const pw = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const err = h('p', { class: 'error', role: 'alert', hidden: true });
  const form = h('form', { class: 'narrow', id: 'login-form' },
    h('h1', {}, t('login.title')), field('login.name', name), field('login.password', pw), err,
    h('button', { type: 'submit' }, t('login.submit')),
    h('p', {}, t('login.no_account'), ' ', h('a', { href: '/register' }, t('nav.register'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const r = await api('POST', '/api/v1/login', { name: name.value, password: pw.value });
      session.user = r.user;
      setCsrf(r.csrf_token);
      const back = sessionStorage.getItem('crucible.after_login') || '/';
      sessionStorage.removeItem('crucible.after_login');
      navigate(back);
    } catch (e) {
      err.hidden = false;
      err.textContent = e.code === 'bad_credentials' ? t('login.bad') : errorText(e);
    }
  });
  view.append(form);       // app.js focuses the [autofocus] name once the page is shown
}

export async function register(view) {
  const name = h('input', { name: 'name', autocomplete: 'username', required: true, maxlength: '64', pattern: '[A-Za-z0-9._\\-]+' });
  const display = h('input', { name: 'display_name', autocomplete: 'nickname', maxlength: '256' });
  const pw = h('input', { name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: '8' });
  const code = h('input', { name: 'code', autocomplete: 'off' });
  const err = h('p', { class: 'error', role: 'alert', hidden: true });
  const form = h('form', { class: 'narrow', id: 'register-form' },
    h('h1', {}, t('register.title')), field('register.name', name, 'register.name_hint'),
    field('register.display_name', display), field('register.password', pw, 'register.password_hint'),
    field('register.code', code, 'register.code_hint'), err, h('button', { type: 'submit' }, t('register.submit')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = { name: name.value, password: pw.value };
    if (display.value) body.display_name = display.value;
    if (code.value) body.code = code.value;
    try {
      await api('POST', '/api/v1/register', body);
      const r = await api('POST', '/api/v1/login', { name: name.value, password: pw.value });
      session.user = r.user;
      setCsrf(r.csrf_token);
      toast(t('register.done'));
      navigate('/');
    } catch (e) {
      err.hidden = false;
      err.textContent = errorText(e);
    }
  });
  view.append(form);
}

// ---- the problem archive ------------------------------------------------------------------------
// Searched on the server (GET /api/v1/problems?q=&tag=&difficulty_min=&difficulty_max=),
// 100 at a time; the tag filter lists the tags in use (GET /api/v1/problems/tags).
export async function archive(view) {
  let tags = [];
  try { tags = (await api('GET', '/api/v1/problems/tags')).tags || []; } catch (e) { tags = []; }
  const q = h('input', { type: 'search', id: 'problem-search', maxlength: '256', placeholder: t('archive.search_placeholder') });
  const tag = h('select', { id: 'problem-tag' }, h('option', { value: '' }, t('archive.all_tags')),
    tags.map((x) => h('option', { value: x.tag }, x.tag + ' (' + x.problems + ')')));
  const levels = (id) => h('select', { id }, h('option', { value: '' }, t('archive.any_difficulty')),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => h('option', { value: String(n) }, String(n))));
  const dmin = levels('difficulty-min'), dmax = levels('difficulty-max');
  const body = h('tbody');
  const more = h('button', { type: 'button', id: 'archive-more', hidden: true }, t('archive.more'));
  const err = h('p', { class: 'error', role: 'alert', hidden: true, id: 'archive-error' });
  const table = h('table', { class: 'list', id: 'problem-list' }, h('thead', {}, h('tr', {},
    h('th', { scope: 'col' }, t('archive.col_title')), h('th', { scope: 'col' }, t('archive.col_tags')),
    h('th', { scope: 'col' }, t('archive.col_difficulty')), h('th', { scope: 'col' }, t('problem.time_limit')))), body);
  const wanted = new URLSearchParams(location.search).get('tag');   // a problem page's tag link
  if (wanted && tags.some((x) => x.tag === wanted)) tag.value = wanted;
  let seq = 0, after = 0;
  const row = (p) => h('tr', { dataset: { id: p.id, name: p.short_name } },
    h('td', {}, h('a', { href: '/problems/' + p.id }, p.title), p.published === false ? h('span', { class: 'badge' }, t('problem.unpublished')) : null),
    h('td', {}, (p.type || []).filter((x) => x !== 'pass-fail').map((x) => h('span', { class: 'tag type' }, t('type.' + x))),
      (p.tags || []).map((x) => h('button', { type: 'button', class: 'tag', title: t('archive.filter_by', { tag: x }),
        onclick: () => { if ([...tag.options].some((o) => o.value === x)) { tag.value = x; load(true); } } }, x))),
    h('td', { class: 'difficulty' }, p.difficulty ? t('problem.difficulty_value', { n: p.difficulty }) : '—'),
    h('td', {}, p.time_limit ? t('problem.seconds', { n: p.time_limit }) : '—'));
  const load = async (reset) => {
    const my = ++seq;
    if (reset) after = 0;
    const params = new URLSearchParams({ limit: '100' });
    if (q.value.trim()) params.set('q', q.value.trim());
    if (tag.value) params.set('tag', tag.value);
    if (dmin.value) params.set('difficulty_min', dmin.value);
    if (dmax.value) params.set('difficulty_max', dmax.value);
    if (after) params.set('after', String(after));
    try {
      const r = await api('GET', '/api/v1/problems?' + params);
      if (my !== seq) return;
      err.hidden = true;
      if (reset) clear(body);
      body.append(...r.problems.map(row));
      if (r.problems.length) after = r.problems[r.problems.length - 1].id;
      more.hidden = r.problems.length < 100;
      if (!body.children.length) body.append(h('tr', {}, h('td', { colspan: '4', class: 'empty' }, t('archive.none'))));
    } catch (e) {
      if (my !== seq) return;
      err.hidden = false;
      err.textContent = errorText(e);
    }
  };
  let typing = null;
  q.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(() => load(true), 250); });
  tag.addEventListener('change', () => load(true));
  dmin.addEventListener('change', () => load(true));
  dmax.addEventListener('change', () => load(true));
  more.addEventListener('click', () => load(false));
  view.append(h('h1', {}, t('archive.title')),
    h('div', { class: 'filters', role: 'search' }, field('archive.search', q), field('archive.tag', tag),
      field('archive.difficulty_min', dmin), field('archive.difficulty_max', dmax)),
    err, h('div', { class: 'scroll' }, table), more);
  await load(true);
}

// ---- a problem ----------------------------------------------------------------------------------
export async function problem(view, id) {
  const [p, samples] = await Promise.all([
    api('GET', '/api/v1/problems/' + id).then((r) => r.problem),
    api('GET', '/api/v1/problems/' + id + '/samples').then((r) => r.samples).catch(() => []),
  ]);
  view.append(await problemView(p, samples, null));
}

// The statement, limits and samples, then the submit box (contest: the
// contest's id and its problem entry).
export async function problemView(p, samples, contest) {
  const wrap = h('article', { class: 'problem' });
  const label = contest && contest.entry ? contest.entry.label + '. ' : '';
  document.title = p.title + ' — Crucible';
  wrap.append(h('h1', {}, label, p.title),
    h('dl', { class: 'limits' },
      h('dt', {}, t('problem.time_limit')), h('dd', {}, p.time_limit ? t('problem.seconds', { n: p.time_limit }) : t('problem.time_inferred')),
      h('dt', {}, t('problem.memory_limit')), h('dd', {}, fmtBytes(p.memory_bytes)),
      h('dt', {}, t('problem.type')), h('dd', {}, (p.type || []).map((x) => t('type.' + x)).join(', ')),
      p.difficulty ? [h('dt', {}, t('problem.difficulty')), h('dd', { id: 'problem-difficulty' }, t('problem.difficulty_value', { n: p.difficulty }))] : null,
      p.tags && p.tags.length ? [h('dt', {}, t('problem.tags')), h('dd', { id: 'problem-tags' },
        p.tags.map((x) => h('a', { class: 'tag', href: '/problems?tag=' + encodeURIComponent(x) }, x)))] : null));
  const st = h('div', { class: 'statement', id: 'statement' });
  if (p.statement_html) {
    // The server rendered the Markdown with raw HTML turned off and unsafe
    // links removed (docs/api.md); the CSP forbids inline script.
    const doc = new DOMParser().parseFromString(p.statement_html, 'text/html');
    st.append(...doc.body.childNodes);
  } else {
    st.append(h('p', { class: 'empty' }, t('problem.no_statement')));
  }
  wrap.append(st);
  if (samples && samples.length) {
    wrap.append(h('h2', {}, t('problem.samples')));
    samples.forEach((s, i) => {
      wrap.append(h('div', { class: 'sample' },
        sampleBox(t('problem.sample_input', { n: i + 1 }), s.input), sampleBox(t('problem.sample_output', { n: i + 1 }), s.answer)));
    });
  }
  renderMath(st);
  if (p.ai) {
    // an AI problem: its metric, the data files and a prediction upload (ai.js)
    const { aiSection } = await import('./ai.js');
    wrap.append(await aiSection(p, contest));
  }
  if (session.user) wrap.append(await submitBox(p, contest));
  else wrap.append(h('p', { class: 'notice' }, h('a', { href: '/login', onclick: () => sessionStorage.setItem('crucible.after_login', location.pathname) }, t('problem.login_to_submit'))));
  return wrap;
}

function sampleBox(title, text) {
  const pre = h('pre', {}, text === null ? t('problem.sample_too_large') : text);
  const btn = h('button', { type: 'button', class: 'copy', 'aria-label': t('problem.copy_label', { what: title }) }, t('problem.copy'));
  btn.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text || '');
      btn.textContent = t('problem.copied');
    } catch (e) {
      const range = document.createRange();
      range.selectNodeContents(pre);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      btn.textContent = t('problem.copy_selected');
    }
    setTimeout(() => { btn.textContent = t('problem.copy'); }, 2000);
  });
  return h('figure', {}, h('figcaption', {}, title, btn), pre);
}

// The editor (CodeMirror 5 with syntax highlighting), a language picker, or
// a file to upload.
export async function submitBox(p, contest) {
  let langs = await serverLanguages();
  if (contest && contest.contest && contest.contest.languages && contest.contest.languages.length) {
    langs = langs.filter((l) => contest.contest.languages.includes(l.id));
  }
  const saved = localStorage.getItem('crucible.language');
  const pick = h('select', { id: 'language', name: 'language' },
    langs.map((l) => h('option', { value: l.id, selected: l.id === saved }, l.name)));
  const area = h('textarea', { id: 'source', name: 'source', rows: '16', spellcheck: 'false', 'aria-label': t('submit.source') });
  if (contest && contest.template) area.value = contest.template;   // cui: an assignment's template (courses.js)
  const file = h('input', { type: 'file', id: 'source-file', name: 'file' });
  const err = h('p', { class: 'error', role: 'alert', hidden: true, id: 'submit-error' });
  const result = h('div', { class: 'submit-result', id: 'submit-result', 'aria-live': 'polite' });
  const btn = h('button', { type: 'submit', id: 'submit-button' }, t('submit.submit'));
  const form = h('form', { class: 'submit', id: 'submit-form' }, h('h2', {}, t('submit.title')),
    h('div', { class: 'row' }, field('submit.language', pick), field('submit.file', file, 'submit.file_hint')),
    h('div', { class: 'field' }, h('label', { for: 'source' }, t('submit.source')), area,
      h('small', { class: 'hint', id: 'source-hint' }, t('submit.source_hint'))), err, btn, result);
  let cm = null;
  const setMode = async () => {
    const l = editorHint(langs.find((x) => x.id === pick.value));
    try {
      const CodeMirror = await loadCodeMirror(l ? l.id : null);
      if (!cm) {
        cm = CodeMirror.fromTextArea(area, { lineNumbers: true, matchBrackets: true, indentUnit: 4, viewportMargin: Infinity });
        cm.getInputField().setAttribute('aria-label', t('submit.source'));
        cm.getInputField().setAttribute('aria-describedby', 'source-hint');
        // Tab indents inside the editor; Escape leaves it for the Submit button (the hint says so).
        cm.setOption('extraKeys', { Esc: () => btn.focus() });
      }
      cm.setOption('mode', l ? l.mode : null);
    } catch (e) { /* the plain textarea still works */ }
  };
  pick.addEventListener('change', () => { localStorage.setItem('crucible.language', pick.value); setMode(); });
  file.addEventListener('change', async () => {
    const f = file.files[0];
    if (!f) return;
    if (f.size > 256 * 1024) { err.hidden = false; err.textContent = t('submit.too_large'); return; }
    const text = await f.text();
    if (cm) cm.setValue(text); else area.value = text;
    const ext = f.name.split('.').pop();
    const guess = langs.find((l) => (l.extensions || []).includes(ext));
    if (guess) { pick.value = guess.id; setMode(); }
  });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.hidden = true;
    const content = cm ? cm.getValue() : area.value;
    if (!content.trim()) { err.hidden = false; err.textContent = t('submit.empty'); return; }
    const l = langs.find((x) => x.id === pick.value);
    const name = file.files[0] ? file.files[0].name : (l && l.file) || 'main.txt';
    const body = { problem: p.id, language: pick.value, files: [{ name, content }] };
    if (contest && contest.contest) body.contest = contest.contest.id;
    if (contest && contest.assignment) body.assignment = contest.assignment.id;   // cui: an assignment's submission
    btn.disabled = true;
    try {
      const r = await api('POST', '/api/v1/submissions', body);
      clear(result).append(h('p', {}, t('submit.sent'), ' ', h('a', { href: '/submissions/' + r.id }, t('submit.view', { id: r.id }))));
      const line = h('p', { class: 'live', id: 'live-verdict' }, verdictBadge({ status: 'queued' }));
      result.append(line);
      watch(r.id, (s) => { clear(line).append(verdictBadge(s)); if (s.status === 'judged') result.append(detailTable(s)); }, result);
    } catch (e) {
      err.hidden = false;
      err.textContent = errorText(e);
    } finally {
      btn.disabled = false;
    }
  });
  setMode();
  return form;
}

// The server's language table (GET /api/v1/languages), fetched once a page
// load; the built-in hints stand in when it cannot be read.
let serverLangs = null;
export function serverLanguages() {
  if (!serverLangs) {
    serverLangs = api('GET', '/api/v1/languages').then((r) => r.languages || []).catch(() => {
      serverLangs = null;
      return LANGUAGES.map((l) => ({ id: l.id, name: l.name, extensions: [l.file.split('.').pop()], file: l.file }));
    });
  }
  return serverLangs;
}

// The editor's mode for a server language: by id, else by extension.
function editorHint(l) {
  if (!l) return null;
  return LANGUAGES.find((x) => x.id === l.id) ||
    LANGUAGES.find((x) => (l.extensions || []).includes(x.file.split('.').pop())) || null;
}

// Polls a submission until it is judged; fn gets every new state (a new
// status, or more tests done while judging: polled at least every second then).
// With el, polling stops once el has left the page.
export function watch(id, fn, el) {
  let last = null, delay = 500, away = 0;
  const tick = async () => {
    let judging = false;
    if (el && !el.isConnected && ++away > 3) return;
    try {
      const s = (await api('GET', '/api/v1/submissions/' + id)).submission;
      const key = s.status + '/' + (s.progress ? s.progress.tests_done : '');
      if (key !== last) { last = key; fn(s); }
      if (s.status === 'judged') return;
      judging = s.status === 'judging';
    } catch (e) { /* try again */ }
    delay = Math.min(delay * 1.5, judging ? 1000 : 5000);
    setTimeout(tick, delay);
  };
  tick();
}

// A verdict badge that says "Running test N" while a submission is judged
// and the reader may see its per-test progress.
function liveBadge(s) {
  if (s && s.status === 'judging' && s.progress) {
    return h('span', { class: 'verdict pending', dataset: { verdict: 'judging' } },
      t('submission.running_test', { n: s.progress.tests_done + 1 }));
  }
  return verdictBadge(s);
}

// ---- submissions -------------------------------------------------------------------------------
// opts: users (show a user column), problemName(id), reload() (the same list
// asked again: while a row is not judged the table polls that one request,
// backing off, never one request per row; without it the page refreshes).
export function submissionsTable(subs, opts) {
  const o = opts || {};
  const body = h('tbody');
  const row = (s) => h('tr', { dataset: { id: s.id } },
    h('td', {}, h('a', { href: '/submissions/' + s.id }, '#' + s.id)),
    h('td', {}, fmtTime(s.submitted_at)),
    o.users ? h('td', {}, o.users[s.user] || s.user_name || String(s.user)) : null,
    h('td', {}, o.problemName ? o.problemName(s.problem) : String(s.problem)),
    h('td', {}, (LANGUAGES.find((l) => l.id === s.language) || { name: s.language }).name),
    h('td', { class: 'verdict-cell' }, verdictBadge(s)),
    h('td', {}, fmtSeconds(s.time_seconds)), h('td', {}, fmtBytes(s.memory_bytes)));
  for (const s of subs) body.append(row(s));
  if (!subs.length) body.append(h('tr', {}, h('td', { colspan: o.users ? '8' : '7', class: 'empty' }, t('submissions.none'))));
  if (o.reload && subs.some((s) => s.status !== 'judged')) {
    let delay = 1000, away = 0;
    const tick = async () => {
      if (!body.isConnected && ++away > 3) return;      // the page was left
      try {
        let open = 0;
        for (const s of await o.reload()) {
          const old = body.querySelector('tr[data-id="' + s.id + '"]');
          if (old && old.querySelector('.verdict-cell [data-verdict]').dataset.verdict !== (s.status === 'judged' ? s.verdict || 'PENDING' : s.status)) {
            old.replaceWith(row(s));
          }
          if (old && s.status !== 'judged') open++;
        }
        if (!open) return;
      } catch (e) { /* try again */ }
      delay = Math.min(delay * 1.5, 5000);
      setTimeout(tick, delay);
    };
    setTimeout(tick, delay);
  }
  return h('div', { class: 'scroll' }, h('table', { class: 'list submissions' },
    h('thead', {}, h('tr', {}, ['id', 'time', o.users ? 'user' : null, 'problem', 'language', 'verdict', 'run_time', 'memory']
      .filter(Boolean).map((k) => h('th', { scope: 'col' }, t('submissions.col_' + k))))), body));
}

export async function submissions(view) {
  const list = async () => (await api('GET', '/api/v1/submissions?mine=1')).submissions;
  const [subs, titles] = await Promise.all([list(), problemTitles()]);
  view.append(h('h1', {}, t('submissions.title')),
    submissionsTable(subs, { problemName: (id) => titles[id] || '#' + id, reload: list }));
}

export async function problemTitles() {
  const titles = {};
  try {
    for (const p of (await api('GET', '/api/v1/problems?limit=100')).problems) titles[p.id] = p.title;
  } catch (e) { /* ids then */ }
  return titles;
}

function detailTable(s) {
  const box = h('div', { class: 'detail' });
  if (s.verdict === 'CE' || (s.compile_output && s.compile_output.trim())) {
    box.append(h('h3', {}, t('submission.compile_output')), h('pre', { class: 'compile-output', id: 'compile-output' }, s.compile_output || ''));
  }
  if (s.tests && s.tests.length) {
    box.append(h('h3', {}, t('submission.tests')), h('div', { class: 'scroll' }, h('table', { class: 'list tests' },
      h('thead', {}, h('tr', {}, ['test', 'verdict', 'run_time', 'memory', 'score'].map((k) => h('th', { scope: 'col' }, t('submissions.col_' + k))))),
      h('tbody', {}, s.tests.map((x) => h('tr', {}, h('td', {}, x.name), h('td', {}, verdictBadge({ status: 'judged', verdict: x.verdict })),
        h('td', {}, fmtSeconds(x.time_seconds)), h('td', {}, fmtBytes(x.memory_bytes)), h('td', {}, String(x.score ?? '—'))))))));
  }
  if (s.message) box.append(h('h3', {}, t('submission.judge_message')), h('pre', {}, s.message));
  return box;
}

export async function submission(view, id) {
  const s = (await api('GET', '/api/v1/submissions/' + id)).submission;
  const head = h('div');
  const title = await api('GET', '/api/v1/problems/' + s.problem).then((r) => r.problem.title).catch(() => '#' + s.problem);
  const fill = (x) => {
    clear(head).append(h('dl', { class: 'facts' },
      h('dt', {}, t('submissions.col_problem')), h('dd', {}, h('a', { href: x.contest ? '/contests/' + x.contest + '/problems/' + x.problem : '/problems/' + x.problem }, title)),
      h('dt', {}, t('submissions.col_language')), h('dd', {}, (LANGUAGES.find((l) => l.id === x.language) || { name: x.language }).name),
      h('dt', {}, t('submissions.col_time')), h('dd', {}, fmtTime(x.submitted_at)),
      h('dt', {}, t('submissions.col_verdict')), h('dd', { id: 'verdict' }, liveBadge(x)),
      h('dt', {}, t('submissions.col_run_time')), h('dd', {}, fmtSeconds(x.time_seconds)),
      h('dt', {}, t('submissions.col_memory')), h('dd', {}, fmtBytes(x.memory_bytes)),
      x.max_score ? [h('dt', {}, t('submissions.col_score')), h('dd', {}, x.score + ' / ' + x.max_score)] : null));
  };
  const detail = h('div');
  fill(s);
  detail.append(detailTable(s));
  view.append(h('h1', {}, t('submission.title', { id })), head, detail);
  if (s.status !== 'judged') watch(id, (x) => { fill(x); clear(detail).append(detailTable(x)); }, detail);
}

export { every };
