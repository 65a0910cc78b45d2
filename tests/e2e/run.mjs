// End-to-end tests in a real headless Chromium (Debian's package) driven by playwright-core:
// the consumer, reviewer, company and regulator journeys, axe-core on every page in both languages, the
// Nu HTML checker on the same pages, a keyboard-only pass through the form, and screenshots.
//
// Usage: node tests/e2e/run.mjs [path/to/downgrade-watch]   (default: target/debug/downgrade-watch)
// Prints "N passed, M failed" and exits non-zero on any failure.
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, mkdirSync, existsSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import net from 'node:net';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const bin = resolve(process.argv[2] || join(root, 'target', 'debug', 'downgrade-watch'));
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const shots = join(root, 'docs', 'screenshots');
const PASSWORD = 'e2e password 12345';

const results = [];
async function check(name, fn) {
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name}`);
  } catch (e) {
    results.push({ name, ok: false, error: String(e && e.stack || e) });
    console.log(`FAIL ${name}\n     ${String(e && e.message || e).split('\n').join('\n     ')}`);
  }
}
function assert(cond, msg) { if (!cond) throw new Error(msg); }

function freePort() {
  return new Promise((res) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }); });
}

const data = mkdtempSync(join(tmpdir(), 'dw-e2e-'));
const env = { ...process.env, DW_DATA_DIR: data, DATABASE_URL: `sqlite://${data}/e2e.db`, DW_INTAKE_LIMIT: 'off', DW_MIN_FILL_SECONDS: '0', RUST_LOG: 'warn' };
function cli(args, input) {
  return execFileSync(bin, args, { env, input, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
}

cli(['migrate']);
cli(['seed-demo', '--count', '300']);
for (const [email, role] of [['admin@e2e.test', 'admin'], ['reviewer@e2e.test', 'reviewer'], ['regulator@e2e.test', 'regulator']]) {
  cli(['create-user', '--email', email, '--role', role, '--password-stdin'], PASSWORD + '\n');
}
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(bin, ['serve'], { env: { ...env, DW_BIND: `127.0.0.1:${port}`, DW_BASE_URL: base }, stdio: ['ignore', 'ignore', 'inherit'] });
for (let i = 0; ; i++) {
  try { const r = await fetch(`${base}/readyz`); if (r.ok) break; } catch { /* not up yet */ }
  if (i > 200) throw new Error('server did not start');
  await new Promise((r) => setTimeout(r, 100));
}

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const png = join(data, 'bill.png');
writeFileSync(png, Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6300010000050001' + '0d0a2db40000000049454e44ae426082', 'hex'));
mkdirSync(shots, { recursive: true });

async function newPage(lang) {
  const ctx = await browser.newContext({ locale: lang === 'en' ? 'en-US' : 'zh-CN', acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  return ctx.newPage();
}
async function login(page, email) {
  await page.goto(`${base}/staff/login`);
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/staff/login"] button[type=submit]')]);
  assert(!page.url().includes('/staff/login'), `login failed for ${email}: ${page.url()}`);
}

// ---- Consumer journeys ---------------------------------------------------------------------
const filed = {};
async function fileComplaint(lang, narrative, company) {
  const page = await newPage(lang);
  await page.goto(`${base}/complaints/new?lang=${lang}`);
  await page.selectOption('#sector', 'telecom');
  await page.fill('#company_name', company);
  await page.check('#requested_action');
  await page.check('#channels_tried');
  await page.fill('#narrative', narrative);
  await page.setInputFiles('#evidence', png);
  await page.fill('#contact_email', `consumer.${lang}@e2e.test`);
  await page.check('#consent_contact_company');
  await page.check('#consent_share_narrative');
  if (lang === 'zh-CN') await page.screenshot({ path: join(shots, 'form-zh.png'), fullPage: false });
  await Promise.all([page.waitForNavigation(), page.click('form[action="/complaints"] button[type=submit]')]);
  assert(page.url().includes('/complaints/receipt/'), `no receipt page: ${page.url()}`);
  const code = (await page.textContent('#tracking-code')).trim();
  assert(/^DW-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/.test(code), `tracking code shape: ${code}`);
  await page.screenshot({ path: join(shots, `receipt-${lang === 'en' ? 'en' : 'zh'}.png`) });
  filed[lang] = code;
  await page.context().close();
  return code;
}
await check('consumer files a complaint with evidence in zh-CN and reads the receipt', async () => {
  await fileComplaint('zh-CN', '在App里只找到升级按钮，没有降级入口，只能打客服电话，客服说要上报处理48小时内回电，一直没人回。', '某通信运营商北京分公司');
});
await check('consumer files a complaint with evidence in English and reads the receipt', async () => {
  await fileComplaint('en', 'Upgrading took one tap in the app, but to downgrade I had to call the hotline three times and was told to try again next month.', '某通信运营商北京分公司');
});
await check('tracking page shows the status of the filed complaint', async () => {
  const page = await newPage('zh-CN');
  await page.goto(`${base}/track`);
  await page.fill('#code', filed['zh-CN'].toLowerCase().replace(/-/g, ' '));
  await Promise.all([page.waitForNavigation(), page.click('form[action="/track"] button[type=submit]')]);
  assert(page.url().endsWith(`/track/${filed['zh-CN']}`), page.url());
  await page.screenshot({ path: join(shots, 'track-zh.png') });
  await page.context().close();
});
// The newest `/my/{token}` link mailed into the outbox folder (no SMTP in this run: `.eml` files).
async function myLinkFromOutbox(since) {
  const dir = join(data, 'outbox');
  for (let i = 0; i < 100; i++) {
    const files = existsSync(dir) ? readdirSync(dir).map((f) => join(dir, f)).filter((f) => statSync(f).mtimeMs >= since) : [];
    for (const f of files) {
      const raw = readFileSync(f, 'utf8');
      // Undo quoted-printable soft breaks and base64 parts, then look for the link.
      const qp = raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
      const b64 = raw.split(/\r?\n\r?\n/).map((part) => { try { return Buffer.from(part.replace(/\s+/g, ''), 'base64').toString('utf8'); } catch { return ''; } }).join('\n');
      const m = (qp + '\n' + b64).match(/\/my\/([0-9a-f]{64})/);
      if (m) return m[1];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no sign-in link in the outbox folder');
}
await check('a consumer who lost the code signs in on /my by mail and adds to the story', async () => {
  const page = await newPage('zh-CN');
  await page.goto(`${base}/my?lang=zh-CN`);
  const since = Date.now() - 1000;
  await page.fill('#email', 'consumer.zh-CN@e2e.test');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/my"] button[type=submit]')]);
  assert((await page.textContent('main')).includes('登录链接已经发出'), 'same answer for every address');
  const token = await myLinkFromOutbox(since);
  await page.goto(`${base}/my/${token}`);
  assert(page.url().endsWith('/my'), page.url());
  await page.click(`a:has-text("${filed['zh-CN']}")`);
  await page.fill('#body', '补充：12月3日又被扣了25元。');
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/update"] button[type=submit]')]);
  assert((await page.textContent('main')).includes('12月3日又被扣了25元'), 'the addition is shown');
  await page.screenshot({ path: join(shots, 'my-case-zh.png'), fullPage: true });
  // A used link is refused with a clear page.
  const again = await page.goto(`${base}/my/${token}`);
  assert(again.status() === 410, `reused link answered ${again.status()}`);
  await page.context().close();
});
await check('keyboard only: every form control is reachable with Tab and the form submits with Enter', async () => {
  const page = await newPage('en');
  await page.goto(`${base}/complaints/new?lang=en`);
  const names = [];
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => { const a = document.activeElement; return a ? { tag: a.tagName, name: a.getAttribute('name'), id: a.id, type: a.getAttribute('type') } : null; });
    if (!info) continue;
    if (info.name) names.push(info.name);
    if (info.id === 'sector') { await page.keyboard.press('ArrowDown'); }
    if (info.id === 'company_name') await page.keyboard.type('Keyboard Telecom');
    if (info.id === 'requested_action') await page.keyboard.press('Space');
    if (info.id === 'narrative') await page.keyboard.type('I pressed only keys: the downgrade option is hidden and the hotline never answers.');
    if (info.tag === 'BUTTON' && info.type === 'submit' && names.includes('narrative')) break;
  }
  for (const f of ['sector', 'company_name', 'requested_action', 'channels_tried', 'obstacles_reported', 'narrative', 'evidence', 'contact_email', 'consent_contact_company']) {
    assert(names.includes(f), `${f} not reachable by keyboard (reached: ${[...new Set(names)].join(', ')})`);
  }
  assert(!names.includes('website'), 'honeypot must not be in the tab order');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert(page.url().includes('/complaints/receipt/'), `keyboard submit did not file: ${page.url()}`);
  await page.context().close();
});

// ---- Reviewer journey ----------------------------------------------------------------------
let caseId = null;
async function submitAction(page, action, fill) {
  const sel = `form[action$="/${action}"]`;
  assert(await page.$(sel), `no ${action} form on the case page`);
  if (fill) await fill(sel);
  await Promise.all([page.waitForNavigation(), page.click(`${sel} button[type=submit]`)]);
  const status = await page.evaluate(() => document.title);
  assert(!/409|422|500|出错|wrong/i.test(status), `${action} failed: ${status}`);
}
await check('reviewer signs in, classifies, forwards and closes a case', async () => {
  const page = await newPage('zh-CN');
  await login(page, 'reviewer@e2e.test');
  await page.goto(`${base}/staff/cases`);
  await page.screenshot({ path: join(shots, 'staff-queue.png') });
  const link = await page.$(`a:has-text("${filed['zh-CN']}")`);
  assert(link, 'filed case appears in the queue');
  await Promise.all([page.waitForNavigation(), link.click()]);
  caseId = page.url().match(/\/staff\/cases\/(\d+)/)[1];
  await page.screenshot({ path: join(shots, 'staff-case.png'), fullPage: false });
  await submitAction(page, 'accept');
  // Confirm suggested obstacle codes (tick the first two offered).
  const boxes = await page.$$('form[action$="/obstacles"] input[type=checkbox]');
  if (boxes.length) {
    for (const b of boxes.slice(0, 2)) await b.check();
    await submitAction(page, 'obstacles');
  }
  await submitAction(page, 'forward');
  await submitAction(page, 'response', async (sel) => {
    const cat = await page.$(`${sel} select[name=category]`);
    if (cat) await cat.selectOption('downgraded');
    const ta = await page.$(`${sel} textarea`);
    if (ta) await ta.fill('公司答复：已为用户办理8元保号套餐，差价退还。');
    // The staff form asks what the company did (a required choice since company answers).
    const category = await page.$(`${sel} select[name="category"]`);
    if (category) await category.selectOption('downgraded');
  });
  await submitAction(page, 'close', async (sel) => {
    const s = await page.$(`${sel} select`);
    if (s) await s.selectOption('resolved');
  });
  const body = await page.textContent('main');
  assert(/已办结|Closed/.test(body), 'case shows closed');
  await page.context().close();
});

// ---- Regulator journey ---------------------------------------------------------------------
await check('regulator opens the dashboard and downloads a CSV export', async () => {
  const page = await newPage('zh-CN');
  await login(page, 'regulator@e2e.test');
  await page.goto(`${base}/regulator`);
  await page.screenshot({ path: join(shots, 'regulator-dashboard.png'), fullPage: false });
  const a = await page.$('a[href*="complaints.csv"]');
  assert(a, 'dashboard links a CSV export');
  const [download] = await Promise.all([page.waitForEvent('download'), a.click()]);
  const file = join(data, 'export.csv');
  await download.saveAs(file);
  const buf = readFileSync(file);
  assert(buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf, 'CSV starts with a UTF-8 BOM');
  const header = buf.subarray(3).toString('utf8').split(/\r?\n/)[0];
  assert(header.startsWith('complaint_id,received_at,sector,company_name'), `header: ${header}`);
  assert(!/contact_email|contact_phone/.test(header), 'no contact columns for regulators');
  await page.context().close();
});

// ---- Period report on paper ------------------------------------------------------------------
// The year report (12 months of the demo data) printed by Chromium on A4 portrait, and the PDF the
// server makes; both kept as page images in docs/screenshots (pdftoppm from poppler-utils).
const reportYear = String(new Date().getFullYear());
function pdfPages(file, prefix, max) {
  const info = execFileSync('pdfinfo', [file]).toString();
  const pages = Number((info.match(/^Pages:\s+(\d+)/m) || [])[1]);
  const size = (info.match(/^Page size:\s+([\d.]+) x ([\d.]+)/m) || []).slice(1).map(Number);
  execFileSync('pdftoppm', ['-r', '70', '-png', '-l', String(max), file, join(shots, prefix)]);
  return { pages, size };
}
function isA4Portrait([w, h]) { return Math.abs(w - 595.3) < 2 && Math.abs(h - 841.9) < 2; }
await check('regulator prints the period report on A4 portrait: labels apart, tables full width, pages as images', async () => {
  const page = await newPage('zh-CN');
  await login(page, 'regulator@e2e.test');
  await page.goto(`${base}/regulator/reports/${reportYear}?lang=zh-CN`);
  // The layout the printer gets: print media at the width of A4 less the page margins.
  await page.setViewportSize({ width: 672, height: 950 });
  await page.emulateMedia({ media: 'print' });
  const layout = await page.evaluate(() => {
    const overlaps = [];
    for (const svg of document.querySelectorAll('svg.chart')) {
      const box = svg.getBoundingClientRect();
      const labels = [...svg.querySelectorAll('text')].map((t) => t.getBoundingClientRect());
      for (let i = 0; i < labels.length; i++) {
        const a = labels[i];
        if (a.left < box.left - 1 || a.right > box.right + 1 || a.top < box.top - 1 || a.bottom > box.bottom + 1) overlaps.push(`${svg.id || svg.getAttribute('aria-labelledby')}: text outside the chart`);
        for (let j = i + 1; j < labels.length; j++) {
          const b = labels[j];
          if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) overlaps.push(`${svg.getAttribute('aria-labelledby')}: texts overlap`);
        }
      }
      for (const r of svg.querySelectorAll('rect.chart-bar')) {
        const b = r.getBoundingClientRect();
        if (b.top < box.top - 0.5 || b.right > box.right + 0.5) overlaps.push('a bar leaves its chart');
      }
    }
    const nameCells = [...document.querySelectorAll('table.companies th[scope=row]')].map((th) => th.getBoundingClientRect().width);
    const charts = [...document.querySelectorAll('svg.chart')].map((s) => s.getBoundingClientRect().width);
    return { overlaps, nameCells, charts, main: document.querySelector('main').getBoundingClientRect().width };
  });
  assert(layout.overlaps.length === 0, layout.overlaps.slice(0, 5).join('\n'));
  assert(layout.charts.length >= 4 && layout.charts.every((w) => w >= layout.main * 0.95), `charts full width: ${layout.charts} of ${layout.main}`);
  assert(layout.nameCells.length > 0 && layout.nameCells.every((w) => w >= 120), `company names have room: ${layout.nameCells}`);
  // Chromium's print to PDF, with the page's own @page size and running head and foot.
  const printed = join(data, 'report-print.pdf');
  await page.pdf({ path: printed, format: 'A4', preferCSSPageSize: true, printBackground: true });
  const p = pdfPages(printed, 'report-print-zh', 6);
  assert(p.pages >= 3 && isA4Portrait(p.size), `printed ${p.pages} pages of ${p.size}`);
  const text = execFileSync('pdftotext', ['-layout', printed, '-']).toString();
  assert(text.includes(`${reportYear}年`) && text.includes('第 2 页'), 'running head with the period and page numbers on each page');
  // The server's own PDF of the same report.
  const r = await page.request.get(`${base}/regulator/reports/${reportYear}/report.pdf?lang=zh-CN`);
  assert(r.status() === 200 && r.headers()['content-type'] === 'application/pdf', `PDF answered ${r.status()}`);
  const made = join(data, 'report-server.pdf');
  writeFileSync(made, await r.body());
  const q = pdfPages(made, 'report-pdf-zh', 6);
  assert(q.pages >= 3 && isA4Portrait(q.size), `server PDF: ${q.pages} pages of ${q.size}`);
  const serverText = execFileSync('pdftotext', [made, '-']).toString();
  assert(serverText.includes(`${reportYear}年`) && /第\s*1\s*页/.test(serverText), 'server PDF names the period and numbers its pages');
  await page.context().close();
});

// ---- Company portal journey ----------------------------------------------------------------
// A contact of the company the complaints name signs in on the same page as staff, lists the
// forwarded complaints, opens one and answers it with an attachment; a second one is answered
// with the keyboard only.
cli(['create-user', '--email', 'company@e2e.test', '--role', 'company', '--company', '某通信运营商北京分公司', '--password-stdin'], PASSWORD + '\n');
const portalCases = [];
await check('reviewer forwards three complaints to the company', async () => {
  const codes = [filed['en']];
  for (let i = 0; i < 2; i++) {
    const r = await fetch(`${base}/api/v1/complaints`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sector: 'telecom', company_name: '某通信运营商北京分公司', requested_action: 'downgrade', channels_tried: ['hotline'], narrative: `营业厅说降级必须本人到店办理，到店后又说系统维护无法办理，来回跑了${i + 3}次。`, consent_contact_company: true, consent_share_narrative: true, contact_email: `api.consumer${i}@e2e.test`, language: 'zh-CN' }),
    });
    assert(r.status === 201, `filing through the API answered ${r.status}`);
    codes.push((await r.json()).tracking_code);
  }
  const page = await newPage('zh-CN');
  await login(page, 'reviewer@e2e.test');
  for (const code of codes) {
    await page.goto(`${base}/staff/cases`);
    const link = await page.$(`a:has-text("${code}")`);
    assert(link, `${code} appears in the queue`);
    await Promise.all([page.waitForNavigation(), link.click()]);
    await submitAction(page, 'accept');
    await submitAction(page, 'forward');
    portalCases.push(code);
  }
  await page.context().close();
});
await check('company contact signs in, lists its cases and answers one with an attachment', async () => {
  const page = await newPage('zh-CN');
  await login(page, 'company@e2e.test');
  assert(new URL(page.url()).pathname === '/company', `company user lands on ${page.url()}`);
  await page.screenshot({ path: join(shots, 'company-home.png') });
  await page.goto(`${base}/company/cases?filter=awaiting`);
  await page.screenshot({ path: join(shots, 'company-cases.png') });
  const link = await page.$(`a:has-text("${portalCases[0]}")`);
  assert(link, 'the forwarded complaint is listed');
  assert(!(await page.$(`a[href^="/staff"]`)), 'no staff navigation in the portal');
  await Promise.all([page.waitForNavigation(), link.click()]);
  // An empty answer is explained, in an error summary that links to the fields.
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/response"] button[type=submit]')]);
  assert(await page.$('.error-summary a[href="#category"]'), 'error summary links to the category');
  await page.check('#category-downgraded');
  await page.fill('#text', '已为用户办理8元保号套餐，差价已退还，详见附件回执。');
  await page.setInputFiles('#file', png);
  await page.screenshot({ path: join(shots, 'company-case.png'), fullPage: false });
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/response"] button[type=submit]')]);
  assert(page.url().includes('done=answered'), `answer not recorded: ${page.url()}`);
  const body = await page.textContent('main');
  assert(body.includes('已为用户办理8元保号套餐') && body.includes('bill.png'), 'the answer and its attachment are shown');
  await page.context().close();
});
await check('keyboard only: the answer form is operable with Tab, arrows, typing and Enter (en)', async () => {
  const page = await newPage('en');
  await login(page, 'company@e2e.test');
  await page.goto(`${base}/company/cases/${portalCases[1]}?lang=en`);
  const reached = new Set();
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => { const a = document.activeElement; return a ? { tag: a.tagName, name: a.getAttribute('name'), type: a.getAttribute('type'), action: a.form ? a.form.getAttribute('action') : '' } : null; });
    if (!info || !info.action || !info.action.endsWith('/response')) continue;
    if (info.name) reached.add(info.name);
    if (info.name === 'category') await page.keyboard.press('ArrowDown');
    if (info.name === 'text') await page.keyboard.type('We refunded the difference and downgraded the plan from next month.');
    if (info.tag === 'BUTTON' && info.type === 'submit') break;
  }
  for (const f of ['category', 'text', 'file']) assert(reached.has(f), `${f} not reachable by keyboard (reached: ${[...reached].join(', ')})`);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert(page.url().includes('done=answered'), `keyboard answer not recorded: ${page.url()}`);
  await page.context().close();
});

await check('the consumer reads the answer on the tracking page, is not satisfied, and staff see it disputed', async () => {
  const page = await newPage('zh-CN');
  await page.goto(`${base}/track/${portalCases[0]}?lang=zh-CN`);
  const body = await page.textContent('main');
  assert(body.includes('已为用户办理8元保号套餐'), 'the company answer is on the tracking page');
  await page.check('#verdict-feedback-not_satisfied');
  await page.fill('#verdict-reason', '套餐没有变，12月仍按原价扣费。');
  await page.screenshot({ path: join(shots, 'track-answer-zh.png'), fullPage: true });
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/verdict"] button[type=submit]')]);
  assert(page.url().includes('judged=1'), `verdict not recorded: ${page.url()}`);
  await page.context().close();
  const staff = await newPage('zh-CN');
  await login(staff, 'reviewer@e2e.test');
  await staff.goto(`${base}/staff/cases?disputed=1`);
  assert((await staff.textContent('main')).includes(portalCases[0]), 'the case is in the disputed filter');
  await staff.goto(`${base}/staff`);
  assert(await staff.$('a[href="/staff/cases?disputed=1"]'), 'the staff home points to disputed cases');
  await staff.context().close();
});

// ---- Keyboard: the remedy pages (lane, clauses, campaigns, referrals, rights) ---------------
// Every visible form control of each page is reached with Tab alone, in both languages.
for (const lang of ['zh-CN', 'en']) {
  await check(`keyboard only: every control of the remedy pages is reachable with Tab (${lang})`, async () => {
    const page = await newPage(lang);
    await login(page, 'admin@e2e.test');
    const paths = [`/staff/cases/${caseId || 1}`, '/staff/lane', '/staff/rights/WINDOW', '/staff/clauses/new', '/staff/clauses/1', '/staff/campaigns', '/staff/campaigns/1', '/staff/authorities', '/staff/authorities/1', '/staff/referrals/1', '/rights/WINDOW'];
    for (const path of paths) {
      await page.goto(`${base}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
      const wanted = await page.evaluate(() => {
        const all = [...document.querySelectorAll('main input, main select, main textarea, main button, main a[href]')];
        // A radio group is one Tab stop (arrows move inside it): its radios share a key.
        return [...new Set(all
          .filter((e) => e.type !== 'hidden' && !e.disabled && e.checkVisibility() && e.tabIndex >= 0)
          .map((e, i) => { e.dataset.kbd = e.type === 'radio' ? `radio:${e.form ? e.form.action : ''}:${e.name}` : String(i); return e.dataset.kbd; }))];
      });
      const reached = new Set();
      for (let i = 0; i < wanted.length * 3 + 40 && reached.size < wanted.length; i++) {
        await page.keyboard.press('Tab');
        const k = await page.evaluate(() => document.activeElement && document.activeElement.dataset.kbd);
        if (k !== undefined && k !== null) reached.add(k);
      }
      const missed = wanted.filter((k) => !reached.has(k));
      const names = await page.evaluate((ks) => ks.map((k) => { const e = [...document.querySelectorAll('[data-kbd]')].find((x) => x.dataset.kbd === k); return `${e.tagName.toLowerCase()}[name=${e.getAttribute('name') || e.textContent.trim().slice(0, 20)}]`; }), missed);
      assert(missed.length === 0, `${path}: not reachable by Tab: ${names.join(', ')}`);
    }
    await page.context().close();
  });
}

// ---- Accessibility and markup on every page ------------------------------------------------
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const publicPages = ['/', '/complaints/new', '/track', '/my', '/privacy', '/stats', '/rights', '/rights/CH-ASYM', `/track/${filed['zh-CN'] || 'DW-2222-2222'}`, `/complaints/receipt/${filed['zh-CN'] || 'DW-2222-2222'}`, '/no-such-page', '/staff/login'];
const staffPages = ['/staff', '/staff/cases', `/staff/cases/${caseId || 1}`, '/staff/companies', '/staff/companies/1', '/staff/groups', '/staff/users', '/staff/audit', '/staff/holidays', '/staff/outbox', '/staff/campaigns', '/staff/campaigns/1', '/staff/authorities', '/staff/authorities/1', '/staff/referrals/1', '/staff/referrals/1/package', '/staff/lane', '/staff/rights', '/staff/rights/WINDOW', '/staff/clauses', '/staff/clauses/new', '/staff/clauses/1', '/staff/clauses/3', `/staff/cases/${caseId || 1}/clauses`];
const regulatorPages = ['/regulator', '/regulator/companies', '/regulator/companies/1', '/regulator/reports/2026-Q3', '/regulator/campaigns', '/regulator/campaigns/1', '/regulator/clauses', '/regulator/clauses/3'];
const companyPages = ['/company', '/company/cases', '/company/cases?filter=answered', ...portalCases.map((c) => `/company/cases/${c}`)];
// The signed answer link of a forwarded case, from its forward mail in the .eml outbox.
function answerLink(code) {
  const dir = join(data, 'outbox');
  for (const f of existsSync(dir) ? readdirSync(dir) : []) {
    const raw = readFileSync(join(dir, f), 'utf8');
    const texts = [raw, ...[...raw.matchAll(/Content-Transfer-Encoding: base64\r?\n\r?\n([A-Za-z0-9+/=\r\n]+)/g)].map((m) => Buffer.from(m[1].replace(/\s+/g, ''), 'base64').toString('utf8'))];
    const body = texts.join('\n');
    const m = body.match(/\/respond\/([0-9a-f]{64})/);
    if (m && body.includes(code)) return `/respond/${m[1]}`;
  }
  return null;
}
const respondLink = portalCases[2] && answerLink(portalCases[2]);
const respondPages = [...(respondLink ? [respondLink] : []), `/respond/${'0'.repeat(64)}`];
const htmlFiles = [];
async function axeHere(page) {
  await page.evaluate(axeSource);
  const res = await page.evaluate(async () => await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }));
  const v = res.violations.filter((x) => x.impact !== 'minor' || x.id !== 'region');
  assert(v.length === 0, v.map((x) => `${x.id} (${x.impact}): ${x.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`).join('\n'));
}
async function audit(page, path, lang, label) {
  const url = `${base}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`;
  const resp = await page.goto(url);
  const status = resp ? resp.status() : 0;
  if (!path.startsWith('/no-such') && !path.startsWith('/respond/000')) assert(status === 200, `${label} ${path} answered ${status}`);
  const raw = await resp.text();
  const file = join(data, `page-${htmlFiles.length}.html`);
  writeFileSync(file, raw);
  htmlFiles.push({ file, label: `${label} ${path} (${lang})` });
  await page.addScriptTag({ content: axeSource }).catch(async () => {
    // CSP forbids inline scripts on our pages; evaluate the source instead.
    await page.evaluate(axeSource);
  });
  const res = await page.evaluate(async () => await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }));
  const v = res.violations.filter((x) => x.impact !== 'minor' || x.id !== 'region');
  assert(v.length === 0, v.map((x) => `${x.id} (${x.impact}): ${x.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`).join('\n'));
}
// ---- Clause library: a reviewer records a clause, reviews it and cites it from a case --------
await check('reviewer records a clause (errors first, then saved), moves it on and cites it from a case', async () => {
  const page = await newPage('zh-CN');
  await login(page, 'reviewer@e2e.test');
  await page.goto(`${base}/staff/clauses/new`);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/staff/clauses"] button[type=submit]')]);
  assert(await page.$('.error-summary'), 'an error summary for the empty form');
  await axeHere(page);
  await page.fill('#company', '某视频平台');
  await page.fill('#clause_text', '会员自动续费开通后，取消须提前15日致电客服热线办理。');
  await page.fill('#first_seen_on', '2026-11-01');
  await page.fill('#last_seen_on', '2026-11-20');
  await page.check('#ob-CH-ASYM');
  await page.check('#lb-OTSM-18');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/staff/clauses"] button[type=submit]')]);
  const m = page.url().match(/\/staff\/clauses\/(\d+)/);
  assert(m, `redirected to the clause page: ${page.url()}`);
  await page.check('#st-under_review');
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/status"] button[type=submit]')]);
  assert((await page.textContent('main')).includes('审查中'), 'the new status is shown');
  await page.screenshot({ path: join(shots, 'clause-zh.png'), fullPage: true });
  await page.goto(`${base}/staff/cases/${caseId || 1}/clauses?company=`);
  await Promise.all([page.waitForNavigation(), page.click(`form[action$="/clauses"] input[name=clause_id][value="${m[1]}"] ~ button`)]);
  assert((await page.textContent('main')).includes('取消引用'), 'the clause is cited now');
  await page.context().close();
});

for (const lang of ['zh-CN', 'en']) {
  const anon = await newPage(lang);
  for (const p of publicPages) await check(`axe: public ${p} (${lang})`, () => audit(anon, p, lang, 'public'));
  await check(`answer link of a forwarded case found in its forward mail (${lang})`, async () => assert(respondLink, 'no /respond/ link in the outbox'));
  for (const p of respondPages) {
    await check(`axe: answer link ${p.slice(0, 20)}… (${lang})`, async () => {
      await audit(anon, p, lang, 'public');
      if (p === respondLink && lang === 'zh-CN') await anon.screenshot({ path: join(shots, 'respond-zh.png') });
    });
  }
  await anon.context().close();
  const admin = await newPage(lang);
  await login(admin, 'admin@e2e.test');
  for (const p of [...staffPages, ...regulatorPages]) await check(`axe: staff ${p} (${lang})`, () => audit(admin, p, lang, 'staff'));
  if (lang === 'zh-CN') {
    await admin.goto(`${base}/regulator?lang=zh-CN`);
  }
  await admin.context().close();
  const company = await newPage(lang);
  await login(company, 'company@e2e.test');
  for (const p of companyPages) await check(`axe: company ${p} (${lang})`, () => audit(company, p, lang, 'company'));
  await check(`axe: company answer form with errors (${lang})`, async () => {
    await company.goto(`${base}/company/cases/${portalCases[2]}?lang=${lang}`);
    await Promise.all([company.waitForNavigation(), company.click('form[action$="/response"] button[type=submit]')]);
    assert(await company.$('.error-summary'), 'an error summary');
    const raw = await company.content();
    const file = join(data, `page-${htmlFiles.length}.html`);
    writeFileSync(file, raw);
    htmlFiles.push({ file, label: `company answer errors (${lang})` });
    await axeHere(company);
  });
  await company.context().close();
}
{
  const p = await newPage('zh-CN');
  await p.goto(`${base}/?lang=zh-CN`);
  await p.screenshot({ path: join(shots, 'home-zh.png') });
  await p.goto(`${base}/?lang=en`);
  await p.screenshot({ path: join(shots, 'home-en.png') });
  await p.goto(`${base}/stats?lang=zh-CN`);
  await p.screenshot({ path: join(shots, 'stats-zh.png') });
  await p.context().close();
}

await check('Nu HTML checker: no errors on any audited page', async () => {
  const vnu = require.resolve('vnu-jar/build/dist/vnu.jar');
  let out = '';
  try {
    execFileSync('java', ['-jar', vnu, '--errors-only', '--format', 'json', ...htmlFiles.map((h) => h.file)], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    out = e.stderr.toString();
  }
  if (!out) return;
  const msgs = JSON.parse(out).messages.filter((m) => m.type === 'error');
  const byFile = Object.fromEntries(htmlFiles.map((h) => [`file:${h.file}`, h.label]));
  assert(msgs.length === 0, msgs.slice(0, 25).map((m) => `${byFile[m.url] || m.url}: line ${m.lastLine}: ${m.message}`).join('\n'));
});

await browser.close();
server.kill('SIGTERM');
const failed = results.filter((r) => !r.ok).length;
console.log(`\n${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
