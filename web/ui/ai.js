// ai.js: the pages of AI problems and contests: on an AI problem's page the
// metric, the data files to download and a prediction-file upload (language
// `predictions`; an invalid file's message is shown); in an AI contest the
// Leaderboard tab: the public board and, once published, the private one
// (baselines marked), the final-submission choice, the user's compute usage
// against the quotas, and for the jury: publishing the private board,
// marking baselines, quotas and the CSV export.
import { api, t, h, clear, field, toast, errorText, fmtTime, fmtBytes, verdictBadge, ApiError } from './core.js';
import { session } from './app.js';
import { watch } from './pages.js';

// ---- an AI problem's page -----------------------------------------------------------------------
// p: the problem (p.ai set); ctx: null in the archive, else {contest, entry}.
export async function aiSection(p, ctx) {
  const base = ctx && ctx.contest ? '/api/v1/contests/' + ctx.contest.id + '/problems/' + p.id : '/api/v1/problems/' + p.id;
  const box = h('section', { class: 'ai', id: 'ai-problem' });
  box.append(h('dl', { class: 'limits', id: 'ai-metric' },
    h('dt', {}, t('ai.metric')), h('dd', {}, p.ai.metric || '—'),
    h('dt', {}, t('ai.direction')), h('dd', {}, t('ai.direction_' + (p.ai.direction === 'minimize' ? 'minimize' : 'maximize'))),
    h('dt', {}, t('ai.precision')), h('dd', {}, t('ai.decimals', { n: p.ai.precision }))));
  let files = [];
  try { files = (await api('GET', base + '/files')).files || []; } catch (e) { files = []; }
  box.append(h('h2', {}, t('ai.files')));
  if (!files.length) box.append(h('p', { class: 'empty' }, t('ai.no_files')));
  else {
    box.append(h('ul', { class: 'files', id: 'ai-files' }, files.map((f) => h('li', {},
      h('a', { href: base + '/files/' + encodeURIComponent(f.name), download: f.name, dataset: { name: f.name } }, f.name),
      ' ', h('span', { class: 'hint' }, fmtBytes(f.size))))));
  }
  if (session.user) box.append(predictionForm(p, ctx));
  return box;
}

function predictionForm(p, ctx) {
  const file = h('input', { type: 'file', id: 'prediction-file', name: 'predictions', accept: '.csv,text/csv', required: true });
  const err = h('p', { class: 'error', role: 'alert', hidden: true, id: 'prediction-error' });
  const result = h('div', { class: 'submit-result', id: 'prediction-result', 'aria-live': 'polite' });
  const btn = h('button', { type: 'submit', id: 'prediction-button' }, t('ai.upload'));
  const form = h('form', { class: 'submit', id: 'prediction-form' }, h('h2', {}, t('ai.predictions_title')),
    field('ai.predictions_file', file, 'ai.predictions_hint'), err, btn, result);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.hidden = true;
    const f = file.files[0];
    if (!f) { err.hidden = false; err.textContent = t('ai.choose_file'); return; }
    const content = await f.text();
    const body = { problem: p.id, language: 'predictions', files: [{ name: /\.csv$/i.test(f.name) ? f.name : 'predictions.csv', content }] };
    if (ctx && ctx.contest) body.contest = ctx.contest.id;
    btn.disabled = true;
    try {
      const r = await api('POST', '/api/v1/submissions', body);
      clear(result).append(h('p', {}, t('submit.sent'), ' ', h('a', { href: '/submissions/' + r.id }, t('submit.view', { id: r.id }))));
      const line = h('p', { class: 'live', id: 'prediction-verdict' }, verdictBadge({ status: 'queued' }));
      result.append(line);
      watch(r.id, (s) => {
        clear(line).append(verdictBadge(s));
        if (s.status !== 'judged') return;
        if (s.verdict === 'AC' && typeof s.score === 'number') {
          line.append(' ', h('span', { class: 'ai-score', id: 'prediction-score' }, t('ai.public_score', { score: s.score })));
        } else if (s.message) {
          result.append(h('div', { class: 'detail' }, h('h3', {}, t('ai.invalid_predictions')),
            h('pre', { id: 'prediction-message' }, s.message)));
        }
      });
    } catch (e) {
      err.hidden = false;
      err.textContent = errorText(e);
    } finally {
      btn.disabled = false;
    }
  });
  return form;
}

// ---- the Leaderboard tab ---------------------------------------------------------------------------
// c: the contest, probs: its problems (those with `ai`), isJury: the viewer's standing.
export async function leaderboardPage(view, c, probs, isJury) {
  const aiProbs = (probs || []).filter((p) => p.ai);
  if (!aiProbs.length) { view.append(h('p', { class: 'empty' }, t('ai.no_ai_problems'))); return; }
  const pick = h('select', { id: 'leaderboard-problem' }, aiProbs.map((p) => h('option', { value: p.problem }, p.label + '. ' + p.title)));
  const boards = h('div', { id: 'leaderboards' });
  const csv = h('p', { class: 'export' });
  if (aiProbs.length > 1) view.append(field('ai.problem', pick));
  view.append(boards, csv);
  const load = async () => {
    const pid = Number(pick.value);
    const q = '/api/v1/contests/' + c.id + '/leaderboard?problem=' + pid;
    clear(boards);
    clear(csv).append(t('ai.export'), ' ',
      h('a', { href: q + '&board=public&format=csv', download: '', id: 'csv-public' }, t('ai.board_public')));
    if (isJury) csv.append(' · ', h('a', { href: q + '&board=private&format=csv', download: '', id: 'csv-private' }, t('ai.board_private')));
    boards.append(await board(q + '&board=public', 'public', isJury));
    boards.append(await board(q + '&board=private', 'private', isJury));
  };
  pick.addEventListener('change', load);
  await load();
  if (session.user && !isJury && c.my_role === 'participant') {
    view.append(await finalsBox(c, aiProbs));
    view.append(await usageBox(c));
  }
  if (isJury) view.append(juryBox(c, load));
}

async function board(path, which, isJury) {
  const sec = h('section', { class: 'leaderboard', id: 'leaderboard-' + which }, h('h2', {}, t('ai.board_' + which)));
  let lb;
  try { lb = await api('GET', path); } catch (e) {
    if (e instanceof ApiError && e.code === 'private_not_published') sec.append(h('p', { class: 'notice', id: 'private-note' }, t('ai.private_not_published')));
    else sec.append(h('p', { class: 'error' }, errorText(e)));
    return sec;
  }
  if (which === 'private' && isJury && !lb.private_published) sec.append(h('p', { class: 'hint' }, t('ai.private_jury_only')));
  const body = h('tbody');
  for (const row of lb.rows) {
    body.append(h('tr', { class: row.baseline ? 'baseline' : null, dataset: { name: row.name } },
      h('td', {}, row.rank === null ? '—' : String(row.rank)),
      h('th', { scope: 'row' }, row.name, row.baseline ? [' ', h('span', { class: 'badge baseline' }, t('ai.baseline'))] : null),
      h('td', { class: 'score' }, typeof row.score === 'number' ? row.score.toFixed(lb.precision) : '—'),
      h('td', {}, String(row.entries)), h('td', {}, fmtTime(row.last)),
      isJury ? h('td', {}, row.submission ? h('a', { href: '/submissions/' + row.submission }, '#' + row.submission) : '') : null));
  }
  if (!lb.rows.length) body.append(h('tr', {}, h('td', { colspan: '6', class: 'empty' }, t('ai.board_empty'))));
  sec.append(h('div', { class: 'scroll' }, h('table', { class: 'list leaderboard' },
    h('thead', {}, h('tr', {}, ['rank', 'team', 'score', 'entries', 'last'].map((k) => h('th', { scope: 'col' }, t('ai.col_' + k))),
      isJury ? h('th', { scope: 'col' }, t('ai.col_submission')) : null)), body)));
  return sec;
}

// The user's scored submissions, with checkboxes: at most K per problem.
async function finalsBox(c, aiProbs) {
  const k = c.final_submissions || 2;
  const sec = h('section', { class: 'finals', id: 'finals' }, h('h2', {}, t('ai.finals_title')),
    h('p', { class: 'hint' }, t('ai.finals_hint', { k })));
  // The submissions and the choice as stored on the server (the same
  // wherever the team chose it).
  const [subs, stored] = await Promise.all([
    api('GET', '/api/v1/submissions?contest=' + c.id).then((r) => r.submissions || []).catch(() => []),
    api('GET', '/api/v1/contests/' + c.id + '/final').then((r) => r.submissions || []).catch(() => [])]);
  const ids = new Set(aiProbs.map((p) => p.problem));
  const scored = subs.filter((s) => ids.has(s.problem) && s.status === 'judged' && s.verdict === 'AC' && typeof s.score === 'number');
  const chosen = new Set(stored);
  const label = {};
  for (const p of aiProbs) label[p.problem] = p.label;
  if (!scored.length) { sec.append(h('p', { class: 'empty' }, t('ai.finals_none'))); return sec; }
  const boxes = scored.map((s) => h('input', { type: 'checkbox', value: String(s.id), checked: chosen.has(s.id), dataset: { problem: s.problem } }));
  const msg = h('p', { class: 'hint', id: 'finals-status', 'aria-live': 'polite' });
  const form = h('form', { id: 'finals-form' }, h('ul', { class: 'checks' }, scored.map((s, i) => h('li', {},
    h('label', { class: 'check' }, boxes[i], ' ', '#' + s.id, ' · ', label[s.problem], ' · ', t('ai.score_value', { score: s.score }), ' · ', fmtTime(s.submitted_at))))),
  msg, h('button', { type: 'submit', id: 'finals-save' }, t('ai.finals_save')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const pick = boxes.filter((b) => b.checked);
    const per = {};
    for (const b of pick) per[b.dataset.problem] = (per[b.dataset.problem] || 0) + 1;
    if (Object.values(per).some((n) => n > k)) { msg.textContent = t('ai.finals_too_many', { k }); return; }
    try {
      const r = await api('POST', '/api/v1/contests/' + c.id + '/final', { submissions: pick.map((b) => Number(b.value)) });
      msg.textContent = (r.submissions || []).length ? t('ai.finals_saved', { ids: r.submissions.map((x) => '#' + x).join(', ') }) : t('ai.finals_default');
      toast(t('ai.finals_saved_toast'));
    } catch (e) { msg.textContent = errorText(e); }
  });
  sec.append(form);
  return sec;
}

const LIMITS = ['cpu_seconds_per_day', 'cpu_seconds_total', 'gpu_seconds_per_day', 'gpu_seconds_total'];

async function usageBox(c) {
  const sec = h('section', { class: 'usage', id: 'usage' }, h('h2', {}, t('ai.usage_title')));
  let u;
  try { u = await api('GET', '/api/v1/contests/' + c.id + '/usage'); } catch (e) { sec.append(h('p', { class: 'error' }, errorText(e))); return sec; }
  const rows = [];
  for (const scope of ['user', 'team']) {
    const who = u[scope];
    if (!who) continue;
    const quota = u.quotas ? u.quotas[scope] : null;
    const cell = (used, lim) => (quota && quota[lim] ? t('ai.used_of', { used: Math.round(used * 10) / 10, limit: quota[lim] }) : t('ai.used_unlimited', { used: Math.round(used * 10) / 10 }));
    rows.push(h('tr', { dataset: { scope } }, h('th', { scope: 'row' }, t('ai.scope_' + scope), ' ', who.name || ''),
      h('td', {}, cell(who.cpu_seconds_today, 'cpu_seconds_per_day')), h('td', {}, cell(who.cpu_seconds_total, 'cpu_seconds_total')),
      h('td', {}, cell(who.gpu_seconds_today, 'gpu_seconds_per_day')), h('td', {}, cell(who.gpu_seconds_total, 'gpu_seconds_total'))));
  }
  sec.append(h('div', { class: 'scroll' }, h('table', { class: 'list usage' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), LIMITS.map((l) => h('th', { scope: 'col' }, t('ai.limit_' + l))))),
    h('tbody', {}, rows))),
  h('p', { class: 'hint', id: 'usage-reset' }, t('ai.usage_resets', { time: u.resets_at ? fmtTime(Date.parse(u.resets_at) / 1000) : '—' })));
  return sec;
}

// ---- the jury's controls ------------------------------------------------------------------------------
function juryBox(c, reload) {
  const sec = h('section', { class: 'jury-ai', id: 'ai-jury' }, h('h2', {}, t('ai.jury_title')));
  const pub = h('button', { type: 'button', id: 'publish-private' }, c.private_published ? t('ai.unpublish_private') : t('ai.publish_private'));
  pub.addEventListener('click', async () => {
    try {
      const r = await api('PATCH', '/api/v1/contests/' + c.id, { private_published: !c.private_published });
      c.private_published = r.contest ? r.contest.private_published : !c.private_published;
      pub.textContent = c.private_published ? t('ai.unpublish_private') : t('ai.publish_private');
      toast(c.private_published ? t('ai.private_published') : t('ai.private_hidden'));
      reload();
    } catch (e) { toast(errorText(e), 'error'); }
  });
  sec.append(h('p', {}, pub));
  // baselines: a submission by id
  const sid = h('input', { type: 'number', min: '1', id: 'baseline-submission' });
  const on = h('input', { type: 'checkbox', id: 'baseline-on', checked: true });
  const bform = h('form', { id: 'baseline-form', class: 'row' }, field('ai.baseline_submission', sid),
    h('label', { class: 'check' }, on, ' ', t('ai.baseline_mark')), h('button', { type: 'submit' }, t('ai.baseline_save')));
  bform.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api('POST', '/api/v1/submissions/' + Number(sid.value) + '/baseline', { baseline: on.checked });
      toast(t('ai.baseline_saved'));
      reload();
    } catch (e) { toast(errorText(e), 'error'); }
  });
  sec.append(h('h3', {}, t('ai.baselines')), bform);
  // quotas
  const scope = h('select', { id: 'quota-scope' }, ['user', 'team'].map((s) => h('option', { value: s }, t('ai.scope_' + s))));
  const inputs = {};
  for (const l of LIMITS) inputs[l] = h('input', { type: 'number', min: '0', step: '1', id: 'quota-' + l, placeholder: t('ai.unlimited') });
  const fill = async () => {
    try {
      const q = await api('GET', '/api/v1/contests/' + c.id + '/quota');
      const cur = q.quotas ? q.quotas[scope.value] : null;
      for (const l of LIMITS) inputs[l].value = cur && cur[l] ? String(cur[l]) : '';
    } catch (e) { /* left empty */ }
  };
  scope.addEventListener('change', fill);
  const qform = h('form', { id: 'quota-form' }, h('div', { class: 'row' }, field('ai.quota_scope', scope),
    LIMITS.map((l) => field('ai.limit_' + l, inputs[l]))), h('button', { type: 'submit' }, t('ai.quota_save')));
  qform.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = { scope: scope.value };
    for (const l of LIMITS) body[l] = inputs[l].value === '' ? null : Number(inputs[l].value);
    try { await api('PUT', '/api/v1/contests/' + c.id + '/quota', body); toast(t('ai.quota_saved')); } catch (e) { toast(errorText(e), 'error'); }
  });
  sec.append(h('h3', {}, t('ai.quotas')), qform);
  fill();
  return sec;
}
