// core.js: what every page of Crucible's UI uses: the JSON API client (session
// cookie + CSRF token), the message catalogues (t()), a small DOM builder,
// formatting, and loading Debian's libraries from /vendor/ when a page needs them.

// ---- messages ----------------------------------------------------------------------------
export const LANGS = ['en', 'zh-CN'];
let catalogue = {};
let fallback = {};
export let lang = 'en';

export function pickLang() {
  const saved = localStorage.getItem('crucible.lang');
  if (LANGS.includes(saved)) return saved;
  for (const l of navigator.languages || [navigator.language || 'en']) {
    if (/^zh/i.test(l)) return 'zh-CN';
    if (/^en/i.test(l)) return 'en';
  }
  return 'en';
}

async function fetchCatalogue(l) {
  const r = await fetch('/ui/i18n/' + l + '.json');
  if (!r.ok) throw new Error('catalogue ' + l + ': ' + r.status);
  return r.json();
}

export async function setLang(l, save) {
  if (!LANGS.includes(l)) l = 'en';
  const [cat, en] = await Promise.all([fetchCatalogue(l), l === 'en' ? null : fetchCatalogue('en')]);
  catalogue = cat;
  fallback = en || cat;
  lang = l;
  document.documentElement.lang = l;
  if (save) localStorage.setItem('crucible.lang', l);
}

// t('key', {n: 3}) -> the message with {n} filled in. A missing key shows
// the English text (and, in the console, which key is missing).
export function t(key, params) {
  let s = catalogue[key];
  if (s === undefined) {
    console.warn('i18n: missing key ' + key);
    s = fallback[key] !== undefined ? fallback[key] : key;
  }
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (params[k] !== undefined ? String(params[k]) : m));
  return s;
}

// ---- DOM ---------------------------------------------------------------------------------
// h('a', {href: '/x', class: 'btn'}, 'text', child...): attributes starting
// with "on" are listeners; text is always a text node (never parsed as HTML).
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

// A labelled form control: label text, then the control.
export function field(labelKey, control, hintKey) {
  const id = control.id || 'f-' + Math.random().toString(36).slice(2, 9);
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, t(labelKey)), control,
    hintKey ? h('small', { class: 'hint' }, t(hintKey)) : null);
}

export function toast(text, kind) {
  let box = document.getElementById('toasts');
  if (!box) {
    box = h('div', { id: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.append(box);
  }
  const el = h('div', { class: 'toast ' + (kind || '') }, h('span', {}, text),
    h('button', { type: 'button', class: 'close', 'aria-label': t('action.close'), onclick: () => el.remove() }, '×'));
  box.append(el);
  if (kind !== 'sticky') setTimeout(() => el.remove(), 8000);
  return el;
}

// ---- the API ------------------------------------------------------------------------------
export class ApiError extends Error {
  constructor(status, code, message, detail) {
    super(message || code);
    this.status = status;
    this.code = code;
    this.detail = detail || {};   // the whole error object (a CSV import's `rows`)
  }
}

let csrf = null;
export function setCsrf(token) { csrf = token; }

// api('GET', '/api/v1/me') -> parsed JSON (or null for 204); throws ApiError.
export async function api(method, path, body, opts) {
  const headers = {};
  let data;
  if (body instanceof Blob || body instanceof ArrayBuffer) {
    headers['Content-Type'] = (opts && opts.type) || 'application/octet-stream';
    data = body;
  } else if (typeof body === 'string') {
    headers['Content-Type'] = (opts && opts.type) || 'text/plain';
    data = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    data = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
  let r;
  try {
    r = await fetch(path, { method, headers, body: data, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, 'network', t('error.network'));
  }
  if (r.status === 204) return null;
  let j = null;
  try { j = await r.json(); } catch (e) { /* not JSON */ }
  if (!r.ok) {
    const e = j && j.error ? j.error : {};
    throw new ApiError(r.status, e.code || 'http_' + r.status, e.message || r.statusText, e);
  }
  return j;
}

// A message for an API error, in the UI's language where the code is known;
// the server's own words are kept (they name the file or field at fault).
export function errorText(e) {
  if (!(e instanceof ApiError)) return t('error.unexpected');
  const key = 'error.' + e.code;
  const known = catalogue[key] !== undefined;
  if (known && e.message && e.code !== 'not_found') return t(key) + ' — ' + e.message;
  if (known) return t(key);
  return t('error.generic', { status: e.status }) + (e.message ? ' — ' + e.message : '');
}

// ---- formatting ----------------------------------------------------------------------------
export function fmtTime(unix) {
  if (unix === null || unix === undefined) return '—';
  return new Date(unix * 1000).toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'short' });
}

export function fmtDuration(sec) {
  sec = Math.max(0, Math.floor(sec));
  const d = Math.floor(sec / 86400), hh = Math.floor(sec % 86400 / 3600), mm = Math.floor(sec % 3600 / 60),
    ss = sec % 60;
  const p = (n) => String(n).padStart(2, '0');
  return (d ? t('time.days', { n: d }) + ' ' : '') + p(hh) + ':' + p(mm) + ':' + p(ss);
}

export function fmtBytes(n) {
  if (n === null || n === undefined) return '—';
  if (n >= 1 << 30) return (n / (1 << 30)).toFixed(1) + ' GiB';
  if (n >= 1 << 20) return (n / (1 << 20)).toFixed(1) + ' MiB';
  if (n >= 1 << 10) return (n / (1 << 10)).toFixed(0) + ' KiB';
  return n + ' B';
}

export function fmtSeconds(s) {
  if (s === null || s === undefined) return '—';
  return s < 1 ? Math.round(s * 1000) + ' ms' : s.toFixed(2) + ' s';
}

export function verdictBadge(sub) {
  if (!sub) return '';
  if (sub.status && sub.status !== 'judged') {
    return h('span', { class: 'verdict pending', dataset: { verdict: sub.status } }, t('status.' + sub.status));
  }
  const v = sub.verdict || 'PENDING';
  return h('span', { class: 'verdict v-' + v, title: t('verdict.' + v), dataset: { verdict: v } },
    t('verdict.' + v));
}

// Editor hints for the usual languages: CodeMirror mode and script, and a
// name for submissions listed before the server's table is loaded. What a
// submission form offers comes from the server (GET /api/v1/languages).
export const LANGUAGES = [
  { id: 'c', name: 'C', mode: 'text/x-csrc', file: 'main.c', script: 'clike/clike.js' },
  { id: 'cpp', name: 'C++', mode: 'text/x-c++src', file: 'main.cpp', script: 'clike/clike.js' },
  { id: 'python3', name: 'Python 3', mode: 'text/x-python', file: 'main.py', script: 'python/python.js' },
  { id: 'java', name: 'Java', mode: 'text/x-java', file: 'Main.java', script: 'clike/clike.js' },
  { id: 'rust', name: 'Rust', mode: 'text/x-rustsrc', file: 'main.rs', script: 'rust/rust.js' },
  { id: 'pascal', name: 'Pascal', mode: 'text/x-pascal', file: 'main.pas', script: 'pascal/pascal.js' },
  { id: 'javascript', name: 'JavaScript', mode: 'text/javascript', file: 'main.js', script: 'javascript/javascript.js' },
  { id: 'cuda', name: 'CUDA', mode: 'text/x-c++src', file: 'main.cu', script: 'clike/clike.js' },
];

// ---- Debian's libraries, loaded once when a page first needs them ----------------------------
const loaded = new Map();
export function loadScript(src) {
  if (!loaded.has(src)) {
    loaded.set(src, new Promise((resolve, reject) => {
      const s = h('script', { src, onload: resolve, onerror: () => reject(new Error('cannot load ' + src)) });
      document.head.append(s);
    }));
  }
  return loaded.get(src);
}

export function loadCss(href) {
  if (!loaded.has(href)) {
    loaded.set(href, new Promise((resolve) => {
      const l = h('link', { rel: 'stylesheet', href, onload: resolve, onerror: resolve });
      document.head.append(l);
    }));
  }
  return loaded.get(href);
}

// Renders \(...\) and \[...\] in el with KaTeX's auto-render extension.
export async function renderMath(el) {
  try {
    await Promise.all([loadCss('/vendor/katex/katex.min.css'), loadScript('/vendor/katex/katex.min.js')]);
    await loadScript('/vendor/katex/contrib/auto-render.js');
    window.renderMathInElement(el, {
      delimiters: [{ left: '\\[', right: '\\]', display: true }, { left: '\\(', right: '\\)', display: false }],
      throwOnError: false,
    });
  } catch (e) {
    console.warn('math not rendered', e);
  }
}

export async function loadCodeMirror(lang) {
  await Promise.all([loadCss('/vendor/codemirror/lib/codemirror.css'), loadScript('/vendor/codemirror/lib/codemirror.js')]);
  const l = LANGUAGES.find((x) => x.id === lang);
  if (l) await loadScript('/vendor/codemirror/mode/' + l.script);
  await loadScript('/vendor/codemirror/addon/edit/matchbrackets.js');
  return window.CodeMirror;
}

export async function loadChart() {
  await loadScript('/vendor/chart.js/chart.min.js');
  return window.Chart;
}
