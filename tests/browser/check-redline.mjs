#!/usr/bin/env node
// Drive an HTML redline (`policydiff diff -f html`) in a real headless
// Chromium: the view switch, and the whole document read as the new text.
//
//   node check-redline.mjs REDLINE_HTML ARTIFACT_DIR EXPECT_JSON
//
// EXPECT_JSON  {"new": ["label text", …] every clause of the new version in
//               order, "removed": N clauses shown struck where they stood}
//
// Prints one JSON summary on stdout; exit 0 when every check passed, 1 when
// one failed, 2 on bad usage. Run by tests/it/site.rs.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [htmlArg, artifactArg, expectArg] = process.argv.slice(2);
if (!htmlArg || !artifactArg || !expectArg) {
  console.error('usage: node check-redline.mjs REDLINE_HTML ARTIFACT_DIR EXPECT_JSON');
  process.exit(2);
}
const expect = JSON.parse(expectArg);
const artifactDir = path.resolve(artifactArg);
mkdirSync(artifactDir, { recursive: true });
const checks = [];
const check = (name, ok, detail) => {
  checks.push({ name, ok: !!ok, detail });
  if (!ok) console.error(`FAILED: ${name}: ${JSON.stringify(detail)}`);
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
  await page.goto(pathToFileURL(path.resolve(htmlArg)).href);
  check('opens on the changes', await page.isVisible('#changes-only'), null);
  check('whole document hidden at first', !(await page.isVisible('#whole-document')), null);
  await page.click('label[for=view-whole]');
  check('switch hides the changes', !(await page.isVisible('#changes-only')), null);
  check('switch hides the clause list', !(await page.isVisible('nav.by-clause')), null);
  check('switch shows the whole document', await page.isVisible('#whole-document'), null);
  // The new text as a reader sees it with deletions ignored.
  const blocks = await page.$$eval('#whole-document > .doc', (els) =>
    els.map((el) => {
      const copy = el.cloneNode(true);
      copy.querySelectorAll('del, .tag').forEach((n) => n.remove());
      return {
        removed: el.classList.contains('removed'),
        text: copy.textContent.replace(/\s+/g, ' ').trim(),
      };
    }),
  );
  const shown = blocks.filter((b) => !b.removed).map((b) => b.text);
  const want = expect.new.map((t) => t.replace(/\s+/g, ' ').trim());
  const firstDiff = want.findIndex((t, k) => shown[k] !== t);
  check('whole document reads as the new version, in order', firstDiff < 0 && shown.length === want.length, {
    shown: shown.length,
    want: want.length,
    at: firstDiff,
    got: shown[firstDiff],
    expected: want[firstDiff],
  });
  const removed = blocks.filter((b) => b.removed).length;
  check('removed clauses stand struck where they were', removed === expect.removed, { removed });
  await page.screenshot({ path: path.join(artifactDir, 'redline-whole.png'), fullPage: false });
  await page.click('label[for=view-changes]');
  check('switching back shows the changes', await page.isVisible('#changes-only'), null);
} finally {
  await browser.close();
}
const ok = checks.every((c) => c.ok);
console.log(JSON.stringify({ ok, checks }));
process.exit(ok ? 0 : 1);
