// ui_cases.mjs: the browser side of the e2e.ui.* tests. run_ui_test.py starts
// the server (and a judge) and prepares the data, then runs
//     node ui_cases.mjs contestant|organizer|i18n
// with UI_URL, UI_CHROMIUM, UI_SCREENSHOTS and the case's UI_* settings in the
// environment. playwright-core drives Debian's chromium, headless, with no
// network beyond the server. Any uncaught page error or Content Security
// Policy violation fails the case. Screenshots: UI_SCREENSHOTS/NN-step.png.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const env = process.env;
const URL0 = env.UI_URL;
const SHOTS = env.UI_SCREENSHOTS;
const SRC = env.UI_SOURCE_DIR;
let shotNo = 0;
const problems = [];

function fail(msg) {
  throw new Error(msg);
}

async function launch() {
  return chromium.launch({
    executablePath: env.UI_CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-default-apps', '--disable-domain-reliability', '--disable-client-side-phishing-detection',
      '--no-first-run', '--metrics-recording-only', '--disable-features=Translate,OptimizationHints,MediaRouter',
      '--disable-dev-shm-usage'],
  });
}

// A browser context (a separate user) whose page errors and CSP reports are recorded.
async function newPage(browser, opts) {
  const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 900 }, ...opts });
  const page = await ctx.newPage();
  page.setDefaultTimeout(20000);
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => {
    const text = m.text();
    if (/Content Security Policy|Refused to (load|apply|execute)/i.test(text)) problems.push('CSP: ' + text);
    if (/i18n: missing key/.test(text)) problems.push(text);
  });
  // Nothing but the server itself may be asked for anything.
  await ctx.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.origin !== new URL(URL0).origin) {
      problems.push('request outside the server: ' + u.href);
      return route.abort();
    }
    return route.continue();
  });
  return page;
}

async function shot(page, name) {
  const file = path.join(SHOTS, String(++shotNo).padStart(2, '0') + '-' + name + '.png');
  await page.screenshot({ path: file, fullPage: true });
}

async function go(page, p) {
  await page.goto(URL0 + p);
  await page.waitForSelector('main .page, main .error, main h1');
  await page.waitForLoadState('networkidle');
}

async function loginUI(page, name, password) {
  await go(page, '/login');
  await page.fill('#login-form input[name=name]', name);
  await page.fill('#login-form input[name=password]', password);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#logout');
}

// Types a source into the CodeMirror editor as a paste would.
async function typeSource(page, text) {
  await page.waitForSelector('.CodeMirror');
  await page.click('.CodeMirror');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

async function submitAndWait(page, source, verdict) {
  await page.selectOption('#language', 'c');
  await typeSource(page, fs.readFileSync(source, 'utf8'));
  await page.click('#submit-button');
  await page.waitForSelector('#live-verdict [data-verdict="' + verdict + '"]', { timeout: 120000 }).catch(async () => {
    const got = await page.locator('#live-verdict').textContent().catch(() => '?');
    const err = await page.locator('#submit-error').textContent().catch(() => '');
    fail('no ' + verdict + ' verdict shown; the page shows "' + got + '" ' + err);
  });
}

// ---- contestant -----------------------------------------------------------------------------------
async function contestant(browser) {
  const cid = Number(env.UI_CONTEST), pid = Number(env.UI_PROBLEM);
  const page = await newPage(browser);
  await go(page, '/register');
  await shot(page, 'register');
  await page.fill('#register-form input[name=name]', 'carol');
  await page.fill('#register-form input[name=display_name]', 'Carol with a very long display name that must not break the layout');
  await page.fill('#register-form input[name=password]', 'carol-password-1');
  await page.click('#register-form button[type=submit]');
  await page.waitForSelector('#logout');
  await page.waitForSelector('main .page-home');
  let problemPath = '/problems/' + pid;
  if (cid) {
    await page.waitForSelector('#contests-running a:has-text("Spring Contest")');
    await shot(page, 'home');
    await page.click('#contests-running a:has-text("Spring Contest")');
    await page.waitForSelector('#countdown');
    if (!/Ends in \d/.test(await page.textContent('#countdown'))) fail('no countdown to the end: ' + await page.textContent('#countdown'));
    await page.click('#contest-register-button');
    await page.waitForSelector('#contest-problems a');
    await shot(page, 'contest');
    // The scoreboard before: carol has solved nothing.
    await go(page, '/contests/' + cid + '/scoreboard');
    await page.waitForSelector('#scoreboard table');
    const before = await page.locator('tr.mine td.solved-count').textContent().catch(() => '0');
    if (before.trim() !== '0') fail('carol has solved ' + before + ' before submitting');
    await shot(page, 'scoreboard-before');
    await go(page, '/contests/' + cid);
    await page.click('#contest-problems a');
    problemPath = '/contests/' + cid + '/problems/' + pid;
  } else {
    await go(page, '/problems');
    await page.click('a[href="/problems/' + pid + '"]');
  }
  await page.waitForSelector('#statement .katex');
  const nmath = await page.locator('#statement .katex').count();
  if (nmath < 3) fail('only ' + nmath + ' formulas rendered');
  if (await page.locator('#statement').textContent().then((t) => t.includes('\\('))) fail('unrendered math in the statement');
  await page.waitForSelector('.sample pre');
  await shot(page, 'problem');
  await submitAndWait(page, env.UI_SOURCE_OK, 'AC');
  await shot(page, 'accepted');
  if (cid) {
    await go(page, '/contests/' + cid + '/scoreboard');
    await page.waitForSelector('tr.mine');
    const solved = (await page.locator('tr.mine td.solved-count').textContent()).trim();
    if (solved !== '1') fail('the scoreboard shows carol with ' + solved + ' solved after an AC');
    if (!(await page.locator('tr.mine td.cell.solved').count())) fail('no solved cell on carol\'s row');
    await shot(page, 'scoreboard-after');
  } else {
    await go(page, '/submissions');
    await page.waitForSelector('td [data-verdict="AC"]');
  }
  await go(page, problemPath);
  await submitAndWait(page, env.UI_SOURCE_WA, 'WA');
  await shot(page, 'wrong-answer');
  await page.click('#submit-result a');
  await page.waitForSelector('#verdict [data-verdict="WA"]');
  await page.waitForSelector('table.tests');
  await shot(page, 'submission-wa');
  // A compile error shows the compiler's words.
  await go(page, problemPath);
  await page.selectOption('#language', 'c');
  await typeSource(page, 'int main(void) { return missing_name; }\n');
  await page.click('#submit-button');
  await page.waitForSelector('#live-verdict [data-verdict="CE"]', { timeout: 120000 });
  await page.waitForSelector('#compile-output');
  if (!/error/.test(await page.textContent('#compile-output'))) fail('the compile error is not shown');
  await shot(page, 'compile-error');
  if (cid) {
    await go(page, '/contests/' + cid + '/stats');
    await page.waitForSelector('#plot-verdicts');
    await shot(page, 'stats');
  }
  // On a phone: the menu folds, nothing overflows the screen.
  await page.setViewportSize({ width: 375, height: 800 });
  await go(page, cid ? '/contests/' + cid + '/scoreboard' : '/submissions');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 2) fail('the page is ' + overflow + ' px wider than a phone screen');
  await shot(page, 'phone');
}

// ---- organizer ----------------------------------------------------------------------------------------
async function organizer(browser) {
  const olga = await newPage(browser);
  await loginUI(olga, 'olga', 'olga-password-1');
  await go(olga, '/manage/contests/new');
  await olga.fill('#c-short-name', 'autumn');
  await olga.fill('#c-title', 'Autumn Cup');
  const start = await olga.evaluate(() => {
    const d = new Date(Date.now() - 5 * 60000);
    const p = (n) => String(n).padStart(2, '0');
    return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(d.getHours()) + ':' + p(d.getMinutes());
  });
  await olga.fill('#c-start', start);
  await olga.fill('#c-duration', '120');
  await shot(olga, 'contest-form');
  await olga.click('#contest-save');
  await olga.waitForURL(/\/contests\/\d+\/manage$/);
  const cid = Number(olga.url().match(/contests\/(\d+)/)[1]);
  await olga.waitForSelector('#contest-problems-editor');
  // Packages: a broken one shows the validation error, a good one is added.
  await go(olga, '/manage/problems');
  await olga.setInputFiles('#package-file', env.UI_BROKEN_ZIP);
  await olga.click('#upload-button');
  await olga.waitForSelector('#upload-error:not([hidden])');
  const msg = await olga.textContent('#upload-error');
  if (!/problem\.yaml/.test(msg)) fail('the validation error does not name problem.yaml: ' + msg);
  await shot(olga, 'upload-broken');
  await olga.setInputFiles('#package-file', env.UI_GOOD_ZIP);
  await olga.click('#upload-button');
  await olga.waitForSelector('#upload-ok:not([hidden])');
  await olga.waitForSelector('tr:has(code:text-is("hello-again")) input[type=checkbox]');
  await olga.check('tr:has(code:text-is("hello-again")) input[type=checkbox]');
  await olga.waitForSelector('.toast');
  await shot(olga, 'upload-ok');
  await problemTags(olga);
  await go(olga, '/contests/' + cid + '/manage');
  await olga.selectOption('#add-problem', { label: 'Hello Sum (hello-again)' });
  await olga.click('#add-problem-button');
  await olga.fill('#contest-problems-editor input.p-label', 'A');
  await olga.evaluate(() => document.querySelectorAll('.toast').forEach((x) => x.remove()));
  await olga.click('#save-problems');
  await olga.waitForSelector('.toast');
  if (await olga.locator('.toast.error').count()) fail('saving the problem set: ' + await olga.textContent('.toast.error'));
  await shot(olga, 'contest-manage');
  // A contestant registers and asks; the organizer answers; the contestant sees it.
  const alice = await newPage(browser);
  await loginUI(alice, 'alice', 'alice-password-1');
  await go(alice, '/contests/' + cid);
  await alice.click('#contest-register-button');
  await alice.waitForSelector('#contest-problems a');
  await go(alice, '/contests/' + cid + '/clarifications');
  await alice.fill('#clar-text', 'Can the two numbers be negative?');
  await alice.selectOption('#clar-problem', { index: 1 });
  await alice.click('#clar-form button[type=submit]');
  await alice.waitForSelector('article.clar:has-text("Can the two numbers be negative?")');
  await go(olga, '/contests/' + cid + '/clarifications');
  const q = olga.locator('article.clar:has-text("Can the two numbers be negative?")');
  await q.locator('textarea').fill('Yes: see the input section.');
  await q.locator('button[type=submit]').click();
  await olga.waitForSelector('article.clar .answer:has-text("Yes: see the input section.")');
  await shot(olga, 'clarification-answered');
  await go(alice, '/contests/' + cid + '/clarifications');
  await alice.waitForSelector('article.clar .answer:has-text("Yes: see the input section.")');
  await alice.waitForSelector('.toast:has-text("Yes: see the input section.")');
  await shot(alice, 'clarification-seen');
  // The jury's scoreboard and plots render.
  await go(olga, '/contests/' + cid + '/stats');
  await olga.waitForSelector('#plot-verdicts');
  await shot(olga, 'stats');
}

// The organizer sets tags and difficulty in the problem list; the archive
// then finds the problem by text and by tag, and filters the other out.
async function problemTags(olga) {
  const row = 'tr[data-name="hello-again"]';
  const dropToasts = () => olga.evaluate(() => document.querySelectorAll('.toast').forEach((x) => x.remove()));
  await dropToasts();
  await olga.fill(row + ' input.p-tags', 'Graphs, example');
  await olga.selectOption(row + ' select.p-difficulty', '7');
  await olga.click(row + ' button.p-save');
  await olga.waitForSelector('.toast');
  if (await olga.locator('.toast.error').count()) fail('saving tags: ' + await olga.textContent('.toast.error'));
  if (await olga.inputValue(row + ' input.p-tags') !== 'example, graphs') fail('the saved tags show as ' + await olga.inputValue(row + ' input.p-tags'));
  // A malformed tag is refused with the server's words, naming the field.
  await dropToasts();
  await olga.fill(row + ' input.p-tags', 'bad!tag');
  await olga.click(row + ' button.p-save');
  await olga.waitForSelector('.toast.error');
  if (!/tags/.test(await olga.textContent('.toast.error'))) fail('the refusal does not name the tags: ' + await olga.textContent('.toast.error'));
  await go(olga, '/manage/problems');
  if (await olga.inputValue(row + ' input.p-tags') !== 'example, graphs') fail('the tags were not kept: ' + await olga.inputValue(row + ' input.p-tags'));
  if (await olga.inputValue(row + ' select.p-difficulty') !== '7') fail('the difficulty was not kept');
  await shot(olga, 'problem-tags');
  // The archive: both, then by text, by tag, by difficulty.
  const shown = (names) => olga.waitForFunction((want) => {
    const got = [...document.querySelectorAll('#problem-list tr[data-name]')].map((r) => r.dataset.name).sort();
    return JSON.stringify(got) === JSON.stringify(want);
  }, names.slice().sort(), { timeout: 10000 }).catch(async () => {
    const got = await olga.evaluate(() => [...document.querySelectorAll('#problem-list tr[data-name]')].map((r) => r.dataset.name));
    fail('the archive shows ' + JSON.stringify(got) + ', not ' + JSON.stringify(names));
  });
  await go(olga, '/problems');
  await shown(['hello-sum', 'hello-again']);
  await olga.fill('#problem-search', 'AGAIN');
  await shown(['hello-again']);
  await shot(olga, 'archive-text');
  await olga.fill('#problem-search', 'no such problem');
  await shown([]);
  await olga.waitForSelector('#problem-list td.empty');
  await olga.fill('#problem-search', '');
  await shown(['hello-sum', 'hello-again']);
  await olga.selectOption('#problem-tag', 'graphs');
  await shown(['hello-again']);
  if (!/7/.test(await olga.textContent('tr[data-name="hello-again"] td.difficulty'))) fail('no difficulty in the archive');
  await shot(olga, 'archive-tag');
  await olga.selectOption('#problem-tag', 'arithmetic');
  await shown(['hello-sum']);
  await olga.selectOption('#problem-tag', '');
  await olga.selectOption('#difficulty-min', '6');
  await shown(['hello-again']);
  await olga.selectOption('#difficulty-min', '');
  await shown(['hello-sum', 'hello-again']);
  // A tag on the problem's page leads back to the archive, filtered.
  await olga.click('tr[data-name="hello-again"] a');
  await olga.waitForSelector('#problem-tags a:has-text("graphs")');
  if (!/7/.test(await olga.textContent('#problem-difficulty'))) fail('the problem page shows no difficulty');
  await olga.click('#problem-tags a:has-text("graphs")');
  await shown(['hello-again']);
  if (await olga.inputValue('#problem-tag') !== 'graphs') fail('the tag link does not set the filter');
}

// ---- i18n ---------------------------------------------------------------------------------------------
function catalogues() {
  const dir = path.join(SRC, 'web', 'ui', 'i18n');
  const en = JSON.parse(fs.readFileSync(path.join(dir, 'en.json'), 'utf8'));
  const zh = JSON.parse(fs.readFileSync(path.join(dir, 'zh-CN.json'), 'utf8'));
  const a = Object.keys(en).sort(), b = Object.keys(zh).sort();
  const onlyEn = a.filter((k) => !(k in zh)), onlyZh = b.filter((k) => !(k in en));
  if (onlyEn.length || onlyZh.length) fail('catalogues differ: only in en: ' + onlyEn + '; only in zh-CN: ' + onlyZh);
  // Every key the code names literally exists (dynamic ones are caught at run
  // time: a missing key logs "i18n: missing key", which fails the case).
  const ui = path.join(SRC, 'web', 'ui');
  for (const f of fs.readdirSync(ui).filter((x) => x.endsWith('.js'))) {
    const text = fs.readFileSync(path.join(ui, f), 'utf8');
    for (const m of text.matchAll(/\b(?:t|field)\('([a-z_]+\.[A-Za-z0-9_.-]+)'\s*[,)]/g)) {
      if (!(m[1] in en)) fail(f + ' uses the key ' + m[1] + ', which the catalogues lack');
    }
    for (const m of text.matchAll(/field\('[^']+', [^,)]+, '([a-z_]+\.[a-z0-9_]+)'\)/g)) {
      if (!(m[1] in en)) fail(f + ' uses the hint key ' + m[1] + ', which the catalogues lack');
    }
  }
  const html = fs.readFileSync(path.join(ui, 'index.html'), 'utf8').replace(/<title>Crucible<\/title>/, '');
  if (/>[^<\s][^<]*</.test(html)) fail('index.html holds text outside the catalogues');
  return { en, zh };
}

// Visible text of the page (text nodes and the labels of controls) that is
// an English catalogue string whose Chinese differs.
async function englishLeft(page, en, zh) {
  const english = new Set(Object.keys(en).filter((k) => en[k] !== zh[k] && !/\{/.test(en[k])).map((k) => en[k].trim()));
  const texts = await page.evaluate(() => {
    const out = [];
    const visible = (el) => {
      if (!el || el.closest('#lang-switch')) return false;
      const st = getComputedStyle(el);
      if (st.visibility === 'hidden' || st.display === 'none') return false;
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n; (n = walker.nextNode());) {
      const s = n.nodeValue.trim();
      if (s && visible(n.parentElement)) out.push(s);
    }
    for (const el of document.querySelectorAll('[placeholder], [aria-label], [title]')) {
      if (!visible(el)) continue;
      for (const a of ['placeholder', 'aria-label', 'title']) if (el.getAttribute(a)) out.push(el.getAttribute(a).trim());
    }
    return out;
  });
  return texts.filter((s) => english.has(s));
}

async function i18n(browser) {
  const { en, zh } = catalogues();
  const cid = Number(env.UI_CONTEST), pid = Number(env.UI_PROBLEM);
  // The browser's language is the default.
  const page = await newPage(browser, { locale: 'zh-CN' });
  const pages = ['/', '/problems', '/problems/' + pid, '/login', '/register', '/no/such/page'];
  if (cid) pages.push('/contests/' + cid, '/contests/' + cid + '/scoreboard', '/contests/' + cid + '/stats');
  const staffPages = ['/submissions', '/manage/problems', '/manage/queue', '/manage/rejudge', '/manage/contests/new', '/admin/users', '/admin/audit'];
  if (cid) staffPages.push('/contests/' + cid + '/clarifications', '/contests/' + cid + '/submissions', '/contests/' + cid + '/manage', '/contests/' + cid + '/problems/' + pid);
  const visit = async (p, tag) => {
    await go(page, p);
    await page.waitForTimeout(300);
    if ((await page.getAttribute('html', 'lang')) !== 'zh-CN') fail(p + ': the page is not in Chinese');
    const left = await englishLeft(page, en, zh);
    if (left.length) fail(p + ': English left after switching to Chinese: ' + JSON.stringify([...new Set(left)]));
    if (tag) await shot(page, 'zh' + p.replace(/[^a-z0-9]+/gi, '-'));
  };
  for (const p of pages) await visit(p, true);
  await go(page, '/login');
  await page.fill('#login-form input[name=name]', 'boss');
  await page.fill('#login-form input[name=password]', 'boss-password-1');
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#logout');
  for (const p of staffPages) await visit(p, true);
  // Switching: an English browser, then the switch, then a reload keeps it.
  const p2 = await newPage(browser, { locale: 'en-US' });
  await go(p2, '/problems');
  if (!(await p2.textContent('main h1')).includes(en['archive.title'])) fail('an English browser does not get English');
  await shot(p2, 'en-problems');
  await p2.selectOption('#lang-switch', 'zh-CN');
  await p2.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  await p2.waitForSelector('main h1:has-text("' + zh['archive.title'] + '")');
  const left = await englishLeft(p2, en, zh);
  if (left.length) fail('after the switch, English is left: ' + JSON.stringify(left));
  await shot(p2, 'switched-problems');
  await p2.reload();
  await p2.waitForSelector('main h1:has-text("' + zh['archive.title'] + '")');
  await p2.selectOption('#lang-switch', 'en');
  await p2.waitForSelector('main h1:has-text("' + en['archive.title'] + '")');
}

// ---- ai: an AI contest on the iris example ---------------------------------------------------------
// carol downloads test.csv, uploads a bad prediction file (its message shown)
// and perfect.csv (scored, on the public board), chooses a final submission
// and sees her usage; olga publishes the private board, which carol then sees.
async function ai(browser) {
  const cid = Number(env.UI_CONTEST), pid = Number(env.UI_PROBLEM);
  const page = await newPage(browser, { acceptDownloads: true });
  await loginUI(page, 'carol', 'carol-password-1');
  await go(page, '/contests/' + cid + '/problems/' + pid);
  await page.waitForSelector('#ai-files a[data-name="test.csv"]');
  if (await page.locator('#ai-files a[data-name="solution.csv"]').count()) fail('solution.csv is offered');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#ai-files a[data-name="test.csv"]')]);
  const got = fs.readFileSync(await dl.path(), 'utf8');
  if (got !== fs.readFileSync(path.join(SRC, 'problems/examples/iris-ai/ai/public/test.csv'), 'utf8')) fail('the downloaded test.csv differs');
  await page.waitForSelector('.CodeMirror');                     // the code editor as for other problems
  await shot(page, 'ai-problem');
  await page.setInputFiles('#prediction-file', env.UI_BAD_CSV);
  await page.click('#prediction-button');
  await page.waitForSelector('#prediction-message', { timeout: 120000 });
  const msg = await page.textContent('#prediction-message');
  if (!/duplicate|twice/i.test(msg)) fail('the validation message is not shown: ' + msg);
  await shot(page, 'ai-invalid');
  await page.setInputFiles('#prediction-file', env.UI_GOOD_CSV);
  await page.click('#prediction-button');
  await page.waitForSelector('#prediction-score', { timeout: 120000 });
  await shot(page, 'ai-scored');
  await go(page, '/contests/' + cid + '/leaderboard');
  await page.waitForSelector('#leaderboard-public tr[data-name="carol"] td.score');
  const score = (await page.textContent('#leaderboard-public tr[data-name="carol"] td.score')).trim();
  if (score !== '1.0000') fail('carol\'s public score shows ' + score);
  await page.waitForSelector('#private-note');
  await page.waitForSelector('#usage-reset');
  if (!(await page.locator('#usage tr[data-scope="user"]').count())) fail('no usage row');
  await page.locator('#finals-form input[type=checkbox]').first().check();
  await page.click('#finals-save');
  await page.waitForSelector('#finals-status:has-text("#")');
  // The choice comes back from the server, not from this browser's storage.
  await page.evaluate(() => localStorage.clear());
  await go(page, '/contests/' + cid + '/leaderboard');
  await page.waitForSelector('#finals-form input[type=checkbox]');
  if (!(await page.locator('#finals-form input[type=checkbox]').first().isChecked())) fail('the chosen final is not shown after a reload');
  if (/\bnull\b|undefined/.test(await page.textContent('main'))) fail('the leaderboard page shows null or undefined');
  await shot(page, 'ai-leaderboard');
  const olga = await newPage(browser);
  await loginUI(olga, 'olga', 'olga-password-1');
  await go(olga, '/contests/' + cid + '/leaderboard');
  await olga.waitForSelector('#publish-private');
  await olga.waitForSelector('#quota-form');
  await shot(olga, 'ai-jury');
  await olga.click('#publish-private');
  await olga.waitForSelector('#publish-private:has-text("Hide")');
  await go(page, '/contests/' + cid + '/leaderboard');
  await page.waitForSelector('#leaderboard-private tr[data-name="carol"] td.score');
  if (await page.locator('#private-note').count()) fail('the private board is still hidden');
  await shot(page, 'ai-private');
}

// ---- cui: course (e2e.ui.course) ----------------------------------------------------------------------
// tess (a teacher) creates a course, a unit, uploads a roster (a bad one
// first), writes a lesson with math, code and an embedded problem, and an
// assignment; alice joins by code, reads the lesson, runs her code on the
// samples (not graded), submits and sees her grade; bob submits the same code;
// tess reads the gradebook, downloads its CSV and compares the pair.
function localDT(offset) {
  const d = new Date(Date.now() + offset * 1000);
  const p = (n) => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(d.getHours()) + ':' + p(d.getMinutes());
}

async function noToasts(page) {
  await page.evaluate(() => document.querySelectorAll('.toast').forEach((x) => x.remove()));
}

// Visits paths in Chinese: no English catalogue text left, a screenshot each.
async function inChinese(page, paths, en, zh) {
  await page.evaluate(() => localStorage.setItem('crucible.lang', 'zh-CN'));
  for (const p of paths) {
    await go(page, p);
    await page.waitForTimeout(400);
    if ((await page.getAttribute('html', 'lang')) !== 'zh-CN') fail(p + ': the page is not in Chinese');
    const left = await englishLeft(page, en, zh);
    if (left.length) fail(p + ': English left in Chinese: ' + JSON.stringify([...new Set(left)]));
    await shot(page, 'zh' + p.replace(/[^a-z0-9]+/gi, '-'));
  }
  await page.evaluate(() => localStorage.setItem('crucible.lang', 'en'));
}

async function fitsPhone(page, paths) {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 375, height: 800 });
  for (const p of paths) {
    await go(page, p);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 2) fail(p + ' is ' + overflow + ' px wider than a phone screen');
    await shot(page, 'phone' + p.replace(/[^a-z0-9]+/gi, '-'));
  }
  await page.setViewportSize(size);
}

const LESSON_MD = String.raw`# Sums

The sum $a + b$ of two integers with $|a|, |b| \le 10^9$ needs 64 bits:

$$|a + b| \le 2 \cdot 10^9$$

` + '```c\nlong long s = (long long)a + b;\nprintf("%lld\\n", s);\n```\n\n{{problem:hello-sum}}\n';

async function course(browser) {
  const { en, zh } = catalogues();
  const pid = Number(env.UI_PROBLEM);
  const source = fs.readFileSync(env.UI_SOURCE_OK, 'utf8');
  const tess = await newPage(browser, { acceptDownloads: true });
  await loginUI(tess, 'tess', 'tess-password-1');
  await go(tess, '/courses');
  await tess.fill('#course-title', 'Algorithms 101');
  await tess.fill('#course-description', 'Sorting, searching and sums.');
  await tess.fill('#course-join-code', 'ALGO-101');
  await shot(tess, 'courses-teacher');
  await tess.click('#course-create button[type=submit]');
  await tess.waitForURL(/\/courses\/\d+$/);
  const cid = Number(tess.url().match(/courses\/(\d+)/)[1]);
  await tess.waitForSelector('#course-code:text-is("ALGO-101")');
  await tess.fill('#unit-title', 'Week 1: sums');
  await tess.click('#unit-form button[type=submit]');
  await tess.waitForSelector('section.unit h2:has-text("Week 1: sums")');
  // The roster: a bad row is named by its line and nothing is stored.
  await tess.fill('#roster-csv', 'student_number,name,class\nS001,Dan Li,A1\n,Nobody,A1\n');
  await tess.click('#roster-upload');
  await tess.waitForSelector('#roster-error');
  if (!(await tess.locator('#roster-errors tbody tr').count())) fail('the bad roster rows are not listed: ' + await tess.textContent('#roster-result'));
  await shot(tess, 'roster-bad');
  await tess.fill('#roster-csv', 'student_number,name,class\nS001,Dan Li,A1\nS002,Eve Wang,A2\n');
  await tess.click('#roster-upload');
  await tess.waitForSelector('#roster-created tbody tr');
  if ((await tess.locator('#roster-created tbody tr').count()) !== 2) fail('not two created accounts: ' + await tess.textContent('#roster-result'));
  if (!(await tess.textContent('#roster-created tbody tr code')).trim()) fail('no password shown');
  await shot(tess, 'roster-ok');
  await go(tess, '/courses/' + cid);
  await tess.waitForSelector('#member-list td:text-is("S002")');
  // A lesson with math, a code block and an embedded problem.
  await tess.click('a.add-lesson');
  await tess.waitForSelector('#lesson-form');
  await tess.fill('#lesson-title', 'Adding two numbers');
  await tess.fill('#lesson-markdown', LESSON_MD);
  // Preview before saving: rendered (math, the embedded problem), not stored.
  await tess.click('#lesson-preview-button');
  await tess.waitForSelector('#lesson-preview .katex');
  await tess.waitForSelector('#lesson-preview a.embedded-problem');
  if (!/\/lessons\/new/.test(tess.url())) fail('previewing left the new-lesson page: ' + tess.url());
  await tess.click('#lesson-save');
  await tess.waitForURL(/\/lessons\/\d+\/edit$/);
  const lid = Number(tess.url().match(/lessons\/(\d+)/)[1]);
  await tess.waitForSelector('#lesson-preview .katex');
  await tess.waitForSelector('#lesson-preview a.embedded-problem');
  await shot(tess, 'lesson-editor');
  // An assignment on hello-sum: open now, due in two days, 10 % a day late.
  await go(tess, '/courses/' + cid + '/assignments/new');
  await tess.fill('#a-title', 'Homework 1');
  await tess.selectOption('#a-unit', { label: 'Week 1: sums' });
  await tess.fill('#a-open', localDT(-3600));
  await tess.fill('#a-due', localDT(2 * 86400));
  await tess.fill('#a-late-until', localDT(3 * 86400));
  await tess.selectOption('#a-late-rule', 'percent_per_day');
  await tess.fill('#a-late-value', '10');
  await tess.click('#a-add-problem');
  await tess.selectOption('#a-problems select.ap-problem', String(pid));
  await shot(tess, 'assignment-editor');
  await tess.click('#assignment-save');
  await tess.waitForURL(/\/assignments\/\d+$/);
  const aid = Number(tess.url().match(/assignments\/(\d+)/)[1]);
  await tess.waitForSelector('#assignment-problems tr[data-problem="' + pid + '"]');
  if (!/10%/.test(await tess.textContent('#late-rule'))) fail('the late rule is not explained: ' + await tess.textContent('#late-rule'));
  await shot(tess, 'assignment-teacher');
  // alice joins (a wrong code first), reads the lesson and works on the assignment.
  const alice = await newPage(browser);
  await loginUI(alice, 'alice', 'alice-password-1');
  await go(alice, '/courses');
  await alice.fill('#join-code', 'NO-SUCH-CODE');
  await alice.click('#join-form button[type=submit]');
  await alice.waitForSelector('#join-error:not([hidden])');
  await alice.fill('#join-code', 'ALGO-101');
  await alice.click('#join-form button[type=submit]');
  await alice.waitForURL(/\/courses\/\d+$/);
  await alice.waitForSelector('section.unit a:has-text("Adding two numbers")');
  if (await alice.locator('#roster, #course-code, #member-list').count()) fail('a student sees the staff parts of the course');
  await shot(alice, 'course-student');
  await alice.click('section.unit a:has-text("Adding two numbers")');
  await alice.waitForSelector('#lesson-body .katex');
  if ((await alice.locator('#lesson-body .katex').count()) < 3) fail('not all formulas rendered');
  if ((await alice.textContent('#lesson-body')).includes('\\(')) fail('unrendered math in the lesson');
  await alice.waitForSelector('#lesson-body a.embedded-problem[href="/problems/' + pid + '"]');
  await alice.waitForSelector('#lesson-body pre.highlighted span[class^="cm-"]');
  await shot(alice, 'lesson');
  await go(alice, '/assignments/' + aid);
  if (!/Due in/.test(await alice.textContent('#assignment-countdown'))) fail('no countdown: ' + await alice.textContent('#assignment-countdown'));
  await alice.click('#assignment-problems a[href="/assignments/' + aid + '/problems/' + pid + '"]');
  await alice.waitForSelector('#samples-button');
  await alice.selectOption('#language', 'c');
  await typeSource(alice, source);
  await alice.click('#samples-button');
  await alice.waitForSelector('#samples-verdict [data-verdict="AC"]', { timeout: 120000 });
  await alice.waitForSelector('#samples-tests tbody tr');
  const tests = await alice.$$eval('#samples-tests tbody tr', (rows) => rows.map((r) => r.dataset.test));
  if (!tests.length || tests.some((x) => !/^sample\//.test(x))) fail('Run on samples ran ' + JSON.stringify(tests));
  await shot(alice, 'run-samples');
  await go(alice, '/assignments/' + aid);
  if ((await alice.textContent('#assignment-problems td.grade')).trim() !== '—') fail('a run on the samples was graded');
  await go(alice, '/assignments/' + aid + '/problems/' + pid);
  await alice.selectOption('#language', 'c');
  await typeSource(alice, source);
  await alice.click('#submit-button');
  await alice.waitForSelector('#live-verdict [data-verdict="AC"]', { timeout: 120000 });
  await go(alice, '/assignments/' + aid);
  const grade = (await alice.textContent('#assignment-problems td.grade')).trim();
  if (grade !== '100.00') fail('alice\'s grade shows ' + grade);
  if (!/^100\.00/.test((await alice.textContent('#my-total')).trim())) fail('alice\'s total shows ' + await alice.textContent('#my-total'));
  await shot(alice, 'assignment-graded');
  // bob hands in the same code.
  const bob = await newPage(browser);
  await loginUI(bob, 'bob', 'bob-password-1');
  await go(bob, '/courses');
  await bob.fill('#join-code', 'ALGO-101');
  await bob.click('#join-form button[type=submit]');
  await bob.waitForURL(/\/courses\/\d+$/);
  await go(bob, '/assignments/' + aid + '/problems/' + pid);
  await bob.selectOption('#language', 'c');
  await typeSource(bob, source);
  await bob.click('#submit-button');
  await bob.waitForSelector('#live-verdict [data-verdict="AC"]', { timeout: 120000 });
  // The teacher: the gradebook and its CSV, then the similarity report.
  await go(tess, '/courses/' + cid + '/gradebook');
  await tess.waitForSelector('#gradebook tr[data-name="alice"] td.total');
  if ((await tess.textContent('#gradebook tr[data-name="alice"] td.total')).trim() !== '100.00') fail('the gradebook shows alice with ' + await tess.textContent('#gradebook tr[data-name="alice"] td.total'));
  const [dl] = await Promise.all([tess.waitForEvent('download'), tess.click('#gradebook-csv')]);
  const csv = fs.readFileSync(await dl.path(), 'utf8').split(/\r?\n/);
  if (csv[0] !== 'student_number,name,class,Homework 1,total') fail('the CSV header is ' + csv[0]);
  if (!csv.some((l) => /alice/.test(l) && /,100\.00,100\.00$/.test(l))) fail('alice is not in the CSV with 100.00: ' + csv.join(' | '));
  await shot(tess, 'gradebook');
  await go(tess, '/assignments/' + aid);
  await tess.waitForSelector('#assignment-grades tr[data-name="alice"]');
  await go(tess, '/assignments/' + aid + '/similarity');
  await tess.waitForSelector('#sim-pairs a.compare');
  await shot(tess, 'similarity');
  await tess.click('#sim-pairs a.compare');
  await tess.waitForSelector('#sim-a tr.match');
  await tess.waitForSelector('#sim-b tr.match');
  await shot(tess, 'similarity-pair');
  await go(tess, '/courses/' + cid);
  await shot(tess, 'course-teacher');
  await inChinese(tess, ['/courses', '/courses/' + cid, '/courses/' + cid + '/gradebook', '/lessons/' + lid, '/lessons/' + lid + '/edit',
    '/assignments/' + aid, '/assignments/' + aid + '/edit', '/assignments/' + aid + '/similarity'], en, zh);
  await inChinese(alice, ['/assignments/' + aid, '/assignments/' + aid + '/problems/' + pid], en, zh);
  await fitsPhone(tess, ['/courses/' + cid, '/courses/' + cid + '/gradebook', '/assignments/' + aid]);
  await fitsPhone(alice, ['/lessons/' + lid, '/assignments/' + aid + '/problems/' + pid]);
}

// ---- cui: talent (e2e.ui.talent) ------------------------------------------------------------------------
// carol (rated: she solved the problem in a finished rated contest) opts in
// and sets her school; olga finds her in the talent pool and opens her
// profile (rating graph); carol sees the view; after opting out, olga's
// search no longer lists her.
async function talent(browser) {
  const { en, zh } = catalogues();
  const carol = await newPage(browser);
  await loginUI(carol, 'carol', 'carol-password-1');
  await go(carol, '/me/profile');
  await carol.check('#profile-public');
  await carol.fill('#profile-school', 'Riverside High School');
  await carol.fill('#profile-region', 'Zhejiang');
  await carol.fill('#profile-bio', 'I like sums.');
  await carol.click('#profile-save');
  await carol.waitForSelector('.toast');
  if (await carol.locator('#profile-error:not([hidden])').count()) fail('saving the profile: ' + await carol.textContent('#profile-error'));
  await shot(carol, 'profile-settings');
  const olga = await newPage(browser);
  await loginUI(olga, 'olga', 'olga-password-1');
  await go(olga, '/ratings');
  await olga.waitForSelector('#ratings tr[data-name="carol"]');
  if (await olga.locator('#ratings tr[data-name="dave"]').count()) fail('dave (not public) is in the ratings');
  await shot(olga, 'ratings');
  await go(olga, '/talent');
  await olga.fill('#talent-school', 'Riverside');
  await olga.fill('#talent-min-rating', '1000');
  await olga.click('#talent-search');
  await olga.waitForSelector('#talent-list tr[data-name="carol"]');
  if (await olga.locator('#talent-list tr[data-name="dave"]').count()) fail('dave (not opted in) is in the talent pool');
  if (!/school=Riverside/.test(await olga.getAttribute('#talent-csv', 'href'))) fail('the CSV link lacks the filters');
  await shot(olga, 'talent-search');
  await olga.click('#talent-list tr[data-name="carol"] a.profile-link');
  await olga.waitForURL(/\/users\/carol$/);
  await olga.waitForSelector('#plot-rating');
  await olga.waitForSelector('#profile-solved a');
  if (!/^\d+$/.test((await olga.textContent('#profile-rating')).trim())) fail('no rating shown: ' + await olga.textContent('#profile-rating'));
  await olga.waitForTimeout(300);
  await shot(olga, 'profile-public');
  await go(carol, '/me/profile');
  await carol.waitForSelector('#profile-views tr[data-viewer="olga"][data-kind="view"]');
  await shot(carol, 'profile-views');
  await inChinese(carol, ['/me/profile', '/users/carol', '/ratings'], en, zh);
  await inChinese(olga, ['/talent'], en, zh);
  await fitsPhone(olga, ['/talent', '/users/carol']);
  // Opting out: gone from the search, the profile is 404 to olga.
  await go(carol, '/me/profile');
  await noToasts(carol);
  await carol.uncheck('#profile-public');
  await carol.click('#profile-save');
  await carol.waitForSelector('.toast');
  await go(olga, '/talent');
  await olga.waitForSelector('#talent-count');
  if (await olga.locator('#talent-list tr[data-name="carol"]').count()) fail('carol is still in the talent pool after opting out');
  await shot(olga, 'talent-after-opt-out');
  await go(olga, '/users/carol');
  await olga.waitForSelector('main .error');
}

// ---- uiq: quality: requests per page, labels and focus, the keyboard, long names on a phone ----------
// run_ui_test.py case_quality: no judge (submissions stay queued), a contest
// with a 60-character title, a contestant with a 60-character name and
// display name. The browser contexts here do not route requests (Playwright
// turns the HTTP cache off for routed contexts): a request for another
// origin is recorded as a problem instead of being stopped.
const API_BOUND = 6;                 // API calls a page may make to render (docs/ui.md)
const measured = [];

async function qualityContext(browser, opts) {
  const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 900 }, ...opts });
  ctx.on('page', (page) => {
    page.setDefaultTimeout(20000);
    page.on('pageerror', (e) => problems.push('page error: ' + e.message));
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to (load|apply|execute)/i.test(m.text())) problems.push('CSP: ' + m.text());
      if (/i18n: missing key/.test(m.text())) problems.push(m.text());
    });
    page.on('request', (r) => {
      if (new URL(r.url()).origin !== new URL(URL0).origin) problems.push('request outside the server: ' + r.url());
    });
  });
  return ctx;
}

// Opens p in a fresh page of ctx and records every request the page makes
// until the network has been quiet; returns the page (still open) and the list.
async function visit(ctx, p) {
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  const reqs = new Map();
  let open = 0, last = Date.now();
  cdp.on('Network.requestWillBeSent', (e) => {
    if (e.request.url.startsWith('data:') || reqs.has(e.requestId)) return;
    reqs.set(e.requestId, { url: e.request.url, status: 0, cached: false, bytes: 0 });
    open++;
    last = Date.now();
  });
  const done = (e) => {
    const r = reqs.get(e.requestId);
    if (!r || r.done) return;
    r.done = true;
    r.bytes = e.encodedDataLength || 0;
    open--;
    last = Date.now();
  };
  cdp.on('Network.loadingFinished', done);
  cdp.on('Network.loadingFailed', done);
  cdp.on('Network.requestServedFromCache', (e) => { if (reqs.has(e.requestId)) reqs.get(e.requestId).cached = true; });
  cdp.on('Network.responseReceived', (e) => {
    const r = reqs.get(e.requestId);
    if (!r) return;
    if (!r.status) r.status = e.response.status;
    if (e.response.fromDiskCache || e.response.fromPrefetchCache || e.response.fromServiceWorker) r.cached = true;
  });
  // What the server really answered: a revalidated file is 304 here, while
  // responseReceived shows the cached 200. (It may come before requestWillBeSent.)
  const raw = new Map();
  cdp.on('Network.responseReceivedExtraInfo', (e) => raw.set(e.requestId, e.statusCode));
  await page.goto(URL0 + p);
  await page.waitForSelector('main .page, main .error, main h1');
  // Rendered: nothing in flight and nothing new for 400 ms.
  for (const end = Date.now() + 15000; Date.now() < end && (open > 0 || Date.now() - last < 400);) await page.waitForTimeout(50);
  await cdp.detach().catch(() => {});
  const list = [...reqs.entries()].map(([id, r]) => ({ ...r, status: raw.get(id) || r.status,
    path: new URL(r.url).pathname + new URL(r.url).search }));
  return { page, list };
}

// A page's first load (a fresh browser profile with base's cookies: nothing
// cached) and its second (a new page in that profile: a warm cache).
async function measure(base, p, who) {
  const ctx = await qualityContext(base.browser(), { storageState: await base.storageState() });
  const cold = await visit(ctx, p);
  await cold.page.close();
  const warm = await visit(ctx, p);
  const api = (l) => l.filter((r) => r.path.startsWith('/api/'));
  const stat = (l) => l.filter((r) => !r.path.startsWith('/api/'));
  const downloads = stat(warm.list).filter((r) => !r.cached && r.status !== 304);
  const kb = (l) => Math.round(l.reduce((n, r) => n + r.bytes, 0) / 1024);
  const row = { who, page: p, cold: cold.list.length, coldApi: api(cold.list).length, coldKb: kb(cold.list), warmKb: kb(warm.list),
    warm: warm.list.length, warmApi: api(warm.list).length, warm304: stat(warm.list).filter((r) => r.status === 304).length,
    warmCached: stat(warm.list).filter((r) => r.cached).length };
  measured.push(row);
  if (row.warmApi > API_BOUND) {
    fail(p + ' (' + who + '): ' + row.warmApi + ' API requests to render (at most ' + API_BOUND + '):\n  ' +
      api(warm.list).map((r) => r.path).join('\n  '));
  }
  if (downloads.length) fail(p + ' (' + who + '): files downloaded again on a warm visit: ' + downloads.map((r) => r.path + ' ' + r.status).join(', '));
  return { ctx, page: warm.page };
}

// Every visible control has an accessible name.
async function unlabelled(page) {
  return page.evaluate(() => {
    const visible = (el) => {
      const st = getComputedStyle(el);
      if (st.visibility === 'hidden' || st.display === 'none') return false;
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0;
    };
    const nameOf = (el) => {
      const by = el.getAttribute('aria-labelledby');
      if (by) {
        const s = by.split(/\s+/).map((id) => (document.getElementById(id) || {}).textContent || '').join(' ').trim();
        if (s) return s;
      }
      if ((el.getAttribute('aria-label') || '').trim()) return el.getAttribute('aria-label').trim();
      if (el.labels && [...el.labels].map((l) => l.textContent).join('').trim()) return 'label';
      if (el.tagName === 'BUTTON') return el.textContent.trim();
      if (el.tagName === 'INPUT' && ['submit', 'button', 'reset'].includes(el.type)) return el.value.trim();
      return '';
    };
    const out = [];
    for (const el of document.querySelectorAll('input, select, textarea, button')) {
      if (el.type === 'hidden' || !visible(el)) continue;
      if (!nameOf(el)) out.push(el.outerHTML.slice(0, 160));
    }
    return out;
  });
}

// What has the focus, and whether it shows (an outline or a shadow on it or,
// in the code editor, on the editor's frame).
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const box = el.closest('.CodeMirror') || el;
    const st = getComputedStyle(box);
    const shows = (st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) >= 1) || st.boxShadow !== 'none';
    const r = box.getBoundingClientRect();
    const desc = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '') +
      (el.getAttribute('href') ? '[href=' + el.getAttribute('href') + ']' : '');
    return { desc, shows, inEditor: !!el.closest('.CodeMirror'), onScreen: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 };
  });
}

// Tabs through the page from the skip link (at most max stops): every stop
// shows its focus, and Escape takes the focus out of the code editor.
async function tabWalk(page, p, max) {
  await page.evaluate(() => { window.scrollTo(0, 0); document.querySelector('a.skip').focus(); });
  const seen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (!f) break;                                    // past the last control
    if (!f.shows || !f.onScreen) fail(p + ': the focus on ' + f.desc + ' is not visible');
    seen.push(f.desc);
    if (f.inEditor) {
      await page.keyboard.press('Escape');
      const g = await focused(page);
      if (!g || g.inEditor) fail(p + ': Escape does not leave the code editor');
    }
  }
  return seen;
}

async function landmarks(page, p) {
  const got = await page.evaluate(() => ({
    skip: !!document.querySelector('a.skip[href="#main"]'), header: !!document.querySelector('header'),
    nav: !!document.querySelector('nav[aria-label]'), main: document.querySelectorAll('main').length, h1: document.querySelectorAll('main h1').length,
  }));
  if (!got.skip || !got.header || !got.nav || got.main !== 1 || got.h1 < 1) fail(p + ': landmarks ' + JSON.stringify(got));
}

async function checkPage(base, p, who) {
  const t0 = Date.now();
  const { ctx, page } = await measure(base, p, who);
  const t1 = Date.now();
  await landmarks(page, p);
  const bad = await unlabelled(page);
  if (bad.length) fail(p + ' (' + who + '): controls without an accessible name:\n  ' + bad.join('\n  '));
  await tabWalk(page, p, 40);
  await ctx.close();
  if (env.UI_TIMING) console.log(p + ': measured in ' + (t1 - t0) + ' ms, checked in ' + (Date.now() - t1) + ' ms');
}

// Presses Tab (Shift+Tab when back) until the focus is on sel.
async function tabTo(page, sel, back) {
  for (let i = 0; i < 80; i++) {
    if (await page.evaluate((s) => !!document.activeElement && document.activeElement.matches(s), sel)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (f && f.inEditor && !sel.includes('CodeMirror')) await page.keyboard.press('Escape');
  }
  fail('the keyboard does not reach ' + sel + ' (the focus is on ' + JSON.stringify(await focused(page)) + ')');
}

const active = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return el ? (el.name || el.id || el.tagName.toLowerCase()) : null;
});

// Log in, register for the contest and submit, with the keyboard only.
async function keyboardOnly(ctx, cid, pid) {
  const page = await ctx.newPage();
  await go(page, '/');
  await page.keyboard.press('Tab');
  if ((await focused(page)).desc !== 'a.skip[href=#main]') fail('the first Tab does not reach the skip link');
  await shot(page, 'kbd-skip-link');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'main');
  await tabTo(page, '#login-link, a[href="/login"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#login-form');
  await page.waitForFunction(() => document.activeElement && document.activeElement.name === 'name');
  await page.keyboard.type(env.UI_USER);
  await page.keyboard.press('Tab');
  if (await active(page) !== 'password') fail('Tab after the name goes to ' + await active(page));
  await page.keyboard.type(env.UI_PASSWORD);
  await shot(page, 'kbd-login');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#logout');
  // The contest: register with Space on the button.
  await go(page, '/contests/' + cid);
  await tabTo(page, '#contest-register-button');
  await shot(page, 'kbd-register');
  await page.keyboard.press('Space');
  await page.waitForSelector('#contest-problems a');
  // The problem: a link by Enter, the language by arrows, the source typed.
  await tabTo(page, '#contest-problems a');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#submit-form .CodeMirror');
  await page.waitForLoadState('networkidle');
  await tabTo(page, '#language');
  await page.keyboard.press('Home');
  for (let i = 0; i < 30 && await page.inputValue('#language') !== 'c'; i++) await page.keyboard.press('ArrowDown');
  if (await page.inputValue('#language') !== 'c') fail('the arrows do not choose C in the language picker');
  await tabTo(page, '.CodeMirror textarea');
  await page.keyboard.type('#include <stdio.h>\nint main(void) {\nint a, b;\nif (scanf("%d %d", &a, &b) != 2) return 1;\nprintf("%d\\n", a + b);\nreturn 0;\n}\n');
  await page.keyboard.press('Tab');                 // indents: the focus stays
  if (!(await focused(page)).inEditor) fail('Tab in the editor leaves it (it should indent)');
  await shot(page, 'kbd-editor');
  await page.keyboard.press('Escape');              // the documented way out
  if (await active(page) !== 'submit-button') fail('Escape in the editor goes to ' + await active(page) + ', not the Submit button');
  await page.keyboard.press('Shift+Tab');
  if (!(await focused(page)).inEditor) fail('Shift+Tab from Submit does not go back to the editor');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  const after = await focused(page);
  if (!after || after.inEditor) fail('Escape, then Tab, does not leave the editor');
  await tabTo(page, '#submit-button', true);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#submit-result a');
  await page.waitForSelector('#live-verdict');
  await shot(page, 'kbd-submitted');
  await page.close();
}

// At 375 px nothing is wider than the screen, with the 60-character names.
async function phone(ctx, pages) {
  const page = await ctx.newPage();
  await page.setViewportSize({ width: 375, height: 800 });
  for (const p of pages) {
    await go(page, p);
    const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (over > 0) {
      await shot(page, 'phone-overflow' + p.replace(/[^a-z0-9]+/gi, '-'));
      fail(p + ' at 375 px: the page is ' + over + ' px wider than the screen');
    }
  }
  await shot(page, 'phone-last');
  await page.close();
}

async function quality(browser) {
  const cid = Number(env.UI_CONTEST), pid = Number(env.UI_PROBLEM), sid = Number(env.UI_SUBMISSION);
  const user = await qualityContext(browser);
  await keyboardOnly(user, cid, pid);
  const c = '/contests/' + cid;
  const userPages = ['/', '/problems', '/problems/' + pid, c, c + '/problems/' + pid, c + '/scoreboard', c + '/submissions',
    c + '/clarifications', '/submissions', '/submissions/' + sid];
  for (const p of userPages) await checkPage(user, p, 'contestant');
  // The 60-character title and names on a phone.
  const page = await user.newPage();
  await go(page, c);
  if (!(await page.textContent('main h1')).includes(env.UI_TITLE)) fail('the long title is not shown');
  await page.close();
  await phone(user, ['/', c, c + '/scoreboard', c + '/submissions', '/submissions', '/problems/' + pid]);
  const anon = await qualityContext(browser);
  for (const p of ['/', '/login', '/register']) await checkPage(anon, p, 'anonymous');
  const admin = await qualityContext(browser);
  const ap = await admin.newPage();
  await loginUI(ap, 'boss', 'boss-password-1');
  await ap.close();
  for (const p of ['/manage/problems', '/manage/queue', '/manage/rejudge', '/manage/contests/new', '/admin/users', '/admin/audit',
    c + '/manage', c + '/submissions', c + '/stats']) await checkPage(admin, p, 'admin');
  await phone(admin, ['/admin/users', c + '/manage', c + '/scoreboard', '/manage/queue']);
  // The numbers docs/ui.md reports.
  console.log('requests per page: first = a fresh browser (requests / API / KiB); warm = a new page, same cache (requests / API / 304 / from cache / KiB)');
  for (const r of measured) {
    console.log('  ' + r.who.padEnd(11) + r.page.padEnd(30) + ' first ' + String(r.cold).padStart(2) + ' / ' + r.coldApi + ' / ' +
      String(r.coldKb).padStart(4) + '   warm ' + String(r.warm).padStart(2) + ' / ' + r.warmApi + ' / ' + r.warm304 + ' / ' +
      r.warmCached + ' / ' + String(r.warmKb).padStart(3));
  }
}

const cases = { contestant, organizer, i18n, ai, course, talent, quality };
const which = process.argv[2];
if (!cases[which]) {
  console.error('usage: ui_cases.mjs ' + Object.keys(cases).join('|'));
  process.exit(2);
}
const browser = await launch();
let rc = 0;
try {
  await cases[which](browser);
  if (problems.length) fail('problems seen in the browser:\n  ' + [...new Set(problems)].join('\n  '));
  console.log('ui_cases ' + which + ': passed');
} catch (e) {
  rc = 1;
  console.error('ui_cases ' + which + ': FAILED: ' + (e && e.stack ? e.stack : e));
  for (const ctx of browser.contexts()) {
    for (const p of ctx.pages()) {
      await p.screenshot({ path: path.join(SHOTS, 'failure-' + (++shotNo) + '.png'), fullPage: true }).catch(() => {});
    }
  }
  if (problems.length) console.error('browser problems:\n  ' + [...new Set(problems)].join('\n  '));
} finally {
  await browser.close();
}
process.exit(rc);
