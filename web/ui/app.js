// app.js: the UI's entry point: the session, the page frame (navigation,
// language switch), and the router that maps a path to a page. Pages live in
// three modules loaded when first needed: pages.js (everyone and
// contestants), contest.js (a contest's pages), manage.js (organizers, jury,
// admins).
import { api, setCsrf, setLang, pickLang, lang, LANGS, t, h, clear, errorText } from './core.js';

export const session = { user: null };

const routes = [
  [/^\/$/, 'pages', 'home'],
  [/^\/login$/, 'pages', 'login'],
  [/^\/register$/, 'pages', 'register'],
  [/^\/problems$/, 'pages', 'archive'],
  [/^\/problems\/(\d+)$/, 'pages', 'problem'],
  [/^\/submissions$/, 'pages', 'submissions'],
  [/^\/submissions\/(\d+)$/, 'pages', 'submission'],
  [/^\/contests\/(\d+)$/, 'contest', 'overview'],
  [/^\/contests\/(\d+)\/problems\/(\d+)$/, 'contest', 'problem'],
  [/^\/contests\/(\d+)\/submissions$/, 'contest', 'submissions'],
  [/^\/contests\/(\d+)\/scoreboard$/, 'contest', 'scoreboard'],
  [/^\/contests\/(\d+)\/leaderboard$/, 'contest', 'leaderboard'],
  [/^\/contests\/(\d+)\/clarifications$/, 'contest', 'clarifications'],
  [/^\/contests\/(\d+)\/stats$/, 'contest', 'stats'],
  [/^\/contests\/(\d+)\/manage$/, 'manage', 'contestEdit'],
  [/^\/manage\/contests\/new$/, 'manage', 'contestNew'],
  [/^\/manage\/problems$/, 'manage', 'problems'],
  [/^\/manage\/rejudge$/, 'manage', 'rejudge'],
  [/^\/manage\/queue$/, 'manage', 'queue'],
  [/^\/admin\/users$/, 'manage', 'users'],
  [/^\/admin\/audit$/, 'manage', 'audit'],
  // cui: courses, lessons, assignments, gradebook, similarity (courses.js); profiles, ratings, talent (talent.js)
  [/^\/courses$/, 'courses', 'courses'],
  [/^\/courses\/(\d+)$/, 'courses', 'course'],
  [/^\/courses\/(\d+)\/gradebook$/, 'courses', 'gradebook'],
  [/^\/courses\/(\d+)\/lessons\/new$/, 'courses', 'lessonNew'],
  [/^\/courses\/(\d+)\/assignments\/new$/, 'courses', 'assignmentNew'],
  [/^\/lessons\/(\d+)$/, 'courses', 'lesson'],
  [/^\/lessons\/(\d+)\/edit$/, 'courses', 'lessonEdit'],
  [/^\/assignments\/(\d+)$/, 'courses', 'assignment'],
  [/^\/assignments\/(\d+)\/edit$/, 'courses', 'assignmentEdit'],
  [/^\/assignments\/(\d+)\/problems\/(\d+)$/, 'courses', 'assignmentProblem'],
  [/^\/assignments\/(\d+)\/similarity$/, 'courses', 'similarity'],
  [/^\/assignments\/(\d+)\/similarity\/pair$/, 'courses', 'similarityPair'],
  [/^\/me\/profile$/, 'talent', 'myProfile'],
  [/^\/users\/[A-Za-z0-9._-]+$/, 'talent', 'profile'],
  [/^\/ratings$/, 'talent', 'ratings'],
  [/^\/talent$/, 'talent', 'talent'],
];

const modules = {
  pages: () => import('./pages.js'),
  contest: () => import('./contest.js'),
  manage: () => import('./manage.js'),
  courses: () => import('./courses.js'),   // cui
  talent: () => import('./talent.js'),     // cui
};

let timers = [];
// Pages register their refresh timers here; leaving the page stops them.
export function every(ms, fn) {
  const id = setInterval(fn, ms);
  timers.push(id);
  return id;
}

export function isStaff() {
  return !!session.user && (session.user.role === 'admin' || session.user.role === 'organizer');
}

export function navigate(path, replace) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  render();
}

function navLink(path, key) {
  const here = location.pathname === path || (path !== '/' && location.pathname.startsWith(path + '/'));
  return h('a', { href: path, 'aria-current': here ? 'page' : null }, t(key));
}

function header() {
  const u = session.user;
  const langSel = h('select', { id: 'lang-switch', 'aria-label': t('nav.language') },
    LANGS.map((l) => h('option', { value: l, selected: l === lang }, t('lang.' + l))));
  langSel.addEventListener('change', async () => {
    await setLang(langSel.value, true);
    render();
  });
  const links = [navLink('/', 'nav.home'), navLink('/problems', 'nav.problems')];
  if (u) links.push(navLink('/submissions', 'nav.submissions'));
  if (u) links.push(navLink('/courses', 'nav.courses'), navLink('/me/profile', 'nav.profile'));   // cui
  links.push(navLink('/ratings', 'nav.ratings'));          // cui
  if (isStaff()) links.push(navLink('/talent', 'nav.talent'));   // cui
  if (isStaff()) links.push(navLink('/manage/problems', 'nav.manage'), navLink('/manage/queue', 'nav.queue'));
  if (u && u.role === 'admin') links.push(navLink('/admin/users', 'nav.users'), navLink('/admin/audit', 'nav.audit'));
  const account = u
    ? [h('span', { class: 'who', title: u.name }, t('nav.signed_in_as', { name: u.display_name || u.name })),
      h('button', { type: 'button', class: 'link', id: 'logout', onclick: logout }, t('nav.logout'))]
    : [h('a', { href: '/login', id: 'login-link' }, t('nav.login')), h('a', { href: '/register' }, t('nav.register'))];
  const menu = h('button', { type: 'button', class: 'menu-toggle', 'aria-expanded': 'false', 'aria-controls': 'main-nav' },
    t('nav.menu'));
  const nav = h('nav', { id: 'main-nav', 'aria-label': t('nav.main') }, links);
  menu.addEventListener('click', () => {
    const open = nav.classList.toggle('open');
    menu.setAttribute('aria-expanded', String(open));
  });
  return h('header', { class: 'top' },
    h('a', { href: '/', class: 'brand' }, 'Crucible'), menu, nav,
    h('div', { class: 'account' }, account, langSel));
}

async function logout() {
  try { await api('POST', '/api/v1/logout'); } catch (e) { /* the session is gone either way */ }
  session.user = null;
  setCsrf(null);
  navigate('/');
}

export async function loadSession() {
  try {
    const me = await api('GET', '/api/v1/me');
    session.user = me.user;
    setCsrf(me.csrf_token || null);
  } catch (e) {
    session.user = null;
    setCsrf(null);
  }
}

let rendering = 0;
export async function render() {
  const my = ++rendering;
  timers.forEach(clearInterval);
  timers = [];
  const root = document.getElementById('app');
  const main = h('main', { id: 'main', tabindex: '-1' });
  clear(root).append(h('a', { href: '#main', class: 'skip' }, t('nav.skip')), header(), main);
  document.title = 'Crucible';
  const path = location.pathname.replace(/\/+$/, '') || '/';
  for (const [re, mod, page] of routes) {
    const m = path.match(re);
    if (!m) continue;
    main.append(h('p', { class: 'loading' }, t('status.loading')));
    try {
      const pages = await modules[mod]();
      if (my !== rendering) return;
      const view = h('div', { class: 'page page-' + page });
      await pages[page](view, ...m.slice(1).map(Number));
      if (my !== rendering) return;
      clear(main).append(view);
      // uiq: keyboard focus: a page's [autofocus] control, else (the old
      // page, and the link that led here, are gone) the new page's main.
      const af = view.querySelector('[autofocus]');
      if (af) af.focus();
      else if (my > 1 && (!document.activeElement || document.activeElement === document.body)) main.focus({ preventScroll: true });
    } catch (e) {
      if (my !== rendering) return;
      console.error(e);
      if (e.status === 401) {
        clear(main).append(h('p', { class: 'notice' }, t('error.login_needed'), ' ', h('a', { href: '/login' }, t('nav.login'))));
      } else {
        clear(main).append(h('p', { class: 'error', role: 'alert' }, errorText(e)));
      }
    }
    return;
  }
  clear(main).append(h('h1', {}, t('page.not_found')), h('p', {}, h('a', { href: '/' }, t('nav.home'))));
}

// Links inside the app change the page without a reload.
document.addEventListener('click', (ev) => {
  const a = ev.target.closest && ev.target.closest('a[href]');
  if (!a || a.target || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
  const href = a.getAttribute('href');
  if (!href.startsWith('/') || href.startsWith('//') || href.startsWith('/api/') || href.startsWith('/vendor/')) return;
  ev.preventDefault();
  navigate(href);
});
window.addEventListener('popstate', render);

await setLang(pickLang(), false);
await loadSession();
render();
