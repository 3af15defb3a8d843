#!/usr/bin/env node
// lookups_browser_test.js - issue 17 in headless Chromium: every dashboard
// page shows the numbers the CLI's --json gives for the same question, in
// the one visual language, and every page is saved as a screenshot for a
// reviewer (--out: page-<name>.png).  ctest label "browser".
//
// It imports tests/data/scenarios/two-tiers (as "two") and data/default
// into a fresh store, stores and labels a run with the CLI, starts `allot
// serve`, and checks page by page:
//   leaderboard  every partner's score and tier = allot score --json, tier
//                badges in the colours of GET /api/style;
//   orders       the page reads GET .../orderbook: completions under fcfs
//                and priority, the shift, partner names and the value left
//                = allot orders --json; the CSV download = allot orders
//                --csv; the late filter; (default) every row of the first
//                page, the value left ("unknown" for an unknown unit cost,
//                "est." beside a completion on an estimated line rate), the
//                summary and the partner filter = allot orders --json; the
//                CSV download holds every order, not the page (= allot
//                orders --csv);
//   money        the dashboard's usd() = allot_style_usd's cases;
//   compare      "mean |shift|" = allot compare --json = allot diff's mean
//                absolute change (--json and text, two stored runs) = the
//                README's sentence; Poland's deliveries chart: units in the
//                horizon = the CLI order book's units left less units short;
//   quote        completion = allot quote --json;
//   minerals     stock-alone cover = allot minerals --json ("whole horizon"
//                for null);
//   metrics      LOAs and backlog (USD million) per quarter = allot metrics
//                --json; deliveries before the plan show as unknown, not 0;
//   runs         the label stored by `allot runs label`;
//   what-if      renders (its numbers are browser_test.js's).
// No console error, no uncaught exception, no request to another origin.
//
// usage: node lookups_browser_test.js --allot PATH --src DIR --out DIR
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { arg, counts, check, eq, loadPlaywright, startServer, ready: readyIn } = require('./harness');

const SCRIPT = 'lookups_browser_test.js';
const allot = arg(SCRIPT, 'allot');
const src = arg(SCRIPT, 'src');
const outDir = arg(SCRIPT, 'out');
const CHROMIUM = '/usr/bin/chromium';

function cli(args) {
  const r = spawnSync(allot, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`allot ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return r.stdout;
}
const cliJson = (args) => JSON.parse(cli(args.concat(['--json'])));
const ready = (page, name) => readyIn(page, name, 30000);

async function cells(page, table) {
  return page.$$eval(`#${table} tbody tr`, (rs) => rs.map((r) =>
    Array.from(r.children).map((c) => c.textContent.trim())));
}
/* The column headers in column order (a grouped table's last header row),
 * by their full label (data-label; the cell may show a short one). */
async function headers(page, table) {
  return page.$$eval(`#${table} thead tr:last-child th`, (ths) =>
    ths.map((t) => t.dataset.label || t.textContent.trim()));
}
/* The table at the test's 1,440-pixel window: its scrollWidth against its
 * scrolling container's clientWidth and the page's (docs/dashboard.md). */
async function fitsWidth(page, table, what) {
  const w = await page.$eval(`#${table}`, (t) => { const box = t.closest('.scroll');
    return { table: t.scrollWidth, box: box.clientWidth, boxScroll: box.scrollWidth,
      page: document.documentElement.scrollWidth, window: window.innerWidth }; });
  check(w.table <= w.box && w.boxScroll <= w.box && w.page <= w.window, `${what} reads without sideways ` +
    `scrolling at ${w.window} px: table ${w.table} px in ${w.box} px (scrolls ${w.boxScroll}), page ${w.page} px`);
}
/* The page's key figures: {label: shown value}. */
async function kpis(page) {
  return page.$$eval('.kpi', (ks) => Object.fromEntries(ks.map((k) =>
    [k.querySelector('.k').textContent, k.querySelector('.v').textContent])));
}
async function shot(page, name) {
  await page.screenshot({ path: path.join(outDir, `page-${name}.png`), fullPage: true });
}
/* "YYYY-MM" -> months since year 0 */
const monthIndexOf = (m) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
/* "#0072b2" -> "rgb(0, 114, 178)" as getComputedStyle writes it. */
function rgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${n >> 16}, ${(n >> 8) & 255}, ${n & 255})`;
}

async function main() {
  const { chromium } = loadPlaywright(src, SCRIPT);
  fs.mkdirSync(outDir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'allot-lookups-'));
  const db = path.join(tmp, 'allot.db');
  cli(['import', path.join(src, 'tests/data/scenarios/two-tiers'), '--db', db, '--scenario', 'two']);
  cli(['import', path.join(src, 'data/default'), '--db', db, '--scenario', 'default']);
  cli(['import', path.join(src, 'tests/data/scenarios/paced'), '--db', db, '--scenario', 'paced']);
  cli(['import', path.join(src, 'tests/data/scenarios/not-before'), '--db', db, '--scenario', 'notbefore']);
  cli(['import', path.join(src, 'tests/data/scenarios/estimates'), '--db', db, '--scenario', 'estimates']);
  cli(['import', path.join(src, 'tests/data/scenarios/two-tiers-estimated'), '--db', db, '--scenario', 'twoest']);
  cli(['plan', '--db', db, '--scenario', 'two', '--policy', 'fcfs']);
  cli(['runs', 'label', '1', 'fcfs baseline', '--db', db, '--scenario', 'two']);
  const D = ['--db', db, '--scenario', 'default'], T = ['--db', db, '--scenario', 'two'];
  const srv = await startServer(allot, db);
  const ctx = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(tmp, 'profile-')), {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1440, height: 900 }, acceptDownloads: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const problems = [];
  try {
    const page = ctx.pages()[0] || await ctx.newPage();
    page.on('console', (m) => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
    page.on('pageerror', (e) => problems.push('exception: ' + e.message));
    page.on('request', (r) => { if (!r.url().startsWith(srv.origin + '/')) problems.push('request elsewhere: ' + r.url()); });
    const style = await (await fetch(srv.origin + '/api/style')).json();

    /* allot runs never prints a switch for a run with none: fcfs throughout,
     * or priority with --switch none (stored as 1000-01, a code, never a
     * month to show); the API says null, and so does --json (and for no
     * label), never "". */
    {
      const E = ['--db', db, '--scenario', 'twoest'];
      cli(['plan', '--policy', 'fcfs'].concat(E));
      cli(['plan', '--policy', 'priority', '--switch', 'none'].concat(E));
      const runs = cliJson(['runs'].concat(E));
      eq(runs.map((r) => `${r.policy}:${r.switch}`).join(), 'priority:null,fcfs:null', 'allot runs: no switch for fcfs or none');
      check(runs.every((r) => r.label === null), 'allot runs --json: no label is null');
      check(!cli(['runs'].concat(E)).includes('1000-01'), 'allot runs text shows no 1000-01');
      check(!cli(['runs', 'show', String(runs[0].run)].concat(E)).includes('1000-01'), 'allot runs show: no 1000-01');
    }

    /* Leaderboard = allot score --json, tiers in the style's colours. */
    await page.goto(srv.url);
    await ready(page, 'leaderboard');
    const score = cliJson(['score'].concat(D));
    const lh = await headers(page, 'leaderboard');
    const lrows = await cells(page, 'leaderboard');
    eq(lrows.length, score.length, 'leaderboard: one row per partner');
    const byIso = {};
    for (const r of lrows) byIso[r[lh.indexOf('Partner')].split(' ').pop()] = r;
    let same = 0;
    for (const p of score) {
      const r = byIso[p.iso3];
      if (r && r[lh.indexOf('Score')] === p.score.toFixed(2) && r[lh.indexOf('Tier')] === 'tier ' + p.tier) same++;
      else check(false, `leaderboard ${p.iso3}: ${r && r[lh.indexOf('Score')]} ${r && r[lh.indexOf('Tier')]} vs CLI ${p.score} tier ${p.tier}`);
    }
    eq(same, score.length, 'leaderboard scores and tiers = allot score --json');
    for (const t of [1, 2, 3]) {
      const bg = await page.$eval(`#leaderboard .tier-${t}`, (e) => getComputedStyle(e).backgroundColor).catch(() => null);
      eq(bg, rgb(style.tier[t - 1]), `tier ${t} badge colour = /api/style`);
    }
    await shot(page, 'leaderboard');

    /* Money in the dashboard = allot_style_usd (tests/unit/test_style.c's
     * cases), from the style's one scale table. */
    const money = [[0, 'USD 0'], [400, 'USD 400'], [12345, 'USD 12,345'], [99999, 'USD 99,999'],
      [757721, 'USD 0.76 million'], [100000, 'USD 0.10 million'], [950.3e6, 'USD 950.3 million'],
      [12e9, 'USD 12.0 billion'], [1234.5e9, 'USD 1,234.5 billion'], [-2.5e6, '-USD 2.5 million'],
      [null, 'unknown']];
    for (const [v, want] of money) eq(await page.evaluate((x) => usd(x), v), want, `dashboard usd(${v})`);

    /* Orders (two-tiers) = allot orders --json, both policies on one page. */
    await page.selectOption('#scenario', 'two');
    await page.waitForSelector('#leaderboard tbody tr[data-id="AAA"]');
    const ob = cliJson(['orders'].concat(T)).orders; // the rows of the order book's object
    await page.goto(srv.origin + '/#/orders');
    await ready(page, 'orders');
    {
      const oh = await headers(page, 'orders');
      const rows = await cells(page, 'orders');
      eq(rows.length, ob.length, 'two-tiers order book: one row per order');
      for (const o of ob) {
        const r = rows.find((x) => x[0] === o.order_id);
        eq(r && r[oh.indexOf('Complete (fcfs)')], o.completion_fcfs, `${o.order_id} completion under fcfs`);
        eq(r && r[oh.indexOf('Complete (priority)')], o.completion_priority, `${o.order_id} completion under priority`);
        eq(r && r[oh.indexOf('Shift (mo)')], (o.shift_months > 0 ? '+' : '') + o.shift_months, `${o.order_id} shift`);
        eq(r && r[oh.indexOf('Wait fcfs (mo)')], String(o.wait_months_fcfs), `${o.order_id} wait under fcfs`);
        eq(r && r[oh.indexOf('Wait priority (mo)')], String(o.wait_months_priority), `${o.order_id} wait under priority`);
        eq(r && r[oh.indexOf('Value left')], await page.evaluate((v) => usd(v), o.value_left_usd), `${o.order_id} value left`);
        eq(r && r[oh.indexOf('Partner')], o.partner, `${o.order_id} partner name`);
      }
    }
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-download=csv]')]);
    const csv = fs.readFileSync(await dl.path(), 'utf8').trim().split('\n');
    eq(csv.length, ob.length + 1, 'orders CSV: header and one line per order');
    check(csv[0].startsWith('order_id,iso3,partner,system_id,system'), 'orders CSV has names beside ids: ' + csv[0]);
    eq(csv.join('\n'), cli(['orders', '--csv'].concat(T)).trim(), 'orders CSV download = allot orders --csv');
    const [dx] = await Promise.all([page.waitForEvent('download'), page.click('[data-download=xlsx]')]);
    check(fs.readFileSync(await dx.path()).subarray(0, 2).toString() === 'PK', 'orders XLSX is a workbook');
    await shot(page, 'orders');
    /* The late filter (the route's late=1): A1 is late against its need
     * month, B1 has none. */
    const lateTwo = cliJson(['orders', '--late'].concat(T)).orders.map((o) => o.order_id);
    eq(lateTwo.join(), 'A1', 'allot orders --late (two-tiers): A1');
    await page.click('#order-late');
    await page.waitForFunction(() => document.querySelector('#orders-range') &&
      document.querySelector('#orders-range').textContent === 'orders 1–1 of 1');
    await ready(page, 'orders');
    eq((await cells(page, 'orders')).map((r) => r[0]).join(), lateTwo.join(), 'order book, late = allot orders --late');

    /* An order's own constraint in the order book (its pace, its earliest
     * delivery): on scenario sc the column `label` is shown, reads the
     * row's `key` of allot orders --json (n/a where an order states none,
     * never a 0), and the CSV download keeps it as allot orders --csv
     * does. */
    const constraintColumn = async (sc, label, key) => {
      await page.selectOption('#scenario', sc);
      await page.goto(srv.origin + '/#/orders');
      await ready(page, 'orders');
      const A = ['--db', db, '--scenario', sc];
      const book = cliJson(['orders'].concat(A)).orders;
      const oh = await headers(page, 'orders');
      const rows = await cells(page, 'orders');
      check(oh.includes(label), `${sc} order book shows a ${label} column: ` + oh.join('|'));
      check(book.some((o) => o[key] !== null) && book.some((o) => o[key] === null),
        `the ${sc} fixture has orders with and without ${key}`);
      for (const o of book) {
        const r = rows.find((x) => x[0] === o.order_id);
        eq(r && r[oh.indexOf(label)], o[key] === null ? 'n/a' : String(o[key]), `${o.order_id} ${key}`);
      }
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-download=csv]')]);
      eq(fs.readFileSync(await dl.path(), 'utf8').trim(), cli(['orders', '--csv'].concat(A)).trim(),
        `${sc} order book CSV download = allot orders --csv`);
    };
    await constraintColumn('paced', 'Pace', 'max_per_month');
    await constraintColumn('notbefore', 'Not before', 'not_before');
    {
      /* JPN-1's earliest delivery, 2028-09, binds: its detail says it */
      await page.click('#orders tbody tr[data-id="JPN-1"]');
      await page.waitForFunction(() => /JPN-1/.test((document.querySelector('#order-detail h2') || {}).textContent || ''));
      const note = await page.textContent('#order-detail p.note');
      check(note.includes('earliest delivery (not_before) 2028-09'), 'order detail states not_before: ' + note);
    }
    {
      /* A year-only LOA date (loa_basis year) reads the year alone in the
       * LOA column (narrow: "YYYY (month not known)" in its tooltip) and
       * "YYYY (month not known)" in the order's note; a known month and
       * an unstated basis read the month; the download = allot orders --csv
       * with its loa_basis and unit_cost_basis (issue 15). */
      await page.selectOption('#scenario', 'estimates');
      await page.goto(srv.origin + '/#/orders');
      await ready(page, 'orders');
      const A = ['--db', db, '--scenario', 'estimates'];
      const book = cliJson(['orders'].concat(A)).orders;
      const oh = await headers(page, 'orders');
      const rows = await cells(page, 'orders');
      eq(book.map((o) => o.loa_basis).join(), 'month,year,year,', 'the estimates fixture: loa_basis month, year, year, none');
      for (const o of book) {
        const r = rows.find((x) => x[0] === o.order_id);
        const want = o.loa_basis === 'year' ? o.loa_month.slice(0, 4) : o.loa_month;
        eq(r && r[oh.indexOf('LOA')], want, `${o.order_id} LOA`);
      }
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-download=csv]')]);
      eq(fs.readFileSync(await dl.path(), 'utf8').trim(), cli(['orders', '--csv'].concat(A)).trim(),
        'estimates order book CSV download = allot orders --csv');
      await page.click('#orders tbody tr[data-id="JPN-1"]');
      await page.waitForFunction(() => /JPN-1/.test((document.querySelector('#order-detail h2') || {}).textContent || ''));
      const note = await page.textContent('#order-detail p.note');
      check(note.startsWith('LOA 2023 (month not known)'), 'order detail labels a year-only LOA: ' + note);
    }

    /* Compare (default) = allot compare --json and allot diff. */
    await page.selectOption('#scenario', 'default');
    await page.goto(srv.origin + '/#/compare');
    await ready(page, 'compare');
    const cmp = cliJson(['compare'].concat(D));
    const kpi = await kpis(page);
    eq(kpi['mean |shift|'], cmp.all.mean_abs_shift_months.toFixed(1) + ' months', 'mean |shift| = allot compare --json');
    /* One mean shift (issue 17): allot diff of the two stored plans, its
     * text, and the README's sentence all say the comparison page's figure. */
    const runF = cliJson(['plan', '--policy', 'fcfs'].concat(D)).run_id;
    const runP = cliJson(['plan', '--policy', 'priority'].concat(D)).run_id;
    const dj = cliJson(['diff', String(runF), String(runP)].concat(['--db', db]));
    eq(dj.stability.mean_abs_change_months.toFixed(1), cmp.all.mean_abs_shift_months.toFixed(1),
      'allot diff --json mean absolute change = the comparison page');
    const dtext = cli(['diff', String(runF), String(runP), '--db', db]);
    const dm = /mean absolute change\s+([\d.]+) months/.exec(dtext);
    eq(dm && dm[1], cmp.all.mean_abs_shift_months.toFixed(1), 'allot diff text = the comparison page');
    const rm = /mean absolute change ([\d.]+) months/.exec(fs.readFileSync(path.join(src, 'README.md'), 'utf8'));
    eq(rm && rm[1], cmp.all.mean_abs_shift_months.toFixed(1), 'README\'s mean absolute change = the comparison page');
    const pol = cliJson(['orders', '--partner', 'POL'].concat(D)).orders;
    const want = { fcfs: 0, priority: 0 };
    for (const o of pol) { want.fcfs += o.left - o.units_short_fcfs; want.priority += o.left - o.units_short_priority; }
    const series = await page.evaluate(() => {
      const c = Chart.getChart(document.querySelector('#deliveries canvas'));
      return c.data.datasets.map((d) => d.data[d.data.length - 1]);
    });
    eq(series[0], want.fcfs, 'Poland: units delivered in the horizon, fcfs = orders --json');
    eq(series[1], want.priority, 'Poland: units delivered in the horizon, priority = orders --json');
    check((await page.textContent('#deliveries h2')).includes('Poland'), 'the deliveries chart follows Poland by default');
    await shot(page, 'compare');

    /* The order book (default) shows 100 orders a page of GET .../orderbook,
     * the object of allot orders --json: its summary, every row of the
     * page (an unknown value left reads "unknown", a completion on an
     * estimated line rate carries "est."), the partner and late filters;
     * its downloads hold every matching order (issue 17). */
    await page.goto(srv.origin + '/#/orders');
    await ready(page, 'orders');
    const book = cliJson(['orders'].concat(D));
    const hm = monthIndexOf(book.horizon_end) - 1;
    const after = `after ${Math.floor(hm / 12)}-${String((hm % 12) + 1).padStart(2, '0')}`;
    const okpi = await kpis(page);
    eq(okpi['orders'], book.matching_orders.toLocaleString('en-US'), 'order book orders = allot orders --json');
    eq(okpi['units left'], book.units_left.toLocaleString('en-US'), 'order book units left = allot orders --json');
    const nUnknown = book.value_left_usd_unknown_cost_orders, uUnknown = book.value_left_usd_unknown_cost_units;
    check(uUnknown > 0, 'the bundled order book holds units of unknown cost');
    eq(okpi['value left'], `>= ${await page.evaluate((v) => usd(v), book.value_left_usd)} (+${nUnknown} order${nUnknown === 1 ? '' : 's'}, ` +
      `${uUnknown.toLocaleString('en-US')} unit${uUnknown === 1 ? '' : 's'} of unknown cost)`, 'order book value left = allot orders --json');
    eq(okpi['complete (fcfs)'], String(book.complete_fcfs), 'order book complete under fcfs = allot orders --json');
    eq(okpi['complete (priority)'], String(book.complete_priority), 'order book complete under priority = allot orders --json');
    /* Row by row: the shown cells against the CLI's figures. */
    const bookRows = async (want, what) => {
      const oh = await headers(page, 'orders');
      const rows = await cells(page, 'orders');
      const col = (l) => { const i = oh.indexOf(l); check(i >= 0, `order book column ${l}`); return i; };
      const [cf, cp, sh, vl] = ['Complete (fcfs)', 'Complete (priority)', 'Shift (mo)', 'Value left'].map(col);
      const done = (m, o) => (m === null ? after : m + (o.rate_basis === 'estimate' ? ' est.' : ''));
      let same = 0, unknown = 0, est = 0;
      for (const r of rows) {
        const o = want.find((x) => x.order_id === r[0]);
        if (!o) { check(false, `${what}: ${r[0]} is not in allot orders --json`); continue; }
        const v = o.value_left_usd === null ? 'unknown' : await page.evaluate((x) => usd(x), o.value_left_usd);
        const s = o.shift_months === null ? 'n/a' : (o.shift_months > 0 ? '+' : '') + o.shift_months;
        if (r[cf] === done(o.completion_fcfs, o) && r[cp] === done(o.completion_priority, o) && r[sh] === s && r[vl] === v) same++;
        else check(false, `${what} ${o.order_id}: shown ${r[cf]} | ${r[cp]} | ${r[sh]} | ${r[vl]}, CLI ${done(o.completion_fcfs, o)} | ${done(o.completion_priority, o)} | ${s} | ${v}`);
        unknown += r[vl] === 'unknown' ? 1 : 0;
        est += / est\.$/.test(r[cp]) ? 1 : 0;
      }
      eq(same, rows.length, `${what}: every shown row = allot orders --json`);
      return { rows, unknown, est };
    };
    const first = await bookRows(book.orders, 'order book page 1');
    await fitsWidth(page, 'orders', 'order book page 1');
    eq(first.rows.length, 100, 'order book: 100 orders a page');
    check(first.unknown > 0 && first.est > 0, `order book page 1: ${first.unknown} unknown values left, ${first.est} estimated line rates`);
    const unk = book.orders.slice(0, 100).find((o) => o.value_left_usd === null);
    eq(first.rows.find((r) => r[0] === unk.order_id)[(await headers(page, 'orders')).indexOf('Value left')], 'unknown',
      `${unk.order_id}: unknown value left (allot orders --json null)`);
    const shownRows = first.rows.length;
    const [dall] = await Promise.all([page.waitForEvent('download'), page.click('[data-download=csv]')]);
    const all = fs.readFileSync(await dall.path(), 'utf8').trim().split('\n');
    eq(all.length - 1, book.total_orders, `order book CSV: every order (${all.length - 1}), not the ${shownRows} shown`);
    eq(all.join('\n'), cli(['orders', '--csv'].concat(D)).trim(), 'order book CSV download = allot orders --csv');
    check(shownRows < book.total_orders, `the order book is paged (${shownRows} of ${book.total_orders} shown)`);
    /* The partner filter (the route's partner=). */
    const esp = cliJson(['orders', '--partner', 'ESP'].concat(D));
    await page.selectOption('#order-partner', 'ESP');
    await page.waitForFunction((n) => document.querySelector('#orders-range') &&
      document.querySelector('#orders-range').textContent === `orders 1–${n} of ${n}`, esp.matching_orders);
    await ready(page, 'orders');
    const espRows = await bookRows(esp.orders, 'order book, Spain');
    eq(espRows.rows.length, esp.matching_orders, 'order book, Spain: one row per order of allot orders --partner ESP');
    await fitsWidth(page, 'orders', 'order book, Spain');
    /* An optional column group hidden from the page (hide= in the URL)
     * stays in the download. */
    await page.click('#order-columns [data-col=late]');
    await page.waitForFunction(() => location.hash.includes('hide=late'));
    await ready(page, 'orders');
    const hid = await headers(page, 'orders');
    check(!hid.includes('Late fcfs (mo)') && !hid.includes('Late priority (mo)') && hid.includes('Wait fcfs (mo)'),
      'order book: the late columns hidden, the others shown: ' + hid.join('|'));
    eq((await bookRows(esp.orders, 'order book, Spain, late hidden')).rows.length, esp.matching_orders,
      'order book, Spain, late hidden: every order');
    const [dh] = await Promise.all([page.waitForEvent('download'), page.click('[data-download=csv]')]);
    eq(fs.readFileSync(await dh.path(), 'utf8').trim(), cli(['orders', '--csv', '--partner', 'ESP'].concat(D)).trim(),
      'order book CSV with columns hidden = allot orders --csv --partner ESP');
    await shot(page, 'orders-default');

    /* Minerals = allot minerals --json (stock alone). */
    await page.goto(srv.origin + '/#/minerals');
    await ready(page, 'minerals');
    const mi = cliJson(['minerals'].concat(D));
    const api = await (await fetch(srv.origin + '/api/scenarios/default/minerals?policy=priority')).json();
    const mh = await headers(page, 'minerals');
    const col = mh.indexOf(api.cases[0].label);
    const mrows = await cells(page, 'minerals');
    eq(mi.cases[0].key, 'stock_alone', 'allot minerals --json: the first case is the stock alone');
    for (const m of mi.minerals) {
      const r = mrows.find((x) => x[0] === m.name);
      const c = m.cover_months[0];
      eq(r && r[col], c === null ? 'whole horizon' : String(c), `${m.mineral_id} cover (stock alone)`);
    }
    await shot(page, 'minerals');

    /* Metrics = allot metrics --json (every tier). */
    await page.goto(srv.origin + '/#/metrics');
    await ready(page, 'metrics');
    const me = cliJson(['metrics', '--tier', 'all'].concat(D)).filter((q) => q.tier === 'all');
    const qh = await headers(page, 'metrics');
    const qrows = await cells(page, 'metrics');
    let checked = 0, lowerBounds = 0;
    for (const r of qrows) {
      const q = me.find((x) => x.quarter === r[0]);
      if (!q) { check(false, 'metrics quarter unknown to the CLI: ' + r[0]); continue; }
      eq(r[qh.indexOf('LOAs')], String(q.loas), `${q.quarter} LOAs`);
      /* known unit costs: ">= " when units of unknown cost are left out */
      const lb = q.backlog_value_usd_unknown_cost_units > 0;
      lowerBounds += lb ? 1 : 0;
      eq(r[qh.indexOf('Backlog (USD million)')], q.backlog_value_usd === null ? 'unknown' : (lb ? '>= ' : '') + (q.backlog_value_usd / 1e6).toFixed(1), `${q.quarter} backlog`);
      if (q.units_delivered === null) eq(r[qh.indexOf('Delivered (units)')], 'unknown', `${q.quarter}: undated deliveries are unknown`);
      eq(r[qh.indexOf('Open cases')], q.open_cases === null ? 'unknown' : String(q.open_cases), `${q.quarter} open cases`);
      checked++;
    }
    check(checked > 20, `metrics: ${checked} quarters checked`);
    /* The bundled backlog holds units of unknown cost: the table marks
     * those quarters, the chart's legend says the series is a lower bound
     * and its tooltip reads ">= USD ... (+N units of unknown cost)". */
    check(lowerBounds > 0, `metrics: quarters whose backlog is a lower bound (${lowerBounds})`);
    const mc = await page.evaluate(() => {
      const c = Chart.getChart(document.querySelector('main canvas'));
      const set = c.data.datasets[1], i = set.data.findIndex((v) => v !== null);
      return { label: set.label, tip: c.options.plugins.tooltip.callbacks.label({ dataset: set, dataIndex: i, raw: set.data[i] }) };
    });
    check(/a lower bound \(>=\) where units of unknown cost are left out/.test(mc.label) &&
      /^backlog at quarter end: >= USD [\d.,]+ (billion|million) \(\+[\d,]+ units? of unknown cost\)$/.test(mc.tip),
      `metrics chart: the backlog is a lower bound (${mc.label}; ${mc.tip})`);
    await shot(page, 'metrics');

    /* The quote page's answer for 5 units for AAA on scenario sc. */
    const quoteAAA = async (sc) => {
      await page.selectOption('#scenario', sc);
      await page.goto(srv.origin + '/#/quote');
      await ready(page, 'quote');
      await page.selectOption('#quote-form select[name=iso3]', 'AAA');
      await page.fill('#quote-form input[name=qty]', '5');
      await page.click('#quote-form button[type=submit]');
      await page.waitForSelector('#quote-impacts');
    };
    /* Quote (two-tiers) = allot quote --json. */
    await quoteAAA('two');
    const qt = cliJson(['quote', 'Strongland', 'S', '5'].concat(T));
    eq(await page.$eval('#quote-result .kpi:nth-child(2) .v', (e) => e.textContent), qt.completion, 'quote completion = allot quote --json');
    await shot(page, 'quote');

    /* On an estimated line rate (two-tiers-estimated) every month the quote
     * shows says so: first delivery, completion, the moved orders' months. */
    await quoteAAA('twoest');
    {
      const qe = cliJson(['quote', 'AAA', 'S', '5', '--db', db, '--scenario', 'twoest']);
      eq(qe.rate_basis, 'estimate', 'the estimated fixture quotes on an estimated rate');
      const kv = await page.$$eval('#quote-result .kpi .v', (v) => v.map((e) => e.textContent));
      eq(kv[0], qe.first_delivery + ' (estimated line rate)', 'quote first delivery marked');
      eq(kv[1], qe.completion + ' (estimated line rate)', 'quote completion marked');
      const im = await page.$$eval('#quote-impacts tbody tr td', (t) => t.map((x) => x.textContent));
      eq(im[0], qe.impacts[0].order_id, 'the moved order');
      eq(im[3], qe.impacts[0].completion_after + ' est.', 'the moved order\'s new completion marked');
    }
    await page.selectOption('#scenario', 'two'); /* the runs below are two's */

    /* Runs: the label stored with the CLI. */
    await page.goto(srv.origin + '/#/runs');
    await ready(page, 'runs');
    const rh = await headers(page, 'runs');
    eq((await cells(page, 'runs'))[0][rh.indexOf('Label')], 'fcfs baseline', 'the run label from allot runs label');
    await shot(page, 'runs');

    await page.goto(srv.origin + '/#/whatif');
    await ready(page, 'whatif');
    await shot(page, 'whatif');
  } finally {
    await ctx.close();
    srv.proc.kill('SIGTERM');
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  for (const p of problems) check(false, p);
  console.log(`${counts.passed} passed, ${counts.failed} failed`);
  process.exit(counts.failed ? 1 : 0);
}

main().catch((e) => {
  console.error('lookups_browser_test: ' + (e.stack || e));
  process.exit(1);
});
