// contest.js: a contest's pages: the overview with its countdown and problem
// list, a problem in the contest, my (or, for the jury, all) submissions, the
// scoreboard (ICPC or IOI, frozen banner, auto-refresh, own row
// highlighted), clarifications with announcements that pop up, and plots.
import { api, t, h, clear, field, toast, errorText, fmtTime, fmtDuration, loadChart, ApiError } from './core.js';
import { session, every, navigate } from './app.js';
import { problemView, submissionsTable } from './pages.js';

async function loadContest(id) {
  return (await api('GET', '/api/v1/contests/' + id)).contest;
}

// The problem set, fetched once per page (frame() asks too, for the Leaderboard tab).
const problemSets = new Map();
function loadProblems(id) {
  const key = id + '@' + location.pathname;
  if (!problemSets.has(key)) {
    problemSets.clear();
    problemSets.set(key, api('GET', '/api/v1/contests/' + id + '/problems').then((r) => r.problems || []).catch((e) => {
      if (e instanceof ApiError && (e.status === 403 || e.status === 404 || e.status === 409)) return null;
      problemSets.delete(key);
      throw e;
    }));
  }
  return problemSets.get(key);
}

function isJury(c) {
  return c.my_role === 'jury' || (session.user && session.user.role === 'admin');
}

// The contest's title, state, countdown and tabs; shared by every contest page.
function frame(view, c, tab) {
  document.title = c.title + ' — Crucible';
  const count = h('span', { class: 'countdown', id: 'countdown', role: 'timer' });
  const tick = () => {
    const now = Date.now() / 1000, end = c.start_time + c.duration;
    if (now < c.start_time) count.textContent = t('contest.starts_in', { time: fmtDuration(c.start_time - now) });
    else if (now < end) count.textContent = t('contest.ends_in', { time: fmtDuration(end - now) });
    else count.textContent = t('contest.over');
  };
  tick();
  every(1000, tick);
  const tabs = [['', 'overview'], ['/scoreboard', 'scoreboard'], ['/clarifications', 'clarifications'], ['/stats', 'stats']];
  if (session.user) tabs.splice(1, 0, ['/submissions', 'submissions']);
  if (isJury(c)) tabs.push(['/manage', 'manage']);
  view.append(h('div', { class: 'contest-head' },
    h('h1', {}, c.title),
    h('div', { class: 'meta' }, h('span', { class: 'badge state-' + c.state }, t('contest.state_' + c.state)), ' ', count)),
  h('nav', { class: 'tabs', id: 'contest-tabs', 'aria-label': t('contest.sections') }, tabs.map(([p, k]) =>
    h('a', { href: '/contests/' + c.id + p, 'aria-current': k === tab ? 'page' : null }, t('contest.tab_' + k)))));
  // An AI contest (one with an AI problem) has a Leaderboard tab after the scoreboard's.
  loadProblems(c.id).then((probs) => {
    if (!(probs || []).some((p) => p.ai)) return;
    const nav = view.querySelector('#contest-tabs'), after = nav && nav.querySelector('a[href$="/scoreboard"]');
    if (!nav || nav.querySelector('#tab-leaderboard')) return;
    const a = h('a', { href: '/contests/' + c.id + '/leaderboard', id: 'tab-leaderboard', 'aria-current': tab === 'leaderboard' ? 'page' : null },
      t('contest.tab_leaderboard'));
    if (after) after.after(a); else nav.append(a);
  }).catch(() => {});
  announcements(c);
}

// Announcements (and answers to me) pop up on every contest page.
function announcements(c) {
  if (!session.user) return;
  const key = 'crucible.seen.' + c.id + '.' + session.user.id;
  const poll = async () => {
    let list;
    try { list = (await api('GET', '/api/v1/contests/' + c.id + '/clarifications')).clarifications || []; } catch (e) { return; }
    const seen = new Set(JSON.parse(localStorage.getItem(key) || '[]'));
    const first = !localStorage.getItem(key);
    for (const x of list) {
      if (seen.has(x.id)) continue;
      seen.add(x.id);
      const mine = x.reply_to && list.some((q) => q.id === x.reply_to && isFromMe(q));
      if (!first && (x.announcement || mine) && !isFromMe(x)) {
        toast((x.announcement ? t('clar.announcement') : t('clar.answer')) + ': ' + x.text, 'sticky');
      }
    }
    localStorage.setItem(key, JSON.stringify([...seen]));
  };
  poll();
  every(15000, poll);
}

function isFromMe(x) {
  const u = session.user;
  return !!u && (x.from === u.name || x.from_user === u.id || x.user === u.id || x.from === u.id);
}

export async function overview(view, id) {
  const c = await loadContest(id);
  frame(view, c, 'overview');
  const facts = h('dl', { class: 'facts' },
    h('dt', {}, t('contest.start')), h('dd', {}, fmtTime(c.start_time)),
    h('dt', {}, t('contest.duration')), h('dd', {}, fmtDuration(c.duration)),
    h('dt', {}, t('contest.rules')), h('dd', {}, t('contest.rules_' + (c.rules || 'icpc'))),
    c.freeze ? [h('dt', {}, t('contest.freeze')), h('dd', {}, t('contest.freeze_before', { time: fmtDuration(c.freeze) }))] : null,
    h('dt', {}, t('contest.my_role')), h('dd', {}, c.my_role ? t('contest.role_' + c.my_role) : t('contest.role_none')));
  view.append(facts);
  if (session.user && !c.my_role && c.registration !== 'admin' && c.state !== 'finished') {
    const code = h('input', { name: 'code', autocomplete: 'off' });
    const team = h('input', { name: 'team_name', maxlength: '64' });
    const err = h('p', { class: 'error', role: 'alert', hidden: true });
    const form = h('form', { class: 'register', id: 'contest-register' }, h('h2', {}, t('contest.register_title')),
      c.registration === 'code' ? field('contest.register_code', code) : null,
      c.team_mode ? field('contest.team_name', team) : null, err,
      h('button', { type: 'submit', id: 'contest-register-button' }, t('contest.register')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const body = {};
      if (code.value) body.code = code.value;
      if (team.value) body.team_name = team.value;
      try {
        await api('POST', '/api/v1/contests/' + id + '/register', body);
        toast(t('contest.registered'));
        navigate(location.pathname, true);
      } catch (e) { err.hidden = false; err.textContent = errorText(e); }
    });
    view.append(form);
  } else if (!session.user) {
    view.append(h('p', { class: 'notice' }, h('a', { href: '/login', onclick: () => sessionStorage.setItem('crucible.after_login', location.pathname) }, t('contest.login_to_register'))));
  }
  const probs = await loadProblems(id);
  view.append(h('h2', {}, t('contest.problems')));
  if (!probs) view.append(h('p', { class: 'empty' }, t('contest.problems_later')));
  else {
    view.append(h('ol', { class: 'problem-list', id: 'contest-problems' }, probs.map((p) => h('li', {},
      h('span', { class: 'balloon', dataset: { color: p.color || '' } }, p.label),
      h('a', { href: '/contests/' + id + '/problems/' + p.problem }, p.title),
      p.points ? h('span', { class: 'points' }, t('contest.points', { n: p.points })) : null))));
    colorBalloons(view);
  }
}

// Problem colours come from the jury: set through CSSOM (the CSP allows no
// inline style attributes), and only when they are colours.
function colorBalloons(root) {
  for (const b of root.querySelectorAll('.balloon[data-color]')) {
    const c = b.dataset.color;
    if (/^#[0-9a-fA-F]{3,8}$/.test(c) || /^[a-z]{3,20}$/.test(c)) b.style.setProperty('--balloon', c);
  }
}

export async function problem(view, id, pid) {
  const [c, probs] = await Promise.all([loadContest(id), loadProblems(id)]);
  frame(view, c, 'overview');
  const entry = (probs || []).find((p) => p.problem === pid);
  if (!entry) throw new ApiError(404, 'not_found', '');
  // The contest's own endpoint: its problems are often not published in the archive.
  const cp = (await api('GET', '/api/v1/contests/' + id + '/problems/' + pid)).problem;
  const p = { ...cp, id: pid, memory_bytes: cp.memory_limit };
  if (!p.type) {
    try { Object.assign(p, (await api('GET', '/api/v1/problems/' + pid)).problem, { ai: cp.ai, statement_html: cp.statement_html }); } catch (e) { /* unpublished */ }
  }
  view.append(await problemView(p, cp.samples || [], { contest: c, entry }));
}

export async function submissions(view, id) {
  const [c, probs] = await Promise.all([loadContest(id), loadProblems(id)]);
  frame(view, c, 'submissions');
  const list = async () => (await api('GET', '/api/v1/submissions?contest=' + id)).submissions;
  const subs = await list();
  const names = {};
  for (const p of probs || []) names[p.problem] = p.label + '. ' + p.title;
  view.append(h('h2', {}, isJury(c) ? t('contest.all_submissions') : t('contest.my_submissions')),
    submissionsTable(subs, { problemName: (pid) => names[pid] || '#' + pid, reload: list }));
}

// ---- the scoreboard -----------------------------------------------------------------------------
export async function scoreboard(view, id) {
  const c = await loadContest(id);
  frame(view, c, 'scoreboard');
  const box = h('div', { id: 'scoreboard' });
  const stamp = h('p', { class: 'hint', 'aria-live': 'off' });
  view.append(box, stamp);
  const load = async () => {
    let sb;
    try { sb = await api('GET', '/api/v1/contests/' + id + '/scoreboard'); } catch (e) { clear(box).append(h('p', { class: 'error' }, errorText(e))); return; }
    clear(box).append(renderBoard(sb, c));
    stamp.textContent = t('scoreboard.updated', { time: new Date().toLocaleTimeString() });
  };
  await load();
  every(10000, load);
}

export function renderBoard(sb, c) {
  const icpc = (sb.rules || c.rules || 'icpc') === 'icpc';
  const out = h('div');
  if (sb.frozen) out.append(h('div', { class: 'banner frozen', id: 'frozen-banner', role: 'status' }, t('scoreboard.frozen')));
  else if (sb.state === 'frozen' && isJury(c)) out.append(h('div', { class: 'banner live', role: 'status' }, t('scoreboard.live_during_freeze')));
  const head = h('tr', {}, h('th', { scope: 'col' }, t('scoreboard.rank')), h('th', { scope: 'col' }, t('scoreboard.team')),
    icpc ? [h('th', { scope: 'col' }, t('scoreboard.solved')), h('th', { scope: 'col' }, t('scoreboard.penalty'))]
      : h('th', { scope: 'col' }, t('scoreboard.score')),
    sb.problems.map((p) => h('th', { scope: 'col', class: 'prob' }, h('span', { class: 'balloon', dataset: { color: p.color || '' } }, p.label))));
  const body = h('tbody');
  for (const row of sb.rows) {
    const mine = String(row.team) === String(myTeam(c));
    body.append(h('tr', { class: mine ? 'mine' : null, 'aria-current': mine ? 'true' : null, dataset: { team: row.team } },
      h('td', {}, String(row.rank)), h('th', { scope: 'row', class: 'team' }, h('span', { class: 'name', title: row.name }, row.name)),
      icpc ? [h('td', { class: 'solved-count' }, String(row.solved)), h('td', {}, String(row.penalty))] : h('td', { class: 'score' }, fmtScore(row.score)),
      row.cells.map((x) => cell(x, icpc))));
  }
  if (!sb.rows.length) body.append(h('tr', {}, h('td', { colspan: String(4 + sb.problems.length), class: 'empty' }, t('scoreboard.empty'))));
  out.append(h('div', { class: 'scroll' }, h('table', { class: 'scoreboard ' + (icpc ? 'icpc' : 'ioi') }, h('thead', {}, head), body)));
  out.append(h('p', { class: 'legend' }, h('span', { class: 'cell solved first' }, t('scoreboard.legend_first')), ' ',
    h('span', { class: 'cell solved' }, t('scoreboard.legend_solved')), ' ', h('span', { class: 'cell pending' }, t('scoreboard.legend_pending')), ' ',
    h('span', { class: 'cell failed' }, t('scoreboard.legend_failed'))));
  colorBalloons(out);
  return out;
}

// The viewer's row: their team, or in an individual contest themselves.
function myTeam(c) {
  if (c.my_team !== null && c.my_team !== undefined) return c.my_team;
  return c.my_role === 'participant' && !c.team_mode && session.user ? session.user.id : null;
}

function fmtScore(s) {
  return typeof s === 'number' ? String(Math.round(s * 100) / 100) : '—';
}

function cell(x, icpc) {
  const cls = ['cell'];
  if (x.solved) cls.push('solved');
  if (x.first) cls.push('first');
  if (x.pending) cls.push('pending');
  if (!x.solved && !x.pending && x.attempts) cls.push('failed');
  let label = '';
  let text = '';
  if (icpc) {
    if (x.solved) { text = String(x.time); label = t('scoreboard.cell_solved', { tries: x.attempts, time: x.time }); }
    else if (x.attempts || x.pending) { label = t('scoreboard.cell_tries', { tries: x.attempts, pending: x.pending || 0 }); }
    return h('td', { class: cls.join(' '), title: label || null, 'aria-label': label || null },
      x.solved ? h('span', { class: 'time' }, text) : null,
      x.attempts || x.pending ? h('span', { class: 'tries' }, x.pending ? x.attempts + '+' + x.pending : String(x.attempts)) : null);
  }
  return h('td', { class: cls.join(' ') }, x.attempts || x.pending ? fmtScore(x.score) : '');
}

// ---- clarifications ------------------------------------------------------------------------------
export async function clarifications(view, id) {
  const [c, probs] = await Promise.all([loadContest(id), loadProblems(id)]);
  frame(view, c, 'clarifications');
  const list = h('div', { id: 'clarifications' });
  const labels = {};
  for (const p of probs || []) labels[p.problem] = p.label;
  const load = async () => {
    const r = (await api('GET', '/api/v1/contests/' + id + '/clarifications')).clarifications || [];
    clear(list);
    const answers = {};
    for (const x of r) if (x.reply_to) (answers[x.reply_to] = answers[x.reply_to] || []).push(x);
    const roots = r.filter((x) => !x.reply_to || !r.some((q) => q.id === x.reply_to));
    if (!roots.length) list.append(h('p', { class: 'empty' }, t('clar.none')));
    for (const x of roots.sort((a, b) => (b.time || b.created_at || 0) - (a.time || a.created_at || 0))) {
      list.append(clarItem(x, answers[x.id] || [], labels, c, id, load));
    }
  };
  await load();
  every(15000, load);
  if (session.user) view.append(askForm(c, probs, id, load));
  view.append(h('h2', {}, t('clar.title')), list);
}

function clarItem(x, answers, labels, c, id, reload) {
  const who = x.announcement ? t('clar.announcement') : x.from_name || x.from || t('clar.jury');
  const item = h('article', { class: 'clar' + (x.announcement ? ' announcement' : ''), dataset: { id: x.id } },
    h('header', {}, h('strong', {}, who), ' · ', fmtTime(x.time || x.created_at),
      x.problem ? [' · ', t('clar.about', { label: labels[x.problem] || '#' + x.problem })] : null),
    h('p', { class: 'text' }, x.text),
    answers.map((a) => h('div', { class: 'answer' }, h('strong', {}, t('clar.answer')), ' ', h('span', { class: 'text' }, a.text))));
  if (isJury(c) && !x.announcement) {
    const text = h('textarea', { rows: '2', name: 'answer', class: 'answer-text' });
    const all = h('input', { type: 'checkbox', name: 'to_all' });
    const form = h('form', { class: 'answer-form' }, field('clar.answer_label', text),
      h('label', { class: 'check' }, all, ' ', t('clar.answer_to_all')), h('button', { type: 'submit' }, t('clar.send_answer')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const body = { text: text.value, reply_to: x.id };
      if (all.checked) body.to = 'all';
      else if (x.from) body.to = x.from;
      try { await api('POST', '/api/v1/contests/' + id + '/clarifications', body); toast(t('clar.sent')); reload(); } catch (e) { toast(errorText(e), 'error'); }
    });
    item.append(form);
  }
  return item;
}

function askForm(c, probs, id, reload) {
  const text = h('textarea', { id: 'clar-text', name: 'text', rows: '3', required: true });
  const prob = h('select', { id: 'clar-problem', name: 'problem' }, h('option', { value: '' }, t('clar.general')),
    (probs || []).map((p) => h('option', { value: p.problem }, p.label + '. ' + p.title)));
  const ann = h('input', { type: 'checkbox', id: 'clar-announcement' });
  const err = h('p', { class: 'error', role: 'alert', hidden: true });
  const form = h('form', { class: 'ask', id: 'clar-form' },
    h('h2', {}, isJury(c) ? t('clar.post_title') : t('clar.ask_title')), field('clar.problem', prob), field('clar.text', text),
    isJury(c) ? h('label', { class: 'check' }, ann, ' ', t('clar.as_announcement')) : null, err,
    h('button', { type: 'submit' }, isJury(c) ? t('clar.post') : t('clar.ask')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = { text: text.value };
    if (prob.value) body.problem = Number(prob.value);
    if (ann.checked) { body.announcement = true; body.to = 'all'; }
    try {
      await api('POST', '/api/v1/contests/' + id + '/clarifications', body);
      text.value = '';
      err.hidden = true;
      toast(t('clar.sent'));
      reload();
    } catch (e) { err.hidden = false; err.textContent = errorText(e); }
  });
  return form;
}

// ---- plots ----------------------------------------------------------------------------------------
// Built only from what the API shows this viewer: the jury sees every
// submission, a contestant their own (and their team's); the score
// progression uses the scoreboard's top teams.
export async function stats(view, id) {
  const [c, probs] = await Promise.all([loadContest(id), loadProblems(id)]);
  frame(view, c, 'stats');
  let subs = [];
  if (session.user) {
    try { subs = (await api('GET', '/api/v1/submissions?contest=' + id + '&limit=100')).submissions || []; } catch (e) { subs = []; }
  }
  let sb = null;
  try { sb = await api('GET', '/api/v1/contests/' + id + '/scoreboard'); } catch (e) { sb = null; }
  const Chart = await loadChart();
  const palette = ['#2554c7', '#17803d', '#c02b2b', '#a86400', '#7b3fc4', '#0f8a8a', '#c43f8e', '#5b6475'];
  const paint = (sets) => sets.map((d, i) => ({ ...d, borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length] }));
  const count = { beginAtZero: true, ticks: { precision: 0 } };
  const labelOf = {};
  for (const p of probs || []) labelOf[p.problem] = p.label;
  const probIds = (probs || []).map((p) => p.problem);
  const canvas = (idn, key) => {
    const cv = h('canvas', { id: idn, role: 'img', 'aria-label': t(key) });
    view.append(h('section', { class: 'plot' }, h('h2', {}, t(key)), h('div', { class: 'plot-box' }, cv)));
    return cv;
  };
  view.append(h('p', { class: 'hint' }, session.user && !isJury(c) ? t('stats.own_only') : t('stats.visible_only')));
  // Submissions over time, per problem (10 buckets across the contest).
  const buckets = 12, width = Math.max(1, c.duration / buckets);
  const over = probIds.map((pid) => {
    const counts = new Array(buckets).fill(0);
    for (const s of subs) if (s.problem === pid) counts[Math.min(buckets - 1, Math.max(0, Math.floor((s.submitted_at - c.start_time) / width)))]++;
    return { label: labelOf[pid], data: counts };
  });
  new Chart(canvas('plot-time', 'stats.over_time'), {
    type: 'line',
    data: { labels: [...Array(buckets).keys()].map((i) => Math.round(i * width / 60) + "'"), datasets: paint(over) },
    options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: count } },
  });
  // The verdict mix per problem.
  const verdicts = ['AC', 'WA', 'TLE', 'MLE', 'RTE', 'CE', 'OLE', 'JE'];
  new Chart(canvas('plot-verdicts', 'stats.verdict_mix'), {
    type: 'bar',
    data: {
      labels: probIds.map((p) => labelOf[p]),
      datasets: paint(verdicts.map((v) => ({ label: t('verdict.' + v), data: probIds.map((pid) => subs.filter((s) => s.problem === pid && s.verdict === v).length) }))),
    },
    options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { x: { stacked: true }, y: { stacked: true, ...count } } },
  });
  // Score progression of the top teams: their solved problems (or IOI points) over time.
  const top = sb ? sb.rows.slice(0, 5) : [];
  const icpc = (c.rules || 'icpc') === 'icpc';
  new Chart(canvas('plot-progress', 'stats.progression'), {
    type: 'line',
    data: {
      datasets: paint(top.map((row) => {
        const pts = row.cells.filter((x) => x.solved || (!icpc && x.score)).map((x) => ({ time: x.time || 0, v: icpc ? 1 : x.score }))
          .sort((a, b) => a.time - b.time);
        let acc = 0;
        return { label: row.name, stepped: true, data: [{ x: 0, y: 0 }, ...pts.map((p) => ({ x: p.time, y: (acc += p.v) }))] };
      })),
    },
    options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { x: { type: 'linear', min: 0, max: Math.ceil(c.duration / 60), title: { display: true, text: t('stats.minutes') } }, y: { ...count, title: { display: true, text: icpc ? t('scoreboard.solved') : t('scoreboard.score') } } } },
  });
}

// ---- an AI contest's leaderboards (ai.js) ----------------------------------------------------------
export async function leaderboard(view, id) {
  const [c, probs] = await Promise.all([loadContest(id), loadProblems(id)]);
  frame(view, c, 'leaderboard');
  const { leaderboardPage } = await import('./ai.js');
  await leaderboardPage(view, c, probs, isJury(c));
}
