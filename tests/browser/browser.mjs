// Shared helpers for browser tests: the real coachd (tests/e2e/lib.mjs's
// startServer) seen through Debian's Chromium driven by playwright-core, with
// a fresh profile per browser, a record of console errors and Content
// Security Policy violations, axe-core checks and screenshots.
//
// Never run `npx playwright install`: the browser is /usr/bin/chromium.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { after } from 'node:test';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, sanitizerReport, root, serverForFile } from '../e2e/lib.mjs';

export { startServer, sanitizerReport, root };

// One demo server for a browser test file: lib.mjs's serverForFile (a
// clean exit, no sanitizer report; ready(srv) runs once it listens), and
// after the file's last test no Content Security Policy violation reported
// by the browser to the server's /csp-report. The object returned is the
// server (url, db, …) once it has started.
export function demoServer(opts) {
  const srv = serverForFile(opts);
  after(() => {
    assert.doesNotMatch(srv.stderr(), /csp-report directive=/, 'the browser reported a CSP violation');
  });
  return srv;
}

// Clicks the button named name (a string matched whole, or a RegExp) and
// waits for the page it loads.
export async function submit(page, name) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name, exact: true }).click()]);
}

// Signs in through the sign-in form of the server at base as a demo
// account (password demo-pass-1) and lands on the home page.
export async function signInAs(page, base, email) {
  await page.goto(`${base}/signin`);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill('demo-pass-1');
  await submit(page, 'Sign in');
  assert.equal(new URL(page.url()).pathname, '/', `${email} signs in`);
}

// Gives a browser's context the session cookie ("coachd_session=…", from
// lib.mjs's signIn) for the server at base.
export async function addSessionCookie(context, base, cookie) {
  const [name, value] = cookie.split('=');
  await context.addCookies([{ name, value, url: base, httpOnly: true, sameSite: 'Lax' }]);
}

export const chromiumPath = process.env.COACHD_CHROMIUM || '/usr/bin/chromium';
export const screenshotDir = join(root, 'build', 'screenshots');

export const viewports = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 800 },
};

const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-quic'];

// Opens Chromium with a fresh user data dir and one page at `viewport`.
// The page's CSP stays enforced (bypassCSP is false unless asked for).
// Returns { context, page, problems, close }: problems collects console
// errors, uncaught page errors, CSP violations and failed requests.
export async function openBrowser({ viewport = viewports.desktop, mobile = false, bypassCSP = false } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'coachd-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: chromiumArgs,
      viewport,
      deviceScaleFactor: mobile ? 2 : 1,
      isMobile: mobile,
      hasTouch: mobile,
      bypassCSP,
      timeout: 30000,
    });
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(10000);
  const problems = await watch(page);
  return {
    context,
    page,
    problems,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// Collects what a clean page never shows: console errors (which include
// "Refused to ... because it violates the following Content Security Policy
// directive" and failed subresource loads), uncaught exceptions, and
// securitypolicyviolation events seen by the page.
export async function watch(page) {
  const problems = { console: [], csp: [], pageErrors: [], failedRequests: [] };
  page.on('console', (msg) => {
    const text = msg.text();
    if (/Content[- ]Security[- ]Policy/i.test(text)) problems.csp.push(text);
    if (msg.type() === 'error') problems.console.push(text);
  });
  page.on('pageerror', (err) => problems.pageErrors.push(String(err)));
  page.on('requestfailed', (rq) => problems.failedRequests.push(`${rq.url()}: ${rq.failure()?.errorText}`));
  // The DOM event too, recorded before any page script runs.
  await page.exposeBinding('__coachdCspViolation', (_src, v) => { problems.csp.push(v); });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__coachdCspViolation?.(`${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  return problems;
}

// A one-line summary of what went wrong on a page, or '' when nothing did.
export function describeProblems(p) {
  const parts = [];
  if (p.console.length) parts.push(`console errors: ${p.console.join(' | ')}`);
  if (p.csp.length) parts.push(`CSP violations: ${p.csp.join(' | ')}`);
  if (p.pageErrors.length) parts.push(`page errors: ${p.pageErrors.join(' | ')}`);
  if (p.failedRequests.length) parts.push(`failed requests: ${p.failedRequests.join(' | ')}`);
  return parts.join('; ');
}

const axePath = join(root, 'tests', 'node_modules', 'axe-core', 'axe.min.js');
let axeSource;

// Runs axe-core on the page and returns the violations of impact serious or
// critical, each as { id, impact, help, nodes: [selector...] }.
//
// Injection: page.addScriptTag({ path }) inserts an *inline* <script>, which
// coachd's CSP (script-src 'self') refuses, and the refusal itself would be a
// CSP violation on the page under test. Rather than launching with
// bypassCSP: true (which would also hide real violations), axe's source is
// evaluated through the DevTools protocol (page.evaluate), which the page's
// CSP does not govern. Pass { addScriptTag: true } on a context launched with
// bypassCSP: true to use the tag instead.
export async function axeViolations(page, { addScriptTag = false, tags } = {}) {
  const has = () => page.evaluate(() => typeof window.axe === 'object');
  if (!(await has())) {
    if (addScriptTag) {
      await page.addScriptTag({ path: axePath });
    } else {
      axeSource ??= readFileSync(axePath, 'utf8');
      await page.evaluate(axeSource);
    }
  }
  if (!(await has())) throw new Error('axe-core did not load into the page');
  const results = await page.evaluate(async (runTags) => {
    const options = { resultTypes: ['violations'] };
    if (runTags) options.runOnly = { type: 'tag', values: runTags };
    const r = await window.axe.run(document, options);
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
  }, tags || null);
  return results.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function describeViolations(vs) {
  return vs.map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.slice(0, 5).join(', ')}`).join('\n');
}

// Saves a full-page screenshot to build/screenshots/NAME.png; returns the path.
export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

// How far the page itself scrolls sideways (0 when it fits the viewport).
// Elements meant to scroll inside themselves (a wide table or chart in its
// own overflow box) do not count.
export function horizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

// The checks every page of a browser test passes: axe finds nothing serious
// or critical; unless sideways is false, the page does not scroll sideways;
// with problems (an openBrowser's), the browser saw no console error, CSP
// violation, page error or failed request. Then a full-page screenshot is
// kept as build/screenshots/SHOT.png.
export async function checkPage(page, shot, { sideways = true, problems } = {}) {
  const v = await axeViolations(page);
  assert.deepEqual(v, [], `${shot}: ${describeViolations(v)}`);
  if (sideways) assert.equal(await horizontalOverflow(page), 0, `${shot} scrolls sideways`);
  if (problems) assert.equal(describeProblems(problems), '', `${shot}: browser problems`);
  await screenshot(page, shot);
}
