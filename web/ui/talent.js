// talent.js: profiles, ratings and the talent search (issue #7): my profile
// settings (opt in or out of the public profile and the talent pool, school,
// region, bio; who viewed or exported my profile), a public profile (solved
// problems, contests, a rating graph and strengths by tag with Chart.js), the
// ratings list, and for organizers the talent search with its CSV export.
import { api, t, h, clear, field, toast, errorText, fmtTime, loadChart, ApiError } from './core.js';
import { session, isStaff } from './app.js';

const A = '/api/v1';

function needLogin() {
  if (!session.user) throw new ApiError(401, 'unauthorized', '');
}

function rating(x) {
  return x === null || x === undefined ? t('talent.unrated') : String(Math.round(x));
}

function profileLink(name, text) {
  return h('a', { href: '/users/' + encodeURIComponent(name), class: 'profile-link' }, text || name);
}

// ---- my profile -------------------------------------------------------------------------------------
export async function myProfile(view) {
  needLogin();
  const [p, views] = await Promise.all([api('GET', A + '/me/profile').then((r) => r.profile || {}),
    api('GET', A + '/me/profile/views').then((r) => r.views || []).catch(() => [])]);
  document.title = t('talent.my_title') + ' — Crucible';
  const pub = h('input', { type: 'checkbox', id: 'profile-public', checked: !!p.public });
  const school = h('input', { id: 'profile-school', maxlength: '200', value: p.school || '', autocomplete: 'organization' });
  const region = h('input', { id: 'profile-region', maxlength: '200', value: p.region || '' });
  const bio = h('textarea', { id: 'profile-bio', rows: '4', maxlength: '2000' });
  bio.value = p.bio || '';
  const err = h('p', { class: 'error', role: 'alert', hidden: true, id: 'profile-error' });
  const form = h('form', { id: 'profile-form', class: 'narrow' },
    h('label', { class: 'check' }, pub, ' ', t('talent.public')), h('p', { class: 'hint' }, t('talent.public_hint')),
    field('talent.school', school), field('talent.region', region), field('talent.bio', bio), err,
    h('button', { type: 'submit', id: 'profile-save' }, t('action.save')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.hidden = true;
    try {
      await api('PATCH', A + '/me/profile', { public: pub.checked, school: school.value, region: region.value, bio: bio.value });
      toast(t('talent.saved'));
    } catch (e) { err.hidden = false; err.textContent = errorText(e); }
  });
  const body = h('tbody', {}, views.map((v) => h('tr', { dataset: { viewer: v.viewer || '', kind: v.kind } },
    h('td', {}, fmtTime(v.at)), h('td', {}, v.viewer ? profileLink(v.viewer) : '—'), h('td', {}, t('talent.kind_' + v.kind)))));
  if (!views.length) body.append(h('tr', {}, h('td', { colspan: '3', class: 'empty' }, t('talent.no_views'))));
  view.append(h('h1', {}, t('talent.my_title')), h('p', {}, profileLink(session.user.name, t('talent.see_public'))), form,
    h('h2', {}, t('talent.views_title')), h('div', { class: 'scroll' }, h('table', { class: 'list', id: 'profile-views' },
      h('thead', {}, h('tr', {}, ['at', 'viewer', 'kind'].map((k) => h('th', { scope: 'col' }, t('talent.col_' + k))))), body)));
}

// ---- a public profile ----------------------------------------------------------------------------------
// /users/NAME: the name is read from the path (the router passes numbers).
export async function profile(view) {
  const name = decodeURIComponent(location.pathname.split('/')[2] || '');
  const p = (await api('GET', A + '/users/' + encodeURIComponent(name) + '/profile')).profile;
  document.title = (p.display_name || p.name) + ' — Crucible';
  view.append(h('h1', {}, p.display_name || p.name, p.display_name && p.display_name !== p.name ? h('span', { class: 'hint' }, ' (' + p.name + ')') : null),
    h('dl', { class: 'facts', id: 'profile-facts' },
      h('dt', {}, t('talent.rating')), h('dd', { id: 'profile-rating' }, rating(p.rating)),
      h('dt', {}, t('talent.max_rating')), h('dd', {}, rating(p.max_rating)),
      p.school ? [h('dt', {}, t('talent.school')), h('dd', { id: 'profile-school' }, p.school)] : null,
      p.region ? [h('dt', {}, t('talent.region')), h('dd', {}, p.region)] : null,
      h('dt', {}, t('talent.solved_count')), h('dd', {}, String((p.solved || []).length))),
    p.bio ? h('p', { class: 'bio' }, p.bio) : null);
  const history = p.rating_history || [];
  const tags = p.tags || [];
  const plots = [];
  if (history.length) plots.push(['plot-rating', 'talent.rating_graph']);
  if (tags.length) plots.push(['plot-tags', 'talent.strengths']);
  const canvases = {};
  for (const [id, key] of plots) {
    canvases[id] = h('canvas', { id, role: 'img', 'aria-label': t(key) });
    view.append(h('section', { class: 'plot' }, h('h2', {}, t(key)), h('div', { class: 'plot-box' }, canvases[id])));
  }
  if (!history.length) view.append(h('p', { class: 'empty', id: 'no-rating' }, t('talent.no_history')));
  const contests = p.contests || [];
  const cbody = h('tbody', {}, contests.map((c) => h('tr', {}, h('td', {}, h('a', { href: '/contests/' + c.contest }, c.title)),
    h('td', { class: 'num' }, c.rank ?? '—'), h('td', { class: 'num' }, rating(c.old_rating)), h('td', { class: 'num' }, rating(c.new_rating)),
    h('td', { class: 'num' }, typeof c.old_rating === 'number' && typeof c.new_rating === 'number' ? signed(c.new_rating - c.old_rating) : '—'))));
  if (!contests.length) cbody.append(h('tr', {}, h('td', { colspan: '5', class: 'empty' }, t('talent.no_contests'))));
  view.append(h('h2', {}, t('talent.contests')), h('div', { class: 'scroll' }, h('table', { class: 'list', id: 'profile-contests' },
    h('thead', {}, h('tr', {}, ['contest', 'rank', 'old', 'new', 'change'].map((k) => h('th', { scope: 'col' }, t('talent.col_' + k))))), cbody)));
  const solved = p.solved || [];
  view.append(h('h2', {}, t('talent.solved')), solved.length
    ? h('ul', { class: 'solved-list', id: 'profile-solved' }, solved.map((s) => h('li', {}, h('a', { href: '/problems/' + s.problem }, s.title))))
    : h('p', { class: 'empty' }, t('talent.none_solved')));
  if (!plots.length) return;
  const Chart = await loadChart();
  if (canvases['plot-rating']) {
    new Chart(canvases['plot-rating'], {
      type: 'line',
      data: {
        // from the initial rating (1500, docs/ratings.md) through each rated contest
        labels: [t('talent.rating_start')].concat(history.map((x) => new Date(x.time * 1000).toLocaleDateString())),
        datasets: [{ label: t('talent.rating'), data: [1500].concat(history.map((x) => x.rating)), borderColor: '#2554c7', backgroundColor: '#2554c7', tension: 0 }],
      },
      options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } }, scales: { y: { ticks: { precision: 0 } } } },
    });
  }
  if (canvases['plot-tags']) {
    new Chart(canvases['plot-tags'], {
      type: 'bar',
      data: {
        labels: tags.map((x) => x.tag),
        datasets: [{ label: t('talent.tag_solved'), data: tags.map((x) => x.solved), backgroundColor: '#17803d' },
          { label: t('talent.tag_attempted'), data: tags.map((x) => x.attempted), backgroundColor: '#a86400' }],
      },
      options: { responsive: true, maintainAspectRatio: false, animation: false, indexAxis: 'y', scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }
}

function signed(n) {
  const r = Math.round(n);
  return (r > 0 ? '+' : '') + r;
}

// ---- ratings -----------------------------------------------------------------------------------------------
export async function ratings(view) {
  const users = (await api('GET', A + '/ratings')).users || [];
  document.title = t('talent.ratings_title') + ' — Crucible';
  const body = h('tbody', {}, users.map((u, i) => h('tr', { dataset: { name: u.name } }, h('td', { class: 'num' }, String(i + 1)),
    h('th', { scope: 'row' }, profileLink(u.name)), h('td', { class: 'num' }, rating(u.rating)), h('td', { class: 'num' }, String(u.contests ?? '—')))));
  if (!users.length) body.append(h('tr', {}, h('td', { colspan: '4', class: 'empty' }, t('talent.no_ratings'))));
  view.append(h('h1', {}, t('talent.ratings_title')), h('p', { class: 'hint' }, t('talent.ratings_hint')),
    h('div', { class: 'scroll' }, h('table', { class: 'list', id: 'ratings' }, h('thead', {}, h('tr', {},
      ['rank', 'user', 'rating', 'contests'].map((k) => h('th', { scope: 'col' }, t('talent.col_' + k))))), body)));
}

// ---- the talent search (organizers, admins) ---------------------------------------------------------------
const FILTERS = [['min_rating', 'number'], ['max_rating', 'number'], ['tag', 'text'], ['school', 'text'], ['region', 'text'], ['active_days', 'number']];

export async function talent(view) {
  needLogin();
  if (!isStaff()) throw new ApiError(404, 'not_found', '');
  const q = new URLSearchParams(location.search);
  const inputs = {};
  for (const [k, type] of FILTERS) {
    inputs[k] = h('input', { id: 'talent-' + k.replace(/_/g, '-'), name: k, type, value: q.get(k) || '', min: type === 'number' ? '0' : null, maxlength: type === 'text' ? '200' : null });
  }
  const csv = h('a', { id: 'talent-csv', class: 'button', download: 'talent.csv', href: A + '/talent.csv' }, t('talent.export_csv'));
  const out = h('div', { id: 'talent-result', 'aria-live': 'polite' });
  const params = () => {
    const p = new URLSearchParams();
    for (const [k] of FILTERS) if (inputs[k].value.trim()) p.set(k, inputs[k].value.trim());
    return p;
  };
  const load = async () => {
    const p = params();
    const qs = p.toString();
    history.replaceState(null, '', location.pathname + (qs ? '?' + qs : ''));
    csv.href = A + '/talent.csv' + (qs ? '?' + qs : '');
    let r;
    try { r = await api('GET', A + '/talent' + (qs ? '?' + qs : '')); } catch (e) {
      clear(out).append(h('p', { class: 'error', role: 'alert' }, errorText(e)));
      return;
    }
    const users = r.users || [];
    const body = h('tbody', {}, users.map((u) => h('tr', { dataset: { name: u.name } },
      h('th', { scope: 'row' }, profileLink(u.name, u.display_name || u.name)), h('td', {}, u.school || ''), h('td', {}, u.region || ''),
      h('td', { class: 'num' }, rating(u.rating)), h('td', { class: 'num' }, String(u.solved ?? 0)),
      h('td', {}, (u.tags || []).slice(0, 6).map((x) => h('span', { class: 'tag' }, typeof x === 'string' ? x : x.tag))),
      h('td', {}, fmtTime(u.last_active)))));
    if (!users.length) body.append(h('tr', {}, h('td', { colspan: '7', class: 'empty' }, t('talent.no_results'))));
    clear(out).append(h('p', { class: 'hint', id: 'talent-count' }, t('talent.count', { n: users.length })),
      h('div', { class: 'scroll' }, h('table', { class: 'list', id: 'talent-list' }, h('thead', {}, h('tr', {},
        ['user', 'school', 'region', 'rating', 'solved', 'tags', 'last_active'].map((k) => h('th', { scope: 'col' }, t('talent.col_' + k))))), body)));
  };
  const form = h('form', { id: 'talent-form', class: 'filters', role: 'search' }, FILTERS.map(([k]) => field('talent.f_' + k, inputs[k])),
    h('button', { type: 'submit', id: 'talent-search' }, t('talent.search')));
  form.addEventListener('submit', (ev) => { ev.preventDefault(); load(); });
  document.title = t('talent.search_title') + ' — Crucible';
  view.append(h('h1', {}, t('talent.search_title')), h('p', { class: 'hint' }, t('talent.search_hint')), form, h('p', {}, csv), out);
  await load();
}
