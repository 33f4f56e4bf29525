#!/usr/bin/env node
// Drive a site built by `policydiff site` in a real headless Chromium.
//
//   node check-site.mjs SITE_DIR ARTIFACT_DIR [EXPECT_JSON]
//
// SITE_DIR      the directory `policydiff site --out` wrote
// ARTIFACT_DIR  where the screenshots go (created if missing):
//               site-redline.png (full page), site-index-phone.png (390x844)
// EXPECT_JSON   optional facts about the site to check, e.g.
//               {"releases":4,"badges":["Minor","Major","Minor","First"],
//                "classes":["minor","major","minor","first"],"probe":"2026-04-01",
//                "template":"{{ 7*7 }}","lang":"en",
//                "dirs":{"zh-CN/":"zh-CN"},
//                "switch":{"from":"versions/2026-01-15.html","lang":"zh-CN",
//                          "to":"zh-CN/versions/2026-01-15.html"}}
//               `dirs`: the `lang` of the pages under a folder (a bilingual
//               archive's translation); `switch`: click the language switch
//               on `from` and land on `to` with `lang`, then back (also
//               from the index); screenshots site-switch-*.png.
//
// Chromium: $CHROMIUM, else /usr/bin/chromium (Debian's package). No browser
// is downloaded: playwright-core only drives the one given.
//
// Prints one JSON summary on stdout; every failed check is also named on
// stderr. Exit 0 when every check passed, 1 when one failed, 2 on bad usage.
// Run by tests/site.rs (`cargo test --test site`).

import { mkdirSync, readdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const started = Date.now();
const [siteArg, artifactArg, expectArg] = process.argv.slice(2);
if (!siteArg || !artifactArg) {
  console.error('usage: node check-site.mjs SITE_DIR ARTIFACT_DIR [EXPECT_JSON]');
  process.exit(2);
}
const siteDir = path.resolve(siteArg);
const artifactDir = path.resolve(artifactArg);
let expect = {};
try {
  expect = expectArg ? JSON.parse(expectArg) : {};
} catch (e) {
  console.error(`EXPECT_JSON is not JSON: ${e.message}`);
  process.exit(2);
}
if (!existsSync(path.join(siteDir, 'index.html'))) {
  console.error(`${siteDir}/index.html does not exist: build the site first`);
  process.exit(2);
}
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
mkdirSync(artifactDir, { recursive: true });

const checks = [];
const dialogs = [];
const pageErrors = [];
const external = [];
const screenshots = {};
let pagesVisited = 0;
let browserVersion = null;

function check(name, ok, detail) {
  const entry = { name, ok: Boolean(ok) };
  if (detail !== undefined) entry.detail = detail;
  checks.push(entry);
  if (!ok) {
    console.error(`FAIL: ${name}${detail === undefined ? '' : ` — ${JSON.stringify(detail)}`}`);
  }
  return Boolean(ok);
}

function summary() {
  const failed = checks.filter((c) => !c.ok).map((c) => c.name);
  return {
    ok: failed.length === 0 && checks.length > 0,
    failed,
    chromium: browserVersion,
    executable: executablePath,
    site: siteDir,
    pages_visited: pagesVisited,
    dialogs,
    page_errors: pageErrors,
    external_requests: external,
    screenshots,
    duration_ms: Date.now() - started,
    checks,
  };
}

function finish() {
  const s = summary();
  process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
  if (!s.ok) console.error(`browser check FAILED: ${s.failed.join('; ') || 'no checks ran'}`);
  process.exitCode = s.ok ? 0 : 1;
}

// A hung browser must not hang the test run.
const watchdog = setTimeout(() => {
  check('finished within 150 s', false);
  finish();
  process.exit(1);
}, 150_000);
watchdog.unref();

const fileUrl = (rel) => pathToFileURL(path.join(siteDir, rel)).href;

function htmlPages(dir, base = '') {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    const rel = base ? `${base}/${name}` : name;
    if (statSync(full).isDirectory()) out.push(...htmlPages(full, rel));
    else if (name.endsWith('.html')) out.push(rel);
  }
  return out;
}

// Everything a page must never do, checked from inside the page.
// The lang a page must have: its folder's (`expect.dirs`), else the site's.
function expectedLang(rel) {
  for (const [dir, lang] of Object.entries(expect.dirs ?? {})) {
    if (rel.startsWith(dir)) return lang;
  }
  return expect.lang;
}

async function pageSafety(page, label, lang = expect.lang) {
  const facts = await page.evaluate(() => ({
    pwned: typeof window.__pwned,
    scripts: document.scripts.length,
    jsLinks: [...document.querySelectorAll('[href], [src], [action], [formaction]')]
      .map((e) => e.getAttribute('href') ?? e.getAttribute('src') ?? e.getAttribute('action') ?? e.getAttribute('formaction'))
      .filter((v) => /^\s*(javascript|vbscript|data\s*:\s*text\/html)/i.test(v ?? '')),
    lang: document.documentElement.getAttribute('lang'),
  }));
  check(`${label}: window.__pwned is undefined`, facts.pwned === 'undefined', facts.pwned);
  check(`${label}: no <script> in the DOM`, facts.scripts === 0, facts.scripts);
  check(`${label}: no javascript: URL`, facts.jsLinks.length === 0, facts.jsLinks);
  if (lang) check(`${label}: lang="${lang}"`, facts.lang === lang, facts.lang);
  return facts;
}

// Visible as a person would see it, with the decoration a redline promises.
async function decoratedAndVisible(locator, decoration) {
  const n = await locator.count();
  const seen = [];
  for (let i = 0; i < n; i += 1) {
    const el = locator.nth(i);
    const box = await el.boundingBox();
    const style = await el.evaluate((e) => {
      const s = getComputedStyle(e);
      return {
        text: e.textContent,
        display: s.display,
        visibility: s.visibility,
        opacity: s.opacity,
        decoration: s.textDecorationLine,
        color: s.color,
      };
    });
    seen.push({
      text: style.text.slice(0, 40),
      box,
      ...style,
      visible:
        box !== null &&
        box.width > 0 &&
        box.height > 0 &&
        style.display !== 'none' &&
        style.visibility === 'visible' &&
        Number(style.opacity) > 0,
      decorated: style.decoration.includes(decoration),
    });
  }
  return seen;
}

async function run() {
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    timeout: 60_000,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  browserVersion = browser.version();
  try {
    const watch = async (context, label) => {
      context.setDefaultTimeout(20_000);
      // The site is static: nothing may leave the file system.
      await context.route(/^(https?|wss?|ftp):/i, (route) => {
        const u = route.request().url();
        if (!external.includes(u)) external.push(u);
        return route.abort();
      });
      context.on('request', (req) => {
        const u = req.url();
        if (!/^(file|data|about|blob):/i.test(u) && !external.includes(u)) external.push(u);
      });
      context.on('page', (p) => {
        p.on('dialog', (d) => {
          dialogs.push({ context: label, type: d.type(), message: d.message(), url: p.url() });
          d.dismiss().catch(() => {});
        });
        p.on('pageerror', (e) => pageErrors.push({ context: label, error: String(e) }));
      });
    };

    // ---- Desktop: index → major redline → probe version page.
    const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await watch(desktop, 'desktop');
    const page = await desktop.newPage();
    await page.goto(fileUrl('index.html'), { waitUntil: 'load' });
    pagesVisited += 1;
    await pageSafety(page, 'index');

    const items = await page.locator('ul.releases > li').evaluateAll((lis) =>
      lis.map((li) => {
        const badge = li.querySelector('.badge');
        return {
          id: li.id,
          badge: badge ? badge.textContent.trim() : null,
          badgeClass: badge ? [...badge.classList].filter((c) => c !== 'badge').join(' ') : null,
          version: li.querySelector('a.version-link')?.getAttribute('href') ?? null,
          redline: li.querySelector('a.redline-link')?.getAttribute('href') ?? null,
        };
      }),
    );
    if (expect.releases !== undefined) {
      check(`index lists ${expect.releases} releases`, items.length === expect.releases, items.length);
    }
    check('index lists at least one release', items.length > 0, items.length);
    const ids = items.map((i) => i.id);
    check('releases newest first', ids.join() === [...ids].sort().reverse().join(), ids);
    if (expect.badges) {
      check('badge texts', JSON.stringify(items.map((i) => i.badge)) === JSON.stringify(expect.badges), items.map((i) => i.badge));
    }
    if (expect.classes) {
      check('badge classes', JSON.stringify(items.map((i) => i.badgeClass)) === JSON.stringify(expect.classes), items.map((i) => i.badgeClass));
    }
    check('every release links its version', items.every((i) => i.version === `versions/${i.id}.html`), items);
    check(
      'every release but the first links a redline',
      items.every((i, n) => (n === items.length - 1 ? i.redline === null : i.redline === `redline/${items[n + 1].id}_${i.id}.html`)),
      items,
    );
    const badgeBoxes = await page.locator('ul.releases > li .badge').evaluateAll((bs) =>
      bs.map((b) => {
        const r = b.getBoundingClientRect();
        const s = getComputedStyle(b);
        return { w: r.width, h: r.height, bg: s.backgroundColor, color: s.color };
      }),
    );
    check('badges are visible with a background', badgeBoxes.every((b) => b.w > 0 && b.h > 0 && b.bg !== 'rgba(0, 0, 0, 0)'), badgeBoxes);

    // The major release's redline, reached by clicking as a reader would
    // (without a major release: the newest redline).
    const majorItem = page.locator('ul.releases > li:has(.badge.major)').first();
    const hasMajor = (await majorItem.count()) > 0;
    if ((expect.classes ?? []).includes('major') || (expect.badges ?? []).includes('Major')) {
      check('a release has a major badge', hasMajor);
    }
    const target = hasMajor ? majorItem : page.locator('ul.releases > li:has(a.redline-link)').first();
    let href = null;
    if ((await target.count()) === 0) {
      check('a release links a redline', items.length < 2, items.length);
    } else {
      const link = target.locator('a.redline-link').first();
      href = await link.getAttribute('href');
      await Promise.all([page.waitForURL((u) => u.pathname.endsWith(`/${href}`)), link.click()]);
      await page.waitForLoadState('load');
      pagesVisited += 1;
      check('clicking "See what changed" opens the redline', page.url() === fileUrl(href), { url: page.url(), href });
      await pageSafety(page, 'redline');
      const verdict = page.locator('section.verdict');
      check('redline has a visible verdict', (await verdict.count()) === 1 && (await verdict.isVisible()));
      if (hasMajor) {
        const verdictClass = (await verdict.count()) ? await verdict.getAttribute('class') : null;
        check('verdict is major', /\bmajor\b/.test(verdictClass ?? ''), verdictClass);
      }
      const cards = await page.locator('main section.change').count();
      check('redline has change cards', cards > 0, cards);

      const dels = await decoratedAndVisible(page.locator('main section.change del'), 'line-through');
      const inss = await decoratedAndVisible(page.locator('main section.change ins'), 'underline');
      check('redline marks a change with <del> or <ins>', dels.length + inss.length > 0);
      for (const [name, seen, deco] of [['del', dels, 'line-through'], ['ins', inss, 'underline']]) {
        // A major change deletes and inserts; any other may only add.
        if (hasMajor) {
          check(`redline has <${name}> in its change cards`, seen.length > 0, seen.length);
          check(`some <${name}> is visible`, seen.some((s) => s.visible), seen.slice(0, 3));
        }
        const hidden = seen.filter((s) => s.text.trim() !== '' && !s.visible);
        check(`every non-empty <${name}> is visible`, hidden.length === 0, hidden.slice(0, 3));
        const plain = seen.filter((s) => !s.decorated);
        check(`every <${name}> has text-decoration ${deco}`, plain.length === 0, plain.slice(0, 3));
      }
      if (dels.length > 0 && inss.length > 0) {
        check('<del> and <ins> differ in colour', dels[0].color !== inss[0].color, {
          del: dels[0].color,
          ins: inss[0].color,
        });
      }
      screenshots.redline = path.join(artifactDir, 'site-redline.png');
      await page.screenshot({ path: screenshots.redline, fullPage: true });
    }

    // The version page whose policy text carries <script>, a javascript:
    // link and template syntax.
    const probe = expect.probe ?? items[0]?.id;
    await page.goto(fileUrl('index.html'), { waitUntil: 'load' });
    pagesVisited += 1;
    const versionLink = page.locator(`ul.releases > li[id="${probe}"] a.version-link`);
    if (check(`release ${probe} has a version link`, (await versionLink.count()) === 1)) {
      await Promise.all([page.waitForURL((u) => u.pathname.endsWith(`/versions/${probe}.html`)), versionLink.click()]);
      await page.waitForLoadState('load');
      pagesVisited += 1;
      await pageSafety(page, `version ${probe}`);
      const bodyText = await page.locator('body').innerText();
      if (expect.template) {
        check(`version ${probe} shows ${expect.template} literally`, bodyText.includes(expect.template));
      }
      check(`version ${probe} does not show <script> as markup`, !/<\s*script/i.test(await page.locator('.policy').innerHTML()));
      const clickLink = page.getByRole('link', { name: 'click', exact: true });
      if ((await clickLink.count()) === 1) {
        // Following the neutered javascript: link runs nothing.
        await clickLink.click();
        await page.waitForLoadState('load');
        await page.waitForTimeout(250);
        pagesVisited += 1;
        await pageSafety(page, `version ${probe} after clicking the javascript: link`);
      } else if (expect.probe) {
        check(`version ${probe} keeps the link text "click"`, false);
      }
    }

    // Every page of the site, one by one.
    for (const rel of htmlPages(siteDir)) {
      await page.goto(fileUrl(rel), { waitUntil: 'load' });
      pagesVisited += 1;
      await pageSafety(page, rel, expectedLang(rel));
    }

    // The language switch: the same page in the other language, and back.
    if (expect.switch) {
      const sw = expect.switch;
      const follow = async (from, lang, to, shot) => {
        await page.goto(fileUrl(from), { waitUntil: 'load' });
        pagesVisited += 1;
        const link = page.locator(`.lang-switch a[hreflang="${lang}"]`);
        if (!check(`${from}: one switch to ${lang}`, (await link.count()) === 1, await link.count())) return;
        check(`${from}: the switch is visible`, await link.isVisible());
        check(`${from}: the switch's text is in ${lang}`, (await link.getAttribute('lang')) === lang);
        const head = await page.locator(`head link[rel="alternate"][hreflang="${lang}"]`).getAttribute('href');
        check(`${from}: <link hreflang="${lang}"> names the same page`, head === (await link.getAttribute('href')), head);
        await Promise.all([page.waitForURL((u) => u.href === fileUrl(to)), link.click()]);
        await page.waitForLoadState('load');
        pagesVisited += 1;
        check(`switch from ${from} lands on ${to}`, page.url() === fileUrl(to), page.url());
        const facts = await pageSafety(page, `${to} (after the switch)`, lang);
        check(`${to}: lang="${lang}" after the switch`, facts.lang === lang, facts.lang);
        if (shot) {
          screenshots[shot] = path.join(artifactDir, `site-switch-${shot}.png`);
          await page.screenshot({ path: screenshots[shot], fullPage: true });
        }
      };
      const back = expectedLang(sw.from);
      // A version page, there and back; the index likewise.
      await follow(sw.from, sw.lang, sw.to, sw.lang);
      await follow(sw.to, back, sw.from, null);
      const dir = sw.to.slice(0, sw.to.length - sw.from.length);
      await follow('index.html', sw.lang, `${dir}index.html`, `index-${sw.lang}`);
      await follow(`${dir}index.html`, back, 'index.html', null);
      // The same release: its effective date on both pages.
      const effective = sw.from.match(/\d{4}-\d{2}-\d{2}/)?.[0];
      if (effective) {
        await page.goto(fileUrl(sw.to), { waitUntil: 'load' });
        pagesVisited += 1;
        check(`${sw.to} is the release of ${effective}`, (await page.locator('main').innerText()).includes(effective));
      }
    }
    await desktop.close();

    // ---- Phone: the index at 390x844.
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    await watch(phone, 'phone');
    const mobile = await phone.newPage();
    for (const rel of ['index.html', href].filter(Boolean)) {
      await mobile.goto(fileUrl(rel), { waitUntil: 'load' });
      pagesVisited += 1;
      const widths = await mobile.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        inner: window.innerWidth,
      }));
      check(`phone: ${rel} does not scroll sideways`, widths.scroll <= widths.inner, widths);
      if (rel === 'index.html') {
        screenshots.index_phone = path.join(artifactDir, 'site-index-phone.png');
        await mobile.screenshot({ path: screenshots.index_phone });
      }
    }
    await phone.close();

    check('no dialog opened', dialogs.length === 0, dialogs);
    check('no page error', pageErrors.length === 0, pageErrors);
    check('no request left the file system', external.length === 0, external);
  } finally {
    await browser.close();
  }
}

try {
  await run();
} catch (e) {
  check('browser session ran to the end', false, String(e?.stack ?? e));
}
clearTimeout(watchdog);
finish();
