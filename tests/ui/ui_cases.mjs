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

const cases = { contestant, organizer, i18n, ai };
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
