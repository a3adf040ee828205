// courses.js: courses for teachers and students (issue #7): my courses (create,
// join by code), a course (units with lessons and assignments; for staff the
// members, the CSV roster upload, new units), a lesson (the server's HTML with
// KaTeX math, highlighted code blocks and embedded problem links) and its
// editor, an assignment (deadlines with my extension, countdown, late rule,
// my grades, the problems) and its editor (times, late rule, counting, problems,
// extensions), a problem inside an assignment (the usual editor, submitting with
// `assignment`, plus "Run on samples"), the gradebook (CSV download) and the
// similarity report (pairs, then two sources side by side).
import {
  api, t, h, clear, field, toast, errorText, fmtTime, fmtDuration, verdictBadge, loadCodeMirror, loadScript,
  renderMath, LANGUAGES, ApiError,
} from './core.js';
import { session, navigate, every } from './app.js';
import { problemView, watch } from './pages.js';

const A = '/api/v1';

function needLogin() {
  if (!session.user) throw new ApiError(401, 'unauthorized', '');
}

function canCreate() {
  return !!session.user && ['teacher', 'organizer', 'admin'].includes(session.user.role);
}

function isStaff(c) {
  return !!c && (c.my_role === 'teacher' || c.my_role === 'ta' || (session.user && session.user.role === 'admin'));
}

function isTeacher(c) {
  return !!c && (c.my_role === 'teacher' || (session.user && session.user.role === 'admin'));
}

async function loadCourse(id) {
  return (await api('GET', A + '/courses/' + id)).course;
}

async function loadAssignment(id) {
  return (await api('GET', A + '/assignments/' + id)).assignment;
}

// <input type=datetime-local> <-> Unix seconds, in the browser's time zone.
function localInput(unix) {
  if (unix === null || unix === undefined) return '';
  const d = new Date(unix * 1000);
  const p = (n) => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(d.getHours()) + ':' + p(d.getMinutes());
}

function fromLocal(value) {
  return value ? Math.floor(new Date(value).getTime() / 1000) : null;
}

function num(x, digits) {
  return typeof x === 'number' ? x.toFixed(digits === undefined ? 2 : digits) : '—';
}

// A form's error line and a helper that shows an API error in it.
function errLine(id) {
  const p = h('p', { class: 'error', role: 'alert', hidden: true, id });
  p.show = (e) => { p.hidden = false; p.textContent = typeof e === 'string' ? e : errorText(e); };
  return p;
}

function crumbs(c, ...more) {
  const parts = [h('a', { href: '/courses' }, t('nav.courses')), c ? h('a', { href: '/courses/' + c.id }, c.title) : null, ...more].filter(Boolean);
  return h('nav', { class: 'crumbs', 'aria-label': t('course.crumbs') }, parts.map((x, i) => (i ? [' › ', x] : x)));
}

// ---- my courses ------------------------------------------------------------------------------------
export async function courses(view) {
  needLogin();
  const list = (await api('GET', A + '/courses')).courses || [];
  document.title = t('course.list_title') + ' — Crucible';
  view.append(h('h1', {}, t('course.list_title')));
  const sec = h('section', { id: 'course-list' });
  if (!list.length) sec.append(h('p', { class: 'empty' }, t('course.none')));
  else {
    sec.append(h('ul', { class: 'cards' }, list.map((c) => h('li', { class: 'card', dataset: { id: c.id } },
      h('a', { href: '/courses/' + c.id, class: 'title' }, c.title),
      c.my_role ? h('div', { class: 'meta' }, t('course.role_' + c.my_role)) : null,
      c.description ? h('div', { class: 'meta' }, c.description) : null))));
  }
  view.append(sec);
  // join by code (anyone signed in)
  const code = h('input', { id: 'join-code', name: 'code', autocomplete: 'off', required: true, maxlength: '32' });
  const jerr = errLine('join-error');
  const join = h('form', { id: 'join-form', class: 'row' }, field('course.join_code', code), h('button', { type: 'submit' }, t('course.join')));
  join.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const r = await api('POST', A + '/courses/join', { code: code.value.trim() });
      toast(t('course.joined'));
      navigate('/courses/' + r.course);
    } catch (e) { jerr.show(e.code === 'unknown_code' ? t('course.unknown_code') : e); }
  });
  view.append(h('h2', {}, t('course.join_title')), join, jerr);
  if (canCreate()) {
    const title = h('input', { id: 'course-title', required: true, maxlength: '200' });
    const desc = h('textarea', { id: 'course-description', rows: '3' });
    const jc = h('input', { id: 'course-join-code', maxlength: '32', pattern: '[A-Za-z0-9_\\-]{4,32}', autocomplete: 'off' });
    const err = errLine('course-create-error');
    const form = h('form', { id: 'course-create', class: 'narrow' }, field('course.title', title),
      field('course.description', desc), field('course.join_code_new', jc, 'course.join_code_hint'), err,
      h('button', { type: 'submit' }, t('course.create')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const body = { title: title.value, description: desc.value };
      if (jc.value) body.join_code = jc.value;
      try {
        const r = await api('POST', A + '/courses', body);
        navigate('/courses/' + r.id);
      } catch (e) { err.show(e); }
    });
    view.append(h('h2', {}, t('course.create_title')), form);
  }
}

// ---- a course ------------------------------------------------------------------------------------------
export async function course(view, id) {
  needLogin();
  const [c, units] = await Promise.all([loadCourse(id), api('GET', A + '/courses/' + id + '/units').then((r) => r.units || [])]);
  document.title = c.title + ' — Crucible';
  const staff = isStaff(c);
  view.append(crumbs(null), h('h1', {}, c.title), c.description ? h('p', { class: 'lead' }, c.description) : null,
    h('dl', { class: 'facts', id: 'course-facts' },
      h('dt', {}, t('course.my_role')), h('dd', {}, c.my_role ? t('course.role_' + c.my_role) : '—'),
      h('dt', {}, t('course.students')), h('dd', {}, String(c.students ?? '—')),
      c.join_code ? [h('dt', {}, t('course.join_code')), h('dd', {}, h('code', { id: 'course-code' }, c.join_code))] : null));
  if (staff) {
    view.append(h('p', { class: 'actions row', id: 'course-actions' },
      h('a', { class: 'button', href: '/courses/' + id + '/gradebook', id: 'gradebook-link' }, t('course.gradebook')),
      units.length ? h('a', { class: 'button', href: '/courses/' + id + '/lessons/new', id: 'new-lesson' }, t('course.new_lesson')) : null,
      h('a', { class: 'button', href: '/courses/' + id + '/assignments/new', id: 'new-assignment' }, t('course.new_assignment'))));
  }
  const list = h('section', { id: 'units' });
  if (!units.length) list.append(h('p', { class: 'empty' }, t('course.no_units')));
  for (const u of units) {
    const items = [];
    for (const l of u.lessons || []) {
      items.push(h('li', { class: 'lesson', dataset: { id: l.id } }, h('span', { class: 'tag' }, t('course.lesson')), ' ',
        h('a', { href: '/lessons/' + l.id }, l.title)));
    }
    for (const a of u.assignments || []) {
      items.push(h('li', { class: 'assignment', dataset: { id: a.id } }, h('span', { class: 'tag' }, t('course.assignment')), ' ',
        h('a', { href: '/assignments/' + a.id }, a.title), ' ', h('span', { class: 'hint' }, t('course.due', { time: fmtTime(a.due_time) }))));
    }
    list.append(h('section', { class: 'unit', dataset: { id: u.id } }, h('h2', {}, u.title),
      items.length ? h('ul', { class: 'unit-items' }, items) : h('p', { class: 'empty' }, t('course.unit_empty')),
      staff ? h('p', {}, h('a', { href: '/courses/' + id + '/lessons/new?unit=' + u.id, class: 'add-lesson' }, t('course.add_lesson'))) : null));
  }
  view.append(list);
  if (staff) view.append(unitForm(id));
  if (staff) view.append(await membersBox(c));
  if (isTeacher(c)) view.append(rosterBox(c));
}

function unitForm(id) {
  const title = h('input', { id: 'unit-title', required: true, maxlength: '200' });
  const err = errLine('unit-error');
  const form = h('form', { id: 'unit-form', class: 'row' }, field('course.unit_title', title), h('button', { type: 'submit' }, t('course.add_unit')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api('POST', A + '/courses/' + id + '/units', { title: title.value });
      navigate(location.pathname, true);
    } catch (e) { err.show(e); }
  });
  return h('section', { id: 'unit-new' }, h('h2', {}, t('course.new_unit')), form, err);
}

async function membersBox(c) {
  const sec = h('section', { id: 'members' }, h('h2', {}, t('course.members')));
  let members = [];
  try { members = (await api('GET', A + '/courses/' + c.id + '/members')).members || []; } catch (e) { sec.append(h('p', { class: 'error' }, errorText(e))); return sec; }
  const teacher = isTeacher(c);
  const body = h('tbody', {}, members.map((m) => h('tr', { dataset: { name: m.name } },
    h('td', {}, m.student_number || ''), h('th', { scope: 'row' }, personName(m)),
    h('td', {}, m.class || ''), h('td', {}, t('course.role_' + m.role)),
    teacher ? h('td', {}, h('button', { type: 'button', class: 'link', 'aria-label': t('course.remove_member', { name: m.name }),
      onclick: async () => {
        try { await api('DELETE', A + '/courses/' + c.id + '/members/' + m.user); navigate(location.pathname, true); } catch (e) { toast(errorText(e), 'error'); }
      } }, t('action.remove'))) : null)));
  if (!members.length) body.append(h('tr', {}, h('td', { colspan: '5', class: 'empty' }, t('course.no_members'))));
  sec.append(h('div', { class: 'scroll' }, h('table', { class: 'list', id: 'member-list' }, h('thead', {}, h('tr', {},
    ['student_number', 'name', 'class', 'role'].map((k) => h('th', { scope: 'col' }, t('course.col_' + k))),
    teacher ? h('th', { scope: 'col' }, t('course.col_actions')) : null)), body)));
  if (teacher) {
    const name = h('input', { id: 'member-name', required: true, maxlength: '64', autocomplete: 'off' });
    const role = h('select', { id: 'member-role' }, ['student', 'ta', 'teacher'].map((r) => h('option', { value: r }, t('course.role_' + r))));
    const sn = h('input', { id: 'member-number', maxlength: '64' });
    const cls = h('input', { id: 'member-class', maxlength: '64' });
    const err = errLine('member-error');
    const form = h('form', { id: 'member-form', class: 'row' }, field('course.member_user', name), field('course.col_role', role),
      field('course.col_student_number', sn), field('course.col_class', cls), h('button', { type: 'submit' }, t('course.add_member')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        await api('POST', A + '/courses/' + c.id + '/members', { user: name.value.trim(), role: role.value, student_number: sn.value, class: cls.value });
        navigate(location.pathname, true);
      } catch (e) { err.show(e); }
    });
    sec.append(h('h3', {}, t('course.add_member')), form, err);
  }
  return sec;
}

// The roster: a CSV (student_number,name,class[,username][,email]) typed or
// chosen as a file. Bad rows are listed by line (nothing stored); created
// accounts' passwords are shown once.
function rosterBox(c) {
  const text = h('textarea', { id: 'roster-csv', rows: '6', spellcheck: 'false', placeholder: 'student_number,name,class' });
  const file = h('input', { type: 'file', id: 'roster-file', accept: '.csv,text/csv' });
  const out = h('div', { id: 'roster-result', 'aria-live': 'polite' });
  file.addEventListener('change', async () => { if (file.files[0]) text.value = await file.files[0].text(); });
  const form = h('form', { id: 'roster-form' }, field('course.roster_csv', text, 'course.roster_hint'), field('course.roster_file', file),
    h('button', { type: 'submit', id: 'roster-upload' }, t('course.roster_upload')), out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const r = await api('POST', A + '/courses/' + c.id + '/roster', text.value, { type: 'text/csv' });
      const created = r.created || [];
      clear(out).append(h('p', { class: 'success', id: 'roster-done' }, t('course.roster_done', { n: r.enrolled ?? 0, created: created.length })));
      if (created.length) {
        out.append(h('p', { class: 'notice' }, t('course.passwords_once')), h('div', { class: 'scroll' }, h('table', { class: 'list', id: 'roster-created' },
          h('thead', {}, h('tr', {}, ['student_number', 'name', 'password'].map((k) => h('th', { scope: 'col' }, t('course.col_' + k))))),
          h('tbody', {}, created.map((x) => h('tr', {}, h('td', {}, x.student_number || ''), h('td', {}, x.name), h('td', {}, h('code', {}, x.password))))))));
      }
      text.value = '';
    } catch (e) {
      const rows = e.detail && Array.isArray(e.detail.rows) ? e.detail.rows : (e.detail && Array.isArray(e.detail.lines) ? e.detail.lines : []);
      clear(out).append(h('p', { class: 'error', role: 'alert', id: 'roster-error' }, rows.length ? t('course.roster_bad_rows', { n: rows.length }) : errorText(e)));
      if (rows.length) {
        out.append(h('div', { class: 'scroll' }, h('table', { class: 'list', id: 'roster-errors' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('course.col_line')), h('th', { scope: 'col' }, t('course.col_reason')))),
          h('tbody', {}, rows.map((x) => h('tr', {}, h('td', {}, String(typeof x === 'object' ? x.line : x)),
            h('td', {}, typeof x === 'object' ? (x.reason || x.message || '') : '')))))));
      }
    }
  });
  return h('section', { id: 'roster' }, h('h2', {}, t('course.roster')), form);
}

// ---- lessons -------------------------------------------------------------------------------------------
// Code blocks (```c ... ```) come as <pre><code class="language-c">: coloured
// with CodeMirror's run mode (the page's text stays text).
const CODE_ALIASES = { 'c++': 'cpp', cc: 'cpp', cxx: 'cpp', py: 'python3', python: 'python3', js: 'javascript', rs: 'rust', pas: 'pascal', cu: 'cuda' };
async function highlight(el) {
  for (const code of el.querySelectorAll('pre > code[class*="language-"]')) {
    const m = code.className.match(/language-([\w+-]+)/);
    const id = m ? (CODE_ALIASES[m[1].toLowerCase()] || m[1].toLowerCase()) : null;
    const l = LANGUAGES.find((x) => x.id === id);
    if (!l) continue;
    try {
      const CodeMirror = await loadCodeMirror(l.id);
      await loadScript('/vendor/codemirror/addon/runmode/runmode.js');
      const text = code.textContent;
      clear(code);
      CodeMirror.runMode(text, l.mode, code);
      code.parentElement.classList.add('cm-s-default', 'highlighted');
    } catch (e) { /* left plain */ }
  }
}

function lessonBody(html) {
  const box = h('div', { class: 'statement lesson-body', id: 'lesson-body' });
  const doc = new DOMParser().parseFromString(html || '', 'text/html');
  box.append(...doc.body.childNodes);
  renderMath(box);
  highlight(box);
  return box;
}

export async function lesson(view, id) {
  needLogin();
  const l = (await api('GET', A + '/lessons/' + id)).lesson;
  const c = await loadCourse(l.course);
  document.title = l.title + ' — Crucible';
  view.append(crumbs(c), h('h1', {}, l.title));
  if (isStaff(c)) view.append(h('p', {}, h('a', { class: 'button', href: '/lessons/' + id + '/edit', id: 'edit-lesson' }, t('course.edit_lesson'))));
  view.append(h('article', { class: 'lesson' }, lessonBody(l.html)));
  if ((l.problems || []).length) {
    view.append(h('h2', {}, t('course.lesson_problems')), h('ul', { id: 'lesson-problems' },
      l.problems.map((p) => h('li', {}, h('a', { href: '/problems/' + p.problem }, p.title), ' ', h('code', {}, p.short_name)))));
  }
}

export async function lessonNew(view, courseId) {
  await lessonEditor(view, courseId, null);
}

export async function lessonEdit(view, id) {
  needLogin();
  const l = (await api('GET', A + '/lessons/' + id)).lesson;
  await lessonEditor(view, l.course, l);
}

// The editor: Markdown on the left, on saving the server's rendering beside it.
async function lessonEditor(view, courseId, l) {
  needLogin();
  const [c, units, probs] = await Promise.all([loadCourse(courseId),
    api('GET', A + '/courses/' + courseId + '/units').then((r) => r.units || []),
    api('GET', A + '/problems?limit=100').then((r) => r.problems || []).catch(() => [])]);
  if (!isStaff(c)) throw new ApiError(404, 'not_found', '');
  const wanted = Number(new URLSearchParams(location.search).get('unit')) || (l ? l.unit : null);
  const unit = h('select', { id: 'lesson-unit', required: true }, units.map((u) => h('option', { value: u.id, selected: u.id === wanted }, u.title)));
  const title = h('input', { id: 'lesson-title', required: true, maxlength: '200', value: l ? l.title : '' });
  const md = h('textarea', { id: 'lesson-markdown', rows: '18', spellcheck: 'false' });
  md.value = l ? l.markdown : '';
  const embed = h('select', { id: 'lesson-embed' }, h('option', { value: '' }, t('course.embed_pick')),
    probs.map((p) => h('option', { value: p.short_name }, p.title + ' (' + p.short_name + ')')));
  embed.addEventListener('change', () => {
    if (!embed.value) return;
    const at = md.selectionStart ?? md.value.length;
    const before = md.value.slice(0, at), after = md.value.slice(at);
    const line = (before && !before.endsWith('\n') ? '\n' : '') + '{{problem:' + embed.value + '}}\n';
    md.value = before + line + after;
    embed.value = '';
    md.focus();
  });
  const preview = h('div', { class: 'lesson-preview', id: 'lesson-preview' }, h('p', { class: 'empty' }, t('course.preview_after_save')));
  const err = errLine('lesson-error');
  const save = h('button', { type: 'submit', id: 'lesson-save' }, t('course.save_preview'));
  // Preview without saving: the server renders the Markdown as the lesson
  // page will (embedded problems, no raw HTML), nothing is stored.
  const previewBtn = h('button', { type: 'button', id: 'lesson-preview-button', class: 'secondary', onclick: async () => {
    err.hidden = true;
    try {
      const got = await api('POST', A + '/courses/' + courseId + '/lessons/preview', { markdown: md.value });
      clear(preview).append(h('h2', {}, t('course.preview')), lessonBody(got.html));
    } catch (e) { err.show(e); }
  } }, t('course.preview'));
  const form = h('form', { id: 'lesson-form' }, h('div', { class: 'row' }, field('course.unit', unit), field('course.lesson_title', title)),
    field('course.markdown', md, 'course.markdown_hint'), field('course.embed', embed), err, h('p', { class: 'row' }, save, previewBtn,
      l ? h('button', { type: 'button', class: 'link', id: 'lesson-delete', onclick: async () => {
        if (!confirm(t('course.confirm_delete'))) return;
        try { await api('DELETE', A + '/lessons/' + l.id); navigate('/courses/' + courseId); } catch (e) { err.show(e); }
      } }, t('course.delete')) : null));
  const show = async (lid) => {
    const got = (await api('GET', A + '/lessons/' + lid)).lesson;
    clear(preview).append(h('h2', {}, t('course.preview')), lessonBody(got.html), h('p', {}, h('a', { href: '/lessons/' + lid, id: 'lesson-view' }, t('course.view_lesson'))));
  };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.hidden = true;
    const body = { unit: Number(unit.value), title: title.value, markdown: md.value };
    try {
      if (l) {
        await api('PATCH', A + '/lessons/' + l.id, body);
        toast(t('action.saved'));
        await show(l.id);
      } else {
        const r = await api('POST', A + '/courses/' + courseId + '/lessons', body);
        toast(t('action.saved'));
        navigate('/lessons/' + r.id + '/edit', true);
      }
    } catch (e) { err.show(e); }
  });
  document.title = (l ? l.title : t('course.new_lesson')) + ' — Crucible';
  view.append(crumbs(c), h('h1', {}, l ? t('course.edit_lesson_title', { title: l.title }) : t('course.new_lesson')),
    units.length ? h('div', { class: 'editor-split' }, form, preview) : h('p', { class: 'notice' }, t('course.need_unit')));
  if (l) await show(l.id);
}

// ---- assignments -----------------------------------------------------------------------------------------
function lateRuleText(a) {
  const r = a.late_rule || { kind: 'none' };
  const late = (a.my_late_until ?? a.late_until) > (a.my_due_time ?? a.due_time);
  if (!late) return t('course.late_not_allowed');
  if (r.kind === 'percent_per_day') return t('course.late_percent', { value: r.value });
  if (r.kind === 'coefficient_per_hour') return t('course.late_coefficient', { value: r.value });
  return t('course.late_free');
}

// The countdown: to the opening, then my due time, then my late limit.
function countdown(a) {
  const due = a.my_due_time ?? a.due_time, until = a.my_late_until ?? a.late_until;
  const el = h('span', { class: 'countdown', id: 'assignment-countdown', role: 'timer' });
  const tick = () => {
    const now = Date.now() / 1000;
    if (now < a.open_time) el.textContent = t('course.opens_in', { time: fmtDuration(a.open_time - now) });
    else if (now < due) el.textContent = t('course.due_in', { time: fmtDuration(due - now) });
    else if (now < until) el.textContent = t('course.late_ends_in', { time: fmtDuration(until - now) });
    else el.textContent = t('course.closed');
  };
  tick();
  every(1000, tick);
  return el;
}

export async function assignment(view, id) {
  needLogin();
  const a = await loadAssignment(id);
  const c = await loadCourse(a.course);
  const staff = isStaff(c);
  let grades = [];
  try { grades = (await api('GET', A + '/assignments/' + id + '/grades')).students || []; } catch (e) { grades = []; }
  const mine = grades.find((g) => g.user === session.user.id) || (!staff && grades.length === 1 ? grades[0] : null);
  document.title = a.title + ' — Crucible';
  const extended = a.my_due_time !== undefined && a.my_due_time !== null && a.my_due_time !== a.due_time;
  view.append(crumbs(c), h('h1', {}, a.title), h('p', { class: 'meta' }, countdown(a)),
    h('dl', { class: 'facts', id: 'assignment-facts' },
      h('dt', {}, t('course.open_time')), h('dd', {}, fmtTime(a.open_time)),
      h('dt', {}, t('course.due_time')), h('dd', { id: 'assignment-due' }, fmtTime(a.my_due_time ?? a.due_time),
        extended ? [' ', h('span', { class: 'badge', id: 'my-extension' }, t('course.extended', { time: fmtTime(a.due_time) }))] : null),
      h('dt', {}, t('course.late_until')), h('dd', {}, fmtTime(a.my_late_until ?? a.late_until)),
      h('dt', {}, t('course.late_rule')), h('dd', { id: 'late-rule' }, lateRuleText(a)),
      h('dt', {}, t('course.counting')), h('dd', {}, t('course.counting_' + (a.counting || 'best'))),
      mine ? [h('dt', {}, t('course.my_total')), h('dd', { id: 'my-total' }, num(mine.total) + ' / ' + num(maxPoints(a)))] : null));
  if (staff) {
    view.append(h('p', { class: 'actions row' }, h('a', { class: 'button', href: '/assignments/' + id + '/edit', id: 'edit-assignment' }, t('course.edit_assignment')),
      h('a', { class: 'button', href: '/assignments/' + id + '/similarity', id: 'similarity-link' }, t('course.similarity'))));
  }
  const my = {};
  for (const g of mine ? mine.problems || [] : []) my[g.problem] = g;
  const body = h('tbody', {}, (a.problems || []).map((p) => {
    const g = my[p.problem];
    return h('tr', { dataset: { problem: p.problem } },
      h('th', { scope: 'row' }, h('a', { href: '/assignments/' + id + '/problems/' + p.problem }, p.title), ' ', h('code', { class: 'hint' }, p.short_name)),
      h('td', {}, num(p.points)), h('td', {}, t('course.feedback_' + (p.feedback || 'all'))),
      staff ? null : h('td', { class: 'grade' }, g && g.submission ? num(g.grade) : '—'),
      staff ? null : h('td', { class: 'late-factor' }, g && typeof g.late_factor === 'number' ? num(g.late_factor) : '—'),
      staff ? null : h('td', {}, g && g.submission ? h('a', { href: '/submissions/' + g.submission }, '#' + g.submission) : '—'));
  }));
  view.append(h('h2', {}, t('course.problems')), h('div', { class: 'scroll' }, h('table', { class: 'list', id: 'assignment-problems' },
    h('thead', {}, h('tr', {}, ['problem', 'points', 'feedback'].concat(staff ? [] : ['grade', 'late_factor', 'submission'])
      .map((k) => h('th', { scope: 'col' }, t('course.col_' + k))))), body)));
  if (staff) view.append(gradesTable(a, grades));
}

function maxPoints(a) {
  return (a.problems || []).reduce((s, p) => s + (typeof p.points === 'number' ? p.points : 0), 0);
}

// Staff: every student's grade per problem.
function gradesTable(a, grades) {
  const probs = a.problems || [];
  const body = h('tbody', {}, grades.map((s) => {
    const by = {};
    for (const g of s.problems || []) by[g.problem] = g;
    return h('tr', { dataset: { name: s.name } }, h('td', {}, s.student_number || ''), h('th', { scope: 'row' }, personName(s)), h('td', {}, s.class || ''),
      probs.map((p) => {
        const g = by[p.problem];
        return h('td', { class: 'num' }, g && g.submission ? num(g.grade) : '—', g && typeof g.late_factor === 'number' && g.late_factor < 1 ? h('span', { class: 'hint' }, ' ×' + num(g.late_factor)) : null);
      }), h('td', { class: 'num total' }, num(s.total)));
  }));
  if (!grades.length) body.append(h('tr', {}, h('td', { colspan: String(probs.length + 4), class: 'empty' }, t('course.no_students'))));
  return h('section', { id: 'assignment-grades' }, h('h2', {}, t('course.grades')), h('div', { class: 'scroll' }, h('table', { class: 'list grades' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('course.col_student_number')), h('th', { scope: 'col' }, t('course.col_name')),
      h('th', { scope: 'col' }, t('course.col_class')), probs.map((p) => h('th', { scope: 'col', class: 'num' }, p.title)), h('th', { scope: 'col', class: 'num' }, t('course.col_total')))), body)));
}

// A person in a table: the display name (a roster's "name"), the account
// name after it when they differ.
function personName(x) {
  return [x.display_name || x.name, x.display_name && x.display_name !== x.name ? h('span', { class: 'hint' }, ' (' + x.name + ')') : null];
}

// A problem of an assignment: the statement and the usual editor, submitting
// with `assignment`, the template filled in, and "Run on samples".
export async function assignmentProblem(view, id, pid) {
  needLogin();
  const a = await loadAssignment(id);
  const entry = (a.problems || []).find((p) => p.problem === pid);
  if (!entry) throw new ApiError(404, 'not_found', '');
  // The assignment's own endpoint: its problems need not be published in the archive.
  const [c, ap] = await Promise.all([loadCourse(a.course),
    api('GET', A + '/assignments/' + id + '/problems/' + pid).then((r) => r.problem)]);
  const p = { ...ap, id: pid, memory_bytes: ap.memory_limit };
  const samples = ap.samples || [];
  view.append(crumbs(c, h('a', { href: '/assignments/' + id }, a.title)), h('p', { class: 'meta' }, countdown(a), ' · ',
    t('course.points', { n: num(entry.points) }), ' · ', t('course.feedback_' + (entry.feedback || 'all'))));
  const art = await problemView(p, samples, { assignment: a, template: entry.template || '' });
  view.append(art);
  const form = art.querySelector('#submit-form');
  if (form) form.append(samplesBox(p, a, form));
}

function samplesBox(p, a, form) {
  const out = h('div', { id: 'samples-result', 'aria-live': 'polite' });
  const btn = h('button', { type: 'button', id: 'samples-button', class: 'secondary' }, t('course.run_samples'));
  btn.addEventListener('click', async () => {
    const cmEl = form.querySelector('.CodeMirror');
    const content = cmEl && cmEl.CodeMirror ? cmEl.CodeMirror.getValue() : form.querySelector('#source').value;
    if (!content.trim()) { clear(out).append(h('p', { class: 'error' }, t('submit.empty'))); return; }
    const lang = form.querySelector('#language').value;
    const l = LANGUAGES.find((x) => x.id === lang);
    const body = { problem: p.id, language: lang, files: [{ name: (l && l.file) || 'main.txt', content }], assignment: a.id, samples_only: true };
    btn.disabled = true;
    try {
      const r = await api('POST', A + '/submissions', body);
      const line = h('p', { class: 'live', id: 'samples-verdict' }, verdictBadge({ status: 'queued' }));
      clear(out).append(h('h3', {}, t('course.samples_result')), line);
      watch(r.id, (s) => {
        clear(line).append(verdictBadge(s));
        if (s.status !== 'judged') return;
        btn.disabled = false;
        if (s.compile_output && s.verdict === 'CE') out.append(h('pre', { class: 'compile-output' }, s.compile_output));
        const tests = s.tests || [];
        if (tests.length) {
          out.append(h('div', { class: 'scroll' }, h('table', { class: 'list tests', id: 'samples-tests' },
            h('thead', {}, h('tr', {}, ['test', 'verdict', 'run_time'].map((k) => h('th', { scope: 'col' }, t('submissions.col_' + k))))),
            h('tbody', {}, tests.map((x) => h('tr', { dataset: { test: x.name } }, h('td', {}, x.name),
              h('td', {}, verdictBadge({ status: 'judged', verdict: x.verdict })), h('td', {}, typeof x.time_seconds === 'number' ? x.time_seconds.toFixed(2) + ' s' : '—')))))));
        }
      });
    } catch (e) {
      btn.disabled = false;
      clear(out).append(h('p', { class: 'error', role: 'alert' }, errorText(e)));
    }
  });
  return h('div', { class: 'samples-run' }, h('p', { class: 'hint' }, t('course.run_samples_hint')), btn, out);
}

export async function assignmentNew(view, courseId) {
  await assignmentEditor(view, courseId, null);
}

export async function assignmentEdit(view, id) {
  needLogin();
  const a = await loadAssignment(id);
  await assignmentEditor(view, a.course, a);
}

async function assignmentEditor(view, courseId, a) {
  needLogin();
  const [c, units, probs] = await Promise.all([loadCourse(courseId),
    api('GET', A + '/courses/' + courseId + '/units').then((r) => r.units || []),
    api('GET', A + '/problems?limit=100').then((r) => r.problems || []).catch(() => [])]);
  if (!isStaff(c)) throw new ApiError(404, 'not_found', '');
  const now = Math.floor(Date.now() / 3600) * 3600;
  const f = {
    title: h('input', { id: 'a-title', required: true, maxlength: '200', value: a ? a.title : '' }),
    unit: h('select', { id: 'a-unit' }, h('option', { value: '' }, t('course.no_unit')),
      units.map((u) => h('option', { value: u.id, selected: a && a.unit === u.id }, u.title))),
    open: h('input', { id: 'a-open', type: 'datetime-local', required: true, value: localInput(a ? a.open_time : now) }),
    due: h('input', { id: 'a-due', type: 'datetime-local', required: true, value: localInput(a ? a.due_time : now + 7 * 86400) }),
    late: h('input', { id: 'a-late-until', type: 'datetime-local', value: localInput(a ? a.late_until : null) }),
    kind: h('select', { id: 'a-late-rule' }, ['none', 'percent_per_day', 'coefficient_per_hour'].map((k) =>
      h('option', { value: k, selected: a && a.late_rule && a.late_rule.kind === k }, t('course.rule_' + k)))),
    value: h('input', { id: 'a-late-value', type: 'number', step: 'any', min: '0', value: a && a.late_rule && a.late_rule.value !== undefined ? String(a.late_rule.value) : '' }),
    counting: h('select', { id: 'a-counting' }, ['best', 'last'].map((k) => h('option', { value: k, selected: a && a.counting === k }, t('course.counting_' + k)))),
  };
  const rows = h('tbody', { id: 'a-problems' });
  const addRow = (x) => {
    const pick = h('select', { class: 'ap-problem', 'aria-label': t('course.col_problem') },
      probs.map((p) => h('option', { value: p.id, selected: x && x.problem === p.id }, p.title + ' (' + p.short_name + ')')));
    const pts = h('input', { class: 'ap-points', type: 'number', min: '0', step: 'any', value: String(x ? x.points : 100), 'aria-label': t('course.col_points') });
    const fb = h('select', { class: 'ap-feedback', 'aria-label': t('course.col_feedback') },
      ['all', 'samples', 'after_due'].map((k) => h('option', { value: k, selected: x && x.feedback === k }, t('course.feedback_' + k))));
    const tpl = h('textarea', { class: 'ap-template', rows: '2', spellcheck: 'false', 'aria-label': t('course.template') });
    tpl.value = x ? x.template || '' : '';
    const tr = h('tr', {}, h('td', {}, pick), h('td', {}, pts), h('td', {}, fb), h('td', {}, tpl),
      h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => tr.remove() }, t('action.remove'))));
    rows.append(tr);
  };
  for (const x of a ? a.problems || [] : []) addRow(x);
  const add = h('button', { type: 'button', id: 'a-add-problem', class: 'secondary' }, t('course.add_problem'));
  add.addEventListener('click', () => addRow(null));
  const err = errLine('assignment-error');
  const form = h('form', { id: 'assignment-form' },
    h('div', { class: 'row' }, field('course.assignment_title', f.title), field('course.unit', f.unit)),
    h('div', { class: 'row' }, field('course.open_time', f.open), field('course.due_time', f.due), field('course.late_until', f.late, 'course.late_until_hint')),
    h('div', { class: 'row' }, field('course.late_rule', f.kind), field('course.late_value', f.value, 'course.late_value_hint'), field('course.counting', f.counting)),
    h('h2', {}, t('course.problems')), h('div', { class: 'scroll' }, h('table', { class: 'list' }, h('thead', {}, h('tr', {},
      ['problem', 'points', 'feedback', 'template', 'actions'].map((k) => h('th', { scope: 'col' }, t('course.col_' + k))))), rows)),
    h('p', {}, add), err, h('p', { class: 'row' }, h('button', { type: 'submit', id: 'assignment-save' }, t('action.save')),
      a ? h('button', { type: 'button', class: 'link', id: 'assignment-delete', onclick: async () => {
        if (!confirm(t('course.confirm_delete'))) return;
        try { await api('DELETE', A + '/assignments/' + a.id); navigate('/courses/' + courseId); } catch (e) { err.show(e); }
      } }, t('course.delete')) : null));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.hidden = true;
    const body = {
      title: f.title.value, open_time: fromLocal(f.open.value), due_time: fromLocal(f.due.value),
      late_rule: { kind: f.kind.value }, counting: f.counting.value,
      problems: [...rows.children].map((tr) => ({
        problem: Number(tr.querySelector('.ap-problem').value), points: Number(tr.querySelector('.ap-points').value),
        feedback: tr.querySelector('.ap-feedback').value, template: tr.querySelector('.ap-template').value,
      })),
    };
    if (f.unit.value) body.unit = Number(f.unit.value);
    if (f.late.value) body.late_until = fromLocal(f.late.value);
    if (f.kind.value !== 'none') body.late_rule.value = Number(f.value.value || 0);
    if (!body.problems.length) { err.show(t('course.need_problem')); return; }
    try {
      if (a) {
        await api('PATCH', A + '/assignments/' + a.id, body);
        toast(t('action.saved'));
        navigate('/assignments/' + a.id);
      } else {
        const r = await api('POST', A + '/courses/' + courseId + '/assignments', body);
        navigate('/assignments/' + r.id);
      }
    } catch (e) { err.show(e); }
  });
  document.title = (a ? a.title : t('course.new_assignment')) + ' — Crucible';
  view.append(crumbs(c, a ? h('a', { href: '/assignments/' + a.id }, a.title) : null),
    h('h1', {}, a ? t('course.edit_assignment_title', { title: a.title }) : t('course.new_assignment')), form);
  if (a) view.append(await extensionsBox(a));
}

async function extensionsBox(a) {
  const sec = h('section', { id: 'extensions' }, h('h2', {}, t('course.extensions')));
  let list = [];
  try { list = (await api('GET', A + '/assignments/' + a.id + '/extensions')).extensions || []; } catch (e) { sec.append(h('p', { class: 'error' }, errorText(e))); }
  const body = h('tbody', {}, list.map((x) => h('tr', { dataset: { name: x.name } }, h('th', { scope: 'row' }, x.name),
    h('td', {}, fmtTime(x.due_time)), h('td', {}, fmtTime(x.late_until)),
    h('td', {}, h('button', { type: 'button', class: 'link', 'aria-label': t('course.remove_extension', { name: x.name }), onclick: async () => {
      try { await api('DELETE', A + '/assignments/' + a.id + '/extensions/' + x.user); navigate(location.pathname, true); } catch (e) { toast(errorText(e), 'error'); }
    } }, t('action.remove'))))));
  if (!list.length) body.append(h('tr', {}, h('td', { colspan: '4', class: 'empty' }, t('course.no_extensions'))));
  sec.append(h('div', { class: 'scroll' }, h('table', { class: 'list', id: 'extension-list' }, h('thead', {}, h('tr', {},
    ['name', 'due_time', 'late_until', 'actions'].map((k) => h('th', { scope: 'col' }, t('course.col_' + k))))), body)));
  const user = h('input', { id: 'ext-user', required: true, maxlength: '64', autocomplete: 'off' });
  const due = h('input', { id: 'ext-due', type: 'datetime-local', required: true, value: localInput(a.due_time + 86400) });
  const late = h('input', { id: 'ext-late', type: 'datetime-local' });
  const err = errLine('extension-error');
  const form = h('form', { id: 'extension-form', class: 'row' }, field('course.member_user', user), field('course.due_time', due),
    field('course.late_until', late), h('button', { type: 'submit' }, t('course.grant_extension')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = { user: user.value.trim(), due_time: fromLocal(due.value) };
    if (late.value) body.late_until = fromLocal(late.value);
    try { await api('PUT', A + '/assignments/' + a.id + '/extensions', body); navigate(location.pathname, true); } catch (e) { err.show(e); }
  });
  sec.append(form, err);
  return sec;
}

// ---- the gradebook ---------------------------------------------------------------------------------------
export async function gradebook(view, id) {
  needLogin();
  const c = await loadCourse(id);
  const g = await api('GET', A + '/courses/' + id + '/gradebook');
  document.title = t('course.gradebook') + ' — ' + c.title;
  const as = g.assignments || [];
  const body = h('tbody', {}, (g.students || []).map((s) => h('tr', { dataset: { name: s.name } },
    h('td', {}, s.student_number || ''), h('th', { scope: 'row' }, personName(s)), h('td', {}, s.class || ''),
    (s.grades || []).map((x) => h('td', { class: 'num' }, num(x))), h('td', { class: 'num total' }, num(s.total)))));
  if (!(g.students || []).length) body.append(h('tr', {}, h('td', { colspan: String(as.length + 4), class: 'empty' }, t('course.no_students'))));
  view.append(crumbs(c), h('h1', {}, t('course.gradebook_title', { title: c.title })),
    h('p', {}, h('a', { href: A + '/courses/' + id + '/gradebook.csv', download: 'gradebook-' + id + '.csv', id: 'gradebook-csv', class: 'button' }, t('course.download_csv'))),
    h('div', { class: 'scroll' }, h('table', { class: 'list grades', id: 'gradebook' }, h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('course.col_student_number')), h('th', { scope: 'col' }, t('course.col_name')), h('th', { scope: 'col' }, t('course.col_class')),
      as.map((x) => h('th', { scope: 'col', class: 'num' }, h('a', { href: '/assignments/' + x.id }, x.title), h('span', { class: 'hint' }, ' / ' + num(x.max)))),
      h('th', { scope: 'col', class: 'num' }, t('course.col_total')))), body)));
}

// ---- similarity ------------------------------------------------------------------------------------------
export async function similarity(view, id) {
  needLogin();
  const a = await loadAssignment(id);
  const c = await loadCourse(a.course);
  const q = new URLSearchParams(location.search);
  const pick = h('select', { id: 'sim-problem' }, (a.problems || []).map((p) =>
    h('option', { value: p.problem, selected: Number(q.get('problem')) === p.problem }, p.title)));
  const min = h('input', { id: 'sim-min', type: 'number', min: '0', max: '1', step: '0.05', value: q.get('min') || '0.2' });
  const out = h('div', { id: 'sim-result', 'aria-live': 'polite' });
  const load = async () => {
    history.replaceState(null, '', location.pathname + '?problem=' + pick.value + '&min=' + encodeURIComponent(min.value));
    clear(out).append(h('p', { class: 'loading' }, t('status.loading')));
    let r;
    try { r = await api('GET', A + '/assignments/' + id + '/similarity?problem=' + pick.value + '&min=' + encodeURIComponent(min.value || '0')); } catch (e) {
      clear(out).append(h('p', { class: 'error', role: 'alert' }, errorText(e)));
      return;
    }
    const pairs = r.pairs || [];
    const body = h('tbody', {}, pairs.map((x) => h('tr', { dataset: { a: x.a.name, b: x.b.name } },
      h('td', {}, x.a.name), h('td', {}, x.b.name), h('td', { class: 'num' }, Math.round(x.similarity * 1000) / 10 + ' %'),
      h('td', { class: 'num' }, String(x.matched_tokens ?? '—')),
      h('td', {}, h('a', { href: '/assignments/' + id + '/similarity/pair?a=' + x.a.submission + '&b=' + x.b.submission, class: 'compare' }, t('course.compare'))))));
    if (!pairs.length) body.append(h('tr', {}, h('td', { colspan: '5', class: 'empty' }, t('course.no_pairs'))));
    clear(out).append(h('div', { class: 'scroll' }, h('table', { class: 'list', id: 'sim-pairs' }, h('thead', {}, h('tr', {},
      ['student_a', 'student_b', 'similarity', 'matched_tokens', 'actions'].map((k) => h('th', { scope: 'col' }, t('course.col_' + k))))), body)));
  };
  const form = h('form', { id: 'sim-form', class: 'filters' }, field('course.col_problem', pick), field('course.sim_min', min, 'course.sim_min_hint'),
    h('button', { type: 'submit' }, t('course.sim_check')));
  form.addEventListener('submit', (ev) => { ev.preventDefault(); load(); });
  document.title = t('course.similarity') + ' — ' + a.title;
  view.append(crumbs(c, h('a', { href: '/assignments/' + id }, a.title)), h('h1', {}, t('course.similarity_title', { title: a.title })),
    h('p', { class: 'hint' }, t('course.similarity_hint')), form, out);
  if ((a.problems || []).length) await load();
}

export async function similarityPair(view, id) {
  needLogin();
  const a = await loadAssignment(id);
  const c = await loadCourse(a.course);
  const q = new URLSearchParams(location.search);
  const r = await api('GET', A + '/assignments/' + id + '/similarity/pair?a=' + Number(q.get('a')) + '&b=' + Number(q.get('b')));
  const regions = r.regions || [];
  const side = (s, key) => {
    const mark = new Map();
    regions.forEach((g, i) => { for (let n = g[key + '_start']; n <= g[key + '_end']; n++) if (!mark.has(n)) mark.set(n, i); });
    const lines = (s.source || '').replace(/\n$/, '').split('\n');
    return h('section', { class: 'sim-side', id: 'sim-' + key }, h('h2', {}, s.name, ' ', h('a', { href: '/submissions/' + s.submission, class: 'hint' }, '#' + s.submission)),
      h('div', { class: 'scroll' }, h('table', { class: 'code-lines' }, h('tbody', {}, lines.map((text, i) => {
        const m = mark.get(i + 1);
        return h('tr', { class: m === undefined ? null : 'match m' + (m % 6), dataset: m === undefined ? null : { region: m } },
          h('td', { class: 'ln' }, String(i + 1)), h('td', {}, h('code', {}, text || ' ')));
      })))));
  };
  document.title = t('course.similarity') + ' — ' + a.title;
  view.append(crumbs(c, h('a', { href: '/assignments/' + id }, a.title), h('a', { href: '/assignments/' + id + '/similarity' }, t('course.similarity'))),
    h('h1', {}, t('course.pair_title', { a: r.a.name, b: r.b.name })),
    h('p', { class: 'hint', id: 'sim-regions' }, t('course.regions', { n: regions.length })),
    h('div', { class: 'side-by-side' }, side(r.a, 'a'), side(r.b, 'b')));
}
