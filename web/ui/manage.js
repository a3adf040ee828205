// manage.js: pages for organizers, the jury and admins: create and edit a
// contest (its problems: order, letters, colours, points), upload problem
// packages (validation errors shown as the server words them), rejudge with
// a preview, the queue and judge hosts, users and roles (with CSV import),
// and the audit log.
import { api, t, h, clear, field, toast, errorText, fmtTime, verdictBadge, ApiError } from './core.js';
import { session, navigate, every, isStaff } from './app.js';
import { submissionsTable, problemTitles } from './pages.js';

function needStaff() {
  if (!session.user) throw new ApiError(401, 'unauthorized', '');
}

function localInput(unix) {
  const d = new Date(unix * 1000);
  const p = (n) => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(d.getHours()) + ':' + p(d.getMinutes());
}

// The contest form: for a new contest (c null) or an existing one.
function contestForm(c, onSave) {
  const now = Math.floor(Date.now() / 1000);
  const f = {
    short_name: h('input', { id: 'c-short-name', required: true, maxlength: '64', pattern: '[A-Za-z0-9._\\-]+', value: c ? c.short_name : '', readonly: c ? true : null }),
    title: h('input', { id: 'c-title', required: true, maxlength: '256', value: c ? c.title : '' }),
    start: h('input', { id: 'c-start', type: 'datetime-local', required: true, value: localInput(c ? c.start_time : now + 3600) }),
    duration: h('input', { id: 'c-duration', type: 'number', min: '1', required: true, value: String(c ? Math.round(c.duration / 60) : 300) }),
    freeze: h('input', { id: 'c-freeze', type: 'number', min: '0', value: String(c ? Math.round((c.freeze || 0) / 60) : 60) }),
    rules: h('select', { id: 'c-rules' }, ['icpc', 'ioi', 'oi'].map((r) => h('option', { value: r, selected: c ? c.rules === r : r === 'icpc' }, t('contest.rules_' + r)))),
    registration: h('select', { id: 'c-registration' }, ['open', 'code', 'admin'].map((r) => h('option', { value: r, selected: c ? c.registration === r : r === 'open' }, t('contest.registration_' + r)))),
    code: h('input', { id: 'c-code', maxlength: '64', value: c && c.registration_code ? c.registration_code : '' }),
    penalty: h('input', { id: 'c-penalty', type: 'number', min: '0', value: String(c ? c.penalty_minutes ?? 20 : 20) }),
    max_subs: h('input', { id: 'c-max-submissions', type: 'number', min: '0', value: String(c ? c.max_submissions || 0 : 0) }),
    interval: h('input', { id: 'c-interval', type: 'number', min: '0', value: String(c ? c.submission_interval || 0 : 0) }),
    public: h('input', { id: 'c-public', type: 'checkbox', checked: c ? !!c.public : true }),
    team: h('input', { id: 'c-team-mode', type: 'checkbox', checked: c ? !!c.team_mode : false }),
    unfrozen: h('input', { id: 'c-unfrozen', type: 'checkbox', checked: c ? !!c.unfrozen : false }),
  };
  const err = h('p', { class: 'error', role: 'alert', hidden: true, id: 'contest-error' });
  const form = h('form', { class: 'contest-form', id: 'contest-form' },
    h('div', { class: 'grid' }, field('contest.f_short_name', f.short_name, 'contest.f_short_name_hint'), field('contest.f_title', f.title),
      field('contest.f_start', f.start), field('contest.f_duration', f.duration), field('contest.f_freeze', f.freeze, 'contest.f_freeze_hint'),
      field('contest.f_rules', f.rules), field('contest.f_registration', f.registration), field('contest.f_code', f.code),
      field('contest.f_penalty', f.penalty), field('contest.f_max_submissions', f.max_subs, 'contest.f_zero_unlimited'),
      field('contest.f_interval', f.interval)),
    h('label', { class: 'check' }, f.public, ' ', t('contest.f_public')),
    h('label', { class: 'check' }, f.team, ' ', t('contest.f_team_mode')),
    c ? h('label', { class: 'check' }, f.unfrozen, ' ', t('contest.f_unfrozen')) : null,
    err, h('button', { type: 'submit', id: 'contest-save' }, c ? t('action.save') : t('contest.create')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = {
      title: f.title.value, start_time: Math.floor(new Date(f.start.value).getTime() / 1000),
      duration: Number(f.duration.value) * 60, freeze: Number(f.freeze.value) * 60, rules: f.rules.value,
      registration: f.registration.value, penalty_minutes: Number(f.penalty.value), max_submissions: Number(f.max_subs.value),
      submission_interval: Number(f.interval.value), public: f.public.checked, team_mode: f.team.checked,
    };
    if (!c) body.short_name = f.short_name.value;
    if (f.code.value) body.registration_code = f.code.value;
    if (c) body.unfrozen = f.unfrozen.checked;
    try { await onSave(body); err.hidden = true; } catch (e) { err.hidden = false; err.textContent = errorText(e); }
  });
  return form;
}

export async function contestNew(view) {
  needStaff();
  view.append(h('h1', {}, t('contest.create')), contestForm(null, async (body) => {
    const r = await api('POST', '/api/v1/contests', body);
    toast(t('contest.created'));
    navigate('/contests/' + r.id + '/manage');
  }));
}

export async function contestEdit(view, id) {
  needStaff();
  const c = (await api('GET', '/api/v1/contests/' + id)).contest;
  view.append(h('h1', {}, t('contest.manage_title', { title: c.title })),
    h('p', {}, h('a', { href: '/contests/' + id }, t('contest.back'))),
    h('h2', {}, t('contest.settings')),
    contestForm(c, async (body) => { await api('PATCH', '/api/v1/contests/' + id, body); toast(t('action.saved')); }));
  view.append(await contestProblems(id));
  view.append(await participants(id));
  view.append(rejudgeBox({ contest: id }));
}

// The contest's problem set: add from the archive, reorder, letters, colours, points.
async function contestProblems(id) {
  const sec = h('section', { id: 'contest-problems-editor' }, h('h2', {}, t('contest.problem_set')));
  let set = [];
  try { set = ((await api('GET', '/api/v1/contests/' + id + '/problems')).problems || []).map((p) => ({ ...p })); } catch (e) { set = []; }
  const archive = (await api('GET', '/api/v1/problems?limit=100')).problems;
  const body = h('tbody');
  const draw = () => {
    clear(body);
    set.forEach((p, i) => {
      const label = h('input', { value: p.label, maxlength: '8', size: '3', 'aria-label': t('contest.label_of', { title: p.title }), class: 'p-label' });
      const color = h('input', { type: 'color', value: /^#[0-9a-f]{6}$/i.test(p.color || '') ? p.color : '#3366cc', 'aria-label': t('contest.color_of', { title: p.title }) });
      const points = h('input', { type: 'number', min: '1', step: 'any', value: String(p.points || 1), 'aria-label': t('contest.points_of', { title: p.title }), class: 'p-points' });
      label.addEventListener('input', () => { p.label = label.value; });
      color.addEventListener('input', () => { p.color = color.value; });
      points.addEventListener('input', () => { p.points = Number(points.value); });
      const move = (d) => { const j = i + d; if (j < 0 || j >= set.length) return; [set[i], set[j]] = [set[j], set[i]]; draw(); };
      body.append(h('tr', {}, h('td', {}, label), h('td', {}, p.title), h('td', {}, color), h('td', {}, points),
        h('td', { class: 'actions' },
          h('button', { type: 'button', onclick: () => move(-1), 'aria-label': t('contest.move_up', { title: p.title }), disabled: i === 0 }, '↑'),
          h('button', { type: 'button', onclick: () => move(1), 'aria-label': t('contest.move_down', { title: p.title }), disabled: i === set.length - 1 }, '↓'),
          h('button', { type: 'button', onclick: () => { set.splice(i, 1); draw(); } }, t('action.remove')))));
    });
    if (!set.length) body.append(h('tr', {}, h('td', { colspan: '5', class: 'empty' }, t('contest.no_problems'))));
  };
  const pick = h('select', { id: 'add-problem' }, archive.map((p) => h('option', { value: p.id }, p.title + ' (' + p.short_name + ')')));
  const add = h('button', { type: 'button', id: 'add-problem-button' }, t('contest.add_problem'));
  add.addEventListener('click', () => {
    const p = archive.find((x) => x.id === Number(pick.value));
    if (!p || set.some((x) => x.problem === p.id)) return;
    set.push({ problem: p.id, label: String.fromCharCode(65 + set.length), color: '#3366cc', points: 1, title: p.title });
    draw();
  });
  const save = h('button', { type: 'button', id: 'save-problems' }, t('contest.save_problems'));
  save.addEventListener('click', async () => {
    try {
      await api('PUT', '/api/v1/contests/' + id + '/problems', { problems: set.map((p) => ({ problem: p.problem, label: p.label, color: p.color || '#3366cc', points: p.points > 0 ? p.points : 1 })) });
      toast(t('action.saved'));
    } catch (e) { toast(errorText(e), 'error'); }
  });
  sec.append(h('div', { class: 'scroll' }, h('table', { class: 'list' }, h('thead', {}, h('tr', {},
    ['label', 'title', 'color', 'points', 'actions'].map((k) => h('th', { scope: 'col' }, t('contest.col_' + k))))), body)),
  h('div', { class: 'row' }, field('contest.archive_problem', pick), add), save);
  draw();
  return sec;
}

async function participants(id) {
  const sec = h('section', { id: 'participants' }, h('h2', {}, t('contest.participants')));
  const list = h('ul', { class: 'plain' });
  const load = async () => {
    let ps = [];
    try { ps = (await api('GET', '/api/v1/contests/' + id + '/participants')).participants || []; } catch (e) { ps = []; }
    clear(list).append(...ps.map((p) => h('li', {}, p.name || p.user_name || String(p.user), ' · ', t('contest.role_' + (p.role || 'participant')))));
  };
  const user = h('input', { id: 'add-participant', maxlength: '64' });
  const role = h('select', {}, ['participant', 'jury'].map((r) => h('option', { value: r }, t('contest.role_' + r))));
  const btn = h('button', { type: 'button' }, t('contest.add_participant'));
  btn.addEventListener('click', async () => {
    try { await api('POST', '/api/v1/contests/' + id + '/participants', { user: user.value, role: role.value }); user.value = ''; load(); } catch (e) { toast(errorText(e), 'error'); }
  });
  sec.append(list, h('div', { class: 'row' }, field('contest.user_name', user), field('contest.role', role), btn));
  await load();
  return sec;
}

// Rejudging: a preview first (what would change), then the real thing.
function rejudgeBox(target) {
  const sec = h('section', { class: 'rejudge', id: 'rejudge' }, h('h2', {}, t('rejudge.title')));
  const kind = h('select', { id: 'rejudge-kind' }, ['submission', 'problem', 'contest'].map((k) => h('option', { value: k, selected: target[k] !== undefined }, t('rejudge.kind_' + k))));
  const idIn = h('input', { id: 'rejudge-id', type: 'number', min: '1', value: String(Object.values(target)[0] || '') });
  const out = h('div', { 'aria-live': 'polite' });
  const run = async (preview) => {
    try {
      const r = await api('POST', '/api/v1/rejudgings', { [kind.value]: Number(idIn.value), preview });
      const rj = r.rejudging || r;
      clear(out).append(h('p', {}, preview ? t('rejudge.preview_result', { n: rj.count ?? (rj.submissions || []).length }) : t('rejudge.started', { id: rj.id ?? '' })));
      if (preview) out.append(h('button', { type: 'button', id: 'rejudge-confirm', onclick: () => run(false) }, t('rejudge.confirm')));
    } catch (e) { clear(out).append(h('p', { class: 'error' }, errorText(e))); }
  };
  sec.append(h('div', { class: 'row' }, field('rejudge.kind', kind), field('rejudge.id', idIn),
    h('button', { type: 'button', id: 'rejudge-preview', onclick: () => run(true) }, t('rejudge.preview'))), out);
  return sec;
}

export async function rejudge(view) {
  needStaff();
  view.append(h('h1', {}, t('rejudge.title')), rejudgeBox({}));
}

// ---- problems: upload and publish --------------------------------------------------------------
export async function problems(view) {
  needStaff();
  const file = h('input', { type: 'file', id: 'package-file', accept: '.zip,application/zip', required: true });
  const name = h('input', { id: 'package-name', maxlength: '64', pattern: '[A-Za-z0-9._\\-]*' });
  const err = h('div', { class: 'error validation', role: 'alert', hidden: true, id: 'upload-error' });
  const ok = h('p', { class: 'success', hidden: true, id: 'upload-ok', role: 'status' });
  const btn = h('button', { type: 'submit', id: 'upload-button' }, t('upload.submit'));
  const form = h('form', { id: 'upload-form' }, h('h2', {}, t('upload.title')),
    field('upload.file', file, 'upload.file_hint'), field('upload.name', name, 'upload.name_hint'), btn, err, ok);
  const list = h('div', { id: 'problem-admin-list' });
  const load = async () => {
    const ps = (await api('GET', '/api/v1/problems?limit=100')).problems;
    clear(list).append(h('div', { class: 'scroll' }, h('table', { class: 'list' },
      h('thead', {}, h('tr', {}, ['title', 'short_name', 'published', 'tags', 'difficulty', 'save'].map((k) => h('th', { scope: 'col' }, t('upload.col_' + k))))),
      h('tbody', {}, ps.map((p) => {
        const pub = h('input', { type: 'checkbox', checked: p.published, 'aria-label': t('upload.publish_label', { title: p.title }) });
        pub.addEventListener('change', async () => {
          try { await api('PATCH', '/api/v1/problems/' + p.id, { published: pub.checked }); toast(t('action.saved')); } catch (e) { pub.checked = !pub.checked; toast(errorText(e), 'error'); }
        });
        // Tags and difficulty: the server checks them and names the field at fault.
        const tags = h('input', { class: 'p-tags', value: (p.tags || []).join(', '), size: '24', maxlength: '600',
          'aria-label': t('upload.tags_label', { title: p.title }), title: t('upload.tags_hint') });
        const diff = h('select', { class: 'p-difficulty', 'aria-label': t('upload.difficulty_label', { title: p.title }) },
          h('option', { value: '' }, t('upload.no_difficulty')),
          [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => h('option', { value: String(n), selected: p.difficulty === n }, String(n))));
        const save = h('button', { type: 'button', class: 'p-save' }, t('action.save'));
        save.addEventListener('click', async () => {
          const list = tags.value.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean);
          try {
            const r = await api('PATCH', '/api/v1/problems/' + p.id, { tags: list, difficulty: diff.value ? Number(diff.value) : null });
            tags.value = r.problem.tags.join(', ');
            toast(t('action.saved'));
          } catch (e) { toast(errorText(e), 'error'); }
        });
        return h('tr', { dataset: { id: p.id, name: p.short_name } }, h('td', {}, h('a', { href: '/problems/' + p.id }, p.title)),
          h('td', {}, h('code', {}, p.short_name)), h('td', {}, pub), h('td', {}, tags), h('td', {}, diff), h('td', {}, save));
      })))));
  };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.hidden = true; ok.hidden = true;
    const f = file.files[0];
    if (!f) return;
    btn.disabled = true;
    try {
      const q = name.value ? '?name=' + encodeURIComponent(name.value) : '';
      const r = await api('POST', '/api/v1/problems' + q, f, { type: 'application/zip' });
      ok.hidden = false;
      ok.textContent = t('upload.done', { title: r.problem.title, name: r.problem.short_name });
      load();
    } catch (e) {
      // The server names the file and line at fault: show its words as they are.
      err.hidden = false;
      clear(err).append(h('strong', {}, e.code === 'invalid_package' ? t('upload.invalid') : t('upload.failed')),
        h('pre', { class: 'validation-message' }, e.message || e.code));
    } finally { btn.disabled = false; }
  });
  view.append(h('h1', {}, t('upload.page_title')), form, h('h2', {}, t('upload.list')), list,
    h('p', {}, h('a', { href: '/manage/rejudge' }, t('rejudge.title'))));
  await load();
}

// ---- the queue and judge hosts ---------------------------------------------------------------------
export async function queue(view) {
  needStaff();
  const subsBox = h('div', { id: 'queue' });
  const hosts = h('div', { id: 'judges' });
  const titles = await problemTitles();
  const load = async () => {
    const r = await api('GET', '/api/v1/submissions?limit=50');
    clear(subsBox).append(submissionsTable(r.submissions, { users: {}, problemName: (id) => titles[id] || '#' + id }));
    try {
      const j = (await api('GET', '/api/v1/judges')).judges || [];
      clear(hosts).append(h('div', { class: 'scroll' }, h('table', { class: 'list' },
        h('thead', {}, h('tr', {}, ['host', 'status', 'languages', 'last_seen', 'enabled'].map((k) => h('th', { scope: 'col' }, t('judges.col_' + k))))),
        h('tbody', {}, j.map((x) => h('tr', {}, h('td', {}, x.name || x.host),
          h('td', {}, x.status ? t('judges.status_' + x.status) : '—',
            x.current_submission ? [' ', h('a', { href: '/submissions/' + x.current_submission }, '#' + x.current_submission)] : null),
          h('td', {}, (x.languages || []).join(', ')),
          h('td', {}, fmtTime(x.last_heartbeat)), h('td', {}, x.enabled === false ? t('action.no') : t('action.yes'))))))));
    } catch (e) { clear(hosts).append(h('p', { class: 'empty' }, errorText(e))); }
  };
  view.append(h('h1', {}, t('queue.title')), h('h2', {}, t('queue.recent')), subsBox, h('h2', {}, t('judges.title')), hosts);
  await load();
  every(5000, load);
}

// ---- admin: users, CSV import, audit -----------------------------------------------------------------
export async function users(view) {
  needStaff();
  const box = h('div', { id: 'users' });
  const roles = ['contestant', 'teacher', 'organizer', 'admin', 'judge'];
  const load = async () => {
    const us = (await api('GET', '/api/v1/users')).users || [];
    clear(box).append(h('div', { class: 'scroll' }, h('table', { class: 'list' },
      h('thead', {}, h('tr', {}, ['name', 'display_name', 'role'].map((k) => h('th', { scope: 'col' }, t('users.col_' + k))))),
      h('tbody', {}, us.map((u) => {
        const sel = h('select', { 'aria-label': t('users.role_of', { name: u.name }) }, roles.map((r) => h('option', { value: r, selected: u.role === r }, t('role.' + r))));
        sel.addEventListener('change', async () => {
          try { await api('PATCH', '/api/v1/users/' + u.id, { role: sel.value }); toast(t('action.saved')); } catch (e) { sel.value = u.role; toast(errorText(e), 'error'); }
        });
        return h('tr', {}, h('td', {}, u.name), h('td', {}, u.display_name || ''), h('td', {}, sel));
      })))));
  };
  const csv = h('textarea', { id: 'users-csv', rows: '5', placeholder: 'name,display_name,role,password' });
  const file = h('input', { type: 'file', accept: '.csv,text/csv' });
  file.addEventListener('change', async () => { if (file.files[0]) csv.value = await file.files[0].text(); });
  const out = h('div', { 'aria-live': 'polite' });
  const imp = h('button', { type: 'button', id: 'users-import' }, t('users.import'));
  imp.addEventListener('click', async () => {
    try {
      const r = await api('POST', '/api/v1/users/import', csv.value, { type: 'text/csv' });
      clear(out).append(h('p', { class: 'success' }, t('users.imported', { n: (r.users || r.created || []).length ?? '' })));
      if (r.users) out.append(h('pre', {}, r.users.map((u) => u.name + (u.password ? ',' + u.password : '')).join('\n')));
      load();
    } catch (e) {
      // A bad file: the server lists every bad row (line and reason), nothing was imported.
      const rows = e.detail && Array.isArray(e.detail.rows) ? e.detail.rows : [];
      clear(out).append(h('p', { class: 'error', role: 'alert', id: 'import-error' },
        rows.length ? t('users.import_bad_rows', { n: rows.length }) : errorText(e)));
      if (rows.length) {
        out.append(h('div', { class: 'scroll' }, h('table', { class: 'list', id: 'import-errors' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('users.col_line')), h('th', { scope: 'col' }, t('users.col_reason')))),
          h('tbody', {}, rows.map((x) => h('tr', {}, h('td', {}, String(x.line)), h('td', {}, x.reason)))))));
      }
    }
  });
  view.append(h('h1', {}, t('users.title')), box, h('h2', {}, t('users.import_title')),
    field('users.csv', csv, 'users.csv_hint'), field('users.csv_file', file), imp, out);
  await load();
}

export async function audit(view) {
  needStaff();
  const r = await api('GET', '/api/v1/audit');
  const rows = r.entries || r.audit || [];
  view.append(h('h1', {}, t('audit.title')), h('div', { class: 'scroll' }, h('table', { class: 'list' },
    h('thead', {}, h('tr', {}, ['at', 'actor', 'action', 'target', 'detail'].map((k) => h('th', { scope: 'col' }, t('audit.col_' + k))))),
    h('tbody', {}, rows.map((e) => h('tr', {}, h('td', {}, fmtTime(e.at)), h('td', {}, e.actor_name || String(e.actor ?? e.actor_user_id ?? '')),
      h('td', {}, h('code', {}, e.action)), h('td', {}, e.target || ''), h('td', { class: 'detail' }, e.detail || '')))))));
}

export { isStaff, verdictBadge };
