/*
 * app.js - the allot dashboard (docs/dashboard.md).  Plain JavaScript, no
 * build step: one page, a hash router, and one render function per page
 * over the JSON API (docs/api.md).  Charts use Chart.js, served by the
 * binary at /chart.js (the same file `allot report` embeds).
 *
 * Safety: every value from the API goes into the page as text (textContent,
 * never innerHTML); the access token comes from the URL fragment printed by
 * `allot serve`, is kept in sessionStorage, removed from the address bar
 * and sent only with POST requests to this same origin.
 */
'use strict';

const state = {
  scenario: null,
  policy: 'priority',
  info: null,       /* GET /api/scenarios/{name} */
  charts: [],
  token: null,
  gen: 0,           /* visits to a page, so a stale one cannot finish a new one */
  style: null,      /* GET /api/style: the one visual language (lib/style.c) */
};

/* ---------------------------------------------------------------- DOM */

function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'style') Object.assign(el.style, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const kid of kids.flat()) {
    if (kid === null || kid === undefined || kid === false) continue;
    el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  return el;
}

const $ = (sel) => document.querySelector(sel);

function showError(msg) {
  const e = $('#error');
  e.textContent = msg;
  e.hidden = !msg;
}

/* ---------------------------------------------------------------- formats */

/* Formats and symbols as everywhere else (lib/style.c, docs/report.md): a
 * missing value is "unknown", a month past the horizon "after YYYY-MM". */
let UNKNOWN = 'unknown', NA = 'n/a'; /* replaced by the style's symbols */
/* The style's words (GET /api/style symbols), so the CLI, the report and
 * the dashboard say the same thing. */
const WHOLE_HORIZON = () => (state.style ? state.style.symbols.whole_horizon : 'whole horizon');
const fmtInt = new Intl.NumberFormat('en-US');
const grp = (x, d) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const n0 = (v) => (v === null || v === undefined ? UNKNOWN : fmtInt.format(v));
/* allot_style_usd, by the style's own scale table (GET /api/style "usd"):
 * "USD 12.0 billion", "USD 0.76 million", "USD 12,345". */
function usd(v) {
  if (v === null || v === undefined || !isFinite(v)) return UNKNOWN;
  const a = Math.abs(v), sign = v < 0 ? '-' : '';
  if (a === 0) return 'USD 0';
  const s = state.style.usd.find((x) => a >= x.from);
  return `${sign}USD ${grp(Math.min(a / s.div, 1e12), s.decimals)}${s.unit ? ' ' + s.unit : ''}`;
}
/* allot_style_usd_sum: a USD sum o[key] with its units of unknown cost beside
 * it (o[key + '_unknown_cost_orders'/'_units']) as a lower bound, never 0. */
function usdSum(o, key) {
  const n = o[key + '_unknown_cost_orders'] || 0, u = o[key + '_unknown_cost_units'] || 0;
  if (!u) return usd(o[key]);
  const what = (n ? `${n0(n)} order${n === 1 ? '' : 's'}, ` : '') +
    `${n0(u)} unit${u === 1 ? '' : 's'} of unknown cost`;
  return o[key] === null ? `${UNKNOWN} (${what})` : `>= ${usd(o[key])} (+${what})`;
}
const f2 = (v) => (v === null || v === undefined ? UNKNOWN : Number(v).toFixed(2));
const f1 = (v) => (v === null || v === undefined ? UNKNOWN : Number(v).toFixed(1));
const mon = (m) => m || UNKNOWN;
/* A completion month: "after <last month>" when not within the horizon. */
const doneText = (m) => m || 'after ' + (state.info ? lastMonth() : 'the horizon');
function lastMonth() {
  const m = monthIndex(state.info.as_of) + state.info.horizon_months - 1;
  return `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
}
const tierColor = (t) => (state.style ? state.style.tier[(t - 1) % state.style.tier.length] : '#888');
const policyColor = (p) => (state.style ? state.style.policy[p] : '#888');

function monthIndex(m) { /* "YYYY-MM" -> months since year 0 */
  if (!m) return null;
  return Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
}

/* compact: the number alone (as allot orders prints it), "tier N" in the tooltip. */
function tierBadge(t, compact) {
  return h('span', { class: `tier tier-${t}${compact ? ' compact' : ''}`, text: compact ? String(t) : `tier ${t}`,
    title: compact ? `tier ${t}` : null });
}

/* A signed change, green when it is good: less waiting (or, with
 * moreIsBetter, more units). */
function delta(v, unit, moreIsBetter) {
  /* a missing change is missing ("n/a": none measured), never 0 */
  if (v === null || v === undefined) return h('span', { class: 'muted', text: NA });
  if (v === 0) return h('span', { class: 'muted', text: '0' });
  const s = (v > 0 ? '+' : '') + (Number.isInteger(v) ? fmtInt.format(v) : v.toFixed(Math.abs(v) < 0.1 ? 2 : 1)) + (unit || '');
  return h('span', { class: (v < 0) !== !!moreIsBetter ? 'gain' : 'wait', text: s });
}

/* ---------------------------------------------------------------- API */

async function api(path, opts) {
  const o = { method: 'GET', headers: {} };
  if (opts && opts.body !== undefined) {
    o.method = 'POST';
    o.headers['Content-Type'] = 'application/json';
    if (state.token) o.headers['Authorization'] = 'Bearer ' + state.token;
    o.body = JSON.stringify(opts.body);
  }
  const r = await fetch(path, o);
  let j = null;
  try { j = await r.json(); } catch (e) { /* not JSON */ }
  if (!r.ok) {
    const msg = (j && j.error) || `${r.status} ${r.statusText}`;
    throw new Error(r.status === 401
      ? msg + ' — open the URL printed by allot serve (it carries the token)'
      : msg);
  }
  return j;
}

const sc = () => '/api/scenarios/' + encodeURIComponent(state.scenario);

/* List answers come in pages (docs/api.md: ?limit= up to 1000, with
 * page.total).  A page that does not hold the whole list says so. */
const PAGE_MAX = 1000;
function partial(page, shown, what) {
  return page && page.total > shown
    ? h('p', { class: 'note', text: `Showing ${n0(shown)} of ${n0(page.total)} ${what} (the API's page limit).` })
    : '';
}
const pol = () => 'policy=' + encodeURIComponent(state.policy);

/* ---------------------------------------------------------------- charts */

function chart(canvas, config) {
  if (typeof Chart === 'undefined') return null; /* charts are optional */
  config.options = Object.assign({ responsive: true, maintainAspectRatio: false,
    animation: false }, config.options || {});
  const c = new Chart(canvas, config);
  state.charts.push(c);
  return c;
}

function dropCharts() {
  for (const c of state.charts) c.destroy();
  state.charts = [];
}

/* Criterion colours by name (lib/style.c). */
const critColor = (c) => (state.style ? state.style.criterion[c] : '#888');

/* The style's colours as CSS variables (tier badges, criterion bars). */
function applyStyle() {
  const root = document.documentElement.style;
  state.style.tier.forEach((c, k) => root.setProperty(`--tier${k + 1}`, c));
  ['investment', 'growth', 'geography', 'operations', 'economic'].forEach((c, k) =>
    root.setProperty(`--c${k}`, state.style.criterion[c]));
}

/* ---------------------------------------------------------------- tables */

/* A sortable table: cols = [{key, label, num, render(row), sort(row)}]. */
function table(cols, rows, opts) {
  opts = opts || {};
  let sortKey = opts.sortKey || null, asc = opts.asc !== undefined ? opts.asc : true;
  const tbody = h('tbody');
  const all = cols;
  cols = cols.filter((c) => c.show !== false); /* show: false: in the downloads only */
  /* A header shows c.short when given (under its c.group), keeps the full
   * c.label in data-label and explains itself in c.title (a tooltip). */
  const heads = cols.map((c) => h('th', {
    class: (c.num ? 'num ' : '') + (c.sort !== false ? 'sortable' : ''),
    text: c.head ? null : c.short || c.label, 'data-key': c.key, 'data-label': c.label,
    title: c.title || null,
    onclick: c.sort === false ? null : () => {
      asc = sortKey === c.key ? !asc : !c.num;
      sortKey = c.key;
      draw();
    },
  }, c.head ? [c.short || c.label, c.head] : []));
  /* Columns with a c.group (fcfs | priority pairs) share one header above
   * them; the others leave that row empty. */
  const groups = [];
  for (const c of cols) {
    const g = groups[groups.length - 1];
    if (c.group && g && g.name === c.group) g.span++;
    else groups.push({ name: c.group || null, span: 1, title: c.groupTitle || null });
  }
  const groupRow = cols.some((c) => c.group) ? h('tr', { class: 'groups' }, groups.map((g) =>
    h('th', { colspan: g.span > 1 ? g.span : null, class: g.name ? 'group' : null, text: g.name || '',
      title: g.title }))) : null;
  function value(c, r) {
    return c.sort ? c.sort(r) : r[c.key];
  }
  function draw() {
    let rs = rows.slice();
    const c = cols.find((x) => x.key === sortKey);
    if (c) {
      rs.sort((a, b) => {
        const x = value(c, a), y = value(c, b);
        if (x === y) return 0;
        if (x === null || x === undefined) return 1;
        if (y === null || y === undefined) return -1;
        return (x < y ? -1 : 1) * (asc ? 1 : -1);
      });
    }
    heads.forEach((th) => {
      th.classList.toggle('sorted', th.dataset.key === sortKey);
      th.classList.toggle('asc', th.dataset.key === sortKey && asc);
    });
    tbody.replaceChildren(...rs.map((r) => {
      const tr = h('tr', { class: opts.onRow ? 'clickable' : null,
        onclick: opts.onRow ? () => opts.onRow(r, tr) : null, 'data-id': opts.id ? opts.id(r) : null },
      cols.map((col) => {
        const v = col.render ? col.render(r) : r[col.key];
        return h('td', { class: col.num ? 'num' : null }, v === null || v === undefined ? UNKNOWN : v);
      }));
      return tr;
    }));
  }
  draw();
  const t = h('table', { class: [opts.class, groupRow && 'grouped'].filter(Boolean).join(' ') || null,
    id: opts.tableId || null },
    h('thead', {}, groupRow, h('tr', {}, heads)), tbody);
  return opts.noDownload ? t : h('div', {}, downloads(all, opts.allRows || (() => rows), opts.tableId || 'table'), t);
}

/* Every table downloads as CSV (in the page) and XLSX (POST /api/xlsx):
 * the raw values of each column (cell.csv, else the row's own field), with
 * a name column beside ids where the page shows one.  A paged table
 * downloads every matching row, not only the page shown (opts.allRows). */
function exportRows(cols, rows) {
  const cs = cols.filter((c) => c.csv !== false);
  const cell = (c, r) => {
    const v = c.csv ? c.csv(r) : r[c.key];
    return v === null || v === undefined ? '' : (typeof v === 'object' ? JSON.stringify(v) : v);
  };
  return { columns: cs.map((c) => c.key), numeric: cs.map((c) => !!c.num),
    rows: rows.map((r) => cs.map((c) => cell(c, r))) };
}
function csvText(t) {
  const q = (v) => { const x = String(v); return /[",\n\r]/.test(x) ? '"' + x.replace(/"/g, '""') + '"' : x; };
  return [t.columns, ...t.rows].map((r) => r.map(q).join(',')).join('\n') + '\n';
}
function save(blob, name) {
  const a = h('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
function downloads(cols, getRows, id) {
  const base = `${state.scenario}-${id}`;
  return h('div', { class: 'downloads' },
    h('button', { type: 'button', class: 'secondary small', 'data-download': 'csv', text: 'CSV',
      onclick: async () => {
        try {
          save(new Blob([csvText(exportRows(cols, await getRows()))], { type: 'text/csv' }), base + '.csv');
        } catch (e) { showError('CSV: ' + e.message); }
      } }),
    h('button', { type: 'button', class: 'secondary small', 'data-download': 'xlsx', text: 'XLSX',
      onclick: async () => {
        try {
          const t = exportRows(cols, await getRows());
          const r = await fetch('/api/xlsx', { method: 'POST', headers: { 'Content-Type': 'application/json',
            Authorization: 'Bearer ' + (state.token || '') },
          body: JSON.stringify({ sheets: [Object.assign({ name: id.slice(0, 31) }, t)] }) });
          if (!r.ok) throw new Error((await r.json()).error || r.statusText);
          save(await r.blob(), base + '.xlsx');
        } catch (e) { showError('XLSX: ' + e.message); }
      } }));
}

function kpis(items) {
  return h('div', { class: 'kpis' }, items.map(([k, v]) =>
    h('div', { class: 'kpi' }, h('div', { class: 'v', text: v }), h('div', { class: 'k', text: k }))));
}

/* ---------------------------------------------------------------- pages */

async function pageLeaderboard(main) {
  const d = await api(sc() + '/partners?limit=' + PAGE_MAX);
  const crit = d.criteria;
  main.append(
    h('h1', { text: 'Partner leaderboard' }),
    h('p', { class: 'lead', text: 'Each partner\'s score under the scenario\'s policy: the bar shows ' +
      'the points each criterion contributes (out of 100), less end-use penalties. Tier 1 is served ' +
      'first under the priority rule. Click a column to sort.' }),
    h('div', { class: 'legend' }, crit.map((c, i) =>
      h('span', {}, h('i', { class: `crit-${i}` }), c))));
  const rows = d.partners;
  const cols = [
    { key: 'rank', label: '#', num: true },
    { key: 'name', label: 'Partner', render: (r) => h('span', {}, r.name, ' ',
      h('span', { class: 'pill', text: r.iso3 })) },
    { key: 'region', label: 'Region' },
    { key: 'tier', label: 'Tier', render: (r) => tierBadge(r.tier) },
    { key: 'score', label: 'Score', num: true, render: (r) => f2(r.score) },
    { key: 'bars', label: 'Criterion points', sort: (r) => r.score, render: (r) =>
      h('div', { class: 'bars', title: crit.map((c) => `${c} ${f2(r.criteria[c].points)}`).join(', ') },
        crit.map((c, i) => h('span', { class: `crit-${i}`,
          style: { width: Math.max(0, r.criteria[c].points) + '%' } }))) },
    ...crit.map((c) => ({ key: c, label: c, num: true, sort: (r) => r.criteria[c].points,
      render: (r) => f2(r.criteria[c].points) })),
    { key: 'penalty', label: 'Penalty', num: true, render: (r) => (r.penalty ? '−' + f2(r.penalty) : '') },
  ];
  for (const c of cols) if (crit.includes(c.key)) c.csv = (r) => r.criteria[c.key].points;
  cols[5].csv = false;
  main.append(partial(d.page, rows.length, 'partners'), h('div', { class: 'card scroll' },
    table(cols, rows, { tableId: 'leaderboard', id: (r) => r.iso3 })));
  const top = rows.slice(0, 20);
  const canvas = h('canvas');
  main.append(h('div', { class: 'card' }, h('h2', { text: 'Top 20: points by criterion' }),
    h('div', { class: 'chart' }, canvas)));
  chart(canvas, {
    type: 'bar',
    data: { labels: top.map((r) => r.name), datasets: crit.map((c) => ({
      label: c, data: top.map((r) => r.criteria[c].points), backgroundColor: critColor(c) })) },
    options: { scales: { x: { stacked: true, title: { display: true, text: 'partner' } },
      y: { stacked: true, max: 100, title: { display: true, text: 'score points (0-100)' } } } },
  });
}

/* A bar from max(LOA, as_of) to completion on a [start, end) month scale. */
function timeline(o, start, end, cls) {
  const span = Math.max(1, end - start);
  const pos = (m) => Math.min(100, Math.max(0, (100 * (m - start)) / span));
  const from = Math.max(monthIndex(o.loa_month), start);
  const first = monthIndex(o.first_delivery), done = monthIndex(o.completion);
  const kids = [h('span', { class: 'wait', style: { left: pos(from) + '%',
    width: (pos(done === null ? end : done) - pos(from)) + '%' } })];
  if (first !== null) {
    kids.push(h('span', { class: 'deliv ' + (cls || ''), style: { left: pos(first) + '%',
      width: Math.max(1, pos((done === null ? end : done) + 1) - pos(first)) + '%' } }));
  }
  if (done === null && (o.units_short > 0 || o.blocked > 0)) {
    kids.push(h('span', { class: 'open', style: { left: pos(first === null ? from : end - 1) + '%',
      width: Math.max(1, 100 - pos(first === null ? from : end - 1)) + '%' } }));
  }
  if (o.need_month) kids.push(h('span', { class: 'need', style: { left: pos(monthIndex(o.need_month)) + '%' } }));
  const title = `LOA ${loaText(o)} · first ${o.first_delivery || 'after the horizon'} · complete ${doneText(o.completion)}` +
    (o.need_month ? ` · need ${o.need_month}` : '');
  return h('div', { class: 'timeline', title }, kids);
}

/* The date axis over the timeline column: a tick each 1, 2, 5 or 10 years,
 * at most four ticks, so the labels stay apart over the narrow column. */
function timeAxis(start, end) {
  const span = Math.max(1, end - start), years = Math.ceil(span / 12);
  const step = [1, 2, 5, 10].find((s) => years / s <= 4) || 10, ticks = [];
  for (let y = Math.ceil(start / 12); y * 12 < end; y += step) {
    ticks.push(h('span', { style: { left: (100 * (y * 12 - start)) / span + '%' }, text: String(y) }));
  }
  return h('div', { class: 'time-axis' }, ticks);
}

/* The order book: GET .../orderbook, the object of `allot orders --json`
 * (both policies per order, docs/answers.md), 100 orders a page.  The hash
 * holds the route's filters (iso3 is its partner; tier, system, line,
 * region, late, switch as the route takes them) and the page's offset. */
async function pageOrders(main, params) {
  const q = new URLSearchParams();
  if (params.get('iso3')) q.set('partner', params.get('iso3'));
  for (const k of ['switch', 'system', 'line', 'tier', 'region', 'late'])
    if (params.get(k)) q.set(k, params.get(k));
  const size = 100, offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);
  q.set('limit', size);
  q.set('offset', offset);
  const d = await api(sc() + '/orderbook?' + q);
  const start = monthIndex(d.as_of), end = monthIndex(d.horizon_end);
  const policy = state.policy;
  main.append(h('h1', { text: 'Order book' }),
    h('p', { class: 'lead', text: 'Every order and its completion under fcfs and under priority' +
      (d.switch_month ? ` (fcfs before ${d.switch_month})` : '') + `, ${d.as_of} to ${lastMonth()}, ` +
      'as allot orders gives them. Shift: priority minus fcfs completion in months (green: earlier). ' +
      '"after" a month: not complete within the horizon; "est.": the line rate is an estimate. ' +
      `Timeline under ${policy} (years on its axis; it ends with the horizon): grey = waiting since the ` +
      'LOA (or as_of), blue = deliveries from the first to the last, hatched red = still short at the ' +
      'horizon, black tick = need month.' }),
    kpis([['orders', n0(d.matching_orders) + (d.matching_orders === d.total_orders ? '' : ` of ${n0(d.total_orders)}`)],
      ['units left', n0(d.units_left)], ['value left', usdSum(d, 'value_left_usd')],
      ['complete (fcfs)', n0(d.complete_fcfs)], ['complete (priority)', n0(d.complete_priority)],
      ['earlier / later (priority)', `${n0(d.earlier)} / ${n0(d.later)}`]]));
  /* A filter change keeps the others and goes back to the first page. */
  const filter = (k, v) => {
    const p = new URLSearchParams(params);
    p.delete('offset');
    if (v) p.set(k, v); else p.delete(k);
    location.hash = '#/orders' + (p.toString() ? '?' + p : '');
  };
  const partners = state.info.partners;
  const sel = h('select', { id: 'order-partner', onchange: () => filter('iso3', sel.value) },
    h('option', { value: '', text: 'every partner' }),
    partners.map((p) => h('option', { value: p.iso3, text: `${p.name} (${p.iso3})`,
      selected: p.iso3 === params.get('iso3') })));
  const late = h('input', { type: 'checkbox', id: 'order-late', checked: params.get('late') === '1',
    onchange: () => filter('late', late.checked ? '1' : '') });
  /* Optional columns: every one shown unless the URL's hide= names it
   * (#/orders?hide=late,wait); the downloads keep every column. */
  const OPTIONAL = [['qty', 'Qty'], ['need', 'Need'], ['late', 'Late'], ['short', 'Short'], ['wait', 'Wait'],
    ['value', 'Value left'], ['rate', 'Rate'], ['pace', 'Pace'],
    ['notbefore', 'Not before'], ['timeline', 'Timeline']];
  const hidden = new Set((params.get('hide') || '').split(',').filter((k) => OPTIONAL.some(([x]) => x === k)));
  const setHidden = (k, off) => {
    const p = new URLSearchParams(params);
    if (off) hidden.add(k); else hidden.delete(k);
    const v = OPTIONAL.map(([x]) => x).filter((x) => hidden.has(x)).join(',');
    if (v) p.set('hide', v); else p.delete('hide');
    location.hash = '#/orders' + (p.toString() ? '?' + p : '');
  };
  main.append(h('div', { class: 'row' }, h('label', { class: 'f' }, 'Partner', sel),
    h('label', { class: 'f' }, late, 'late under either policy'),
    h('fieldset', { class: 'f cols', id: 'order-columns' }, h('legend', { text: 'Columns' }),
      OPTIONAL.map(([k, label]) => h('label', {}, h('input', { type: 'checkbox', 'data-col': k,
        checked: !hidden.has(k), onchange: (e) => setHidden(k, !e.target.checked) }), label)))));
  const detail = h('div', { class: 'card', id: 'order-detail', hidden: true });
  const done = (k) => ({ sort: (r) => r[k] || '9999',
    render: (r) => (r[k] ? estMark(r[k], r) : doneText(null)) });
  const na = (k) => (r) => (r[k] === null || r[k] === undefined ? NA : n0(r[k]));
  /* the timeline under the header's policy */
  const under = (r) => ({ loa_month: r.loa_month, loa_basis: r.loa_basis, need_month: r.need_month,
    first_delivery: r['first_delivery_' + policy], completion: r['completion_' + policy],
    units_short: r['units_short_' + policy] });
  const has = (k) => d.orders.length > 0 && k in d.orders[0];
  const csvOnly = (key) => ({ key, label: key, show: false });
  /* A pair of columns, one per policy, under one header (docs/dashboard.md,
   * "Order book columns"): the full label stays in data-label and the
   * tooltip gives the name and unit; opt is the pair's key in OPTIONAL
   * (null: always shown). */
  const pair = (opt, group, key, label, what, more) => ['fcfs', 'priority'].map((p) => ({
    key: `${key}_${p}`, label: label(p), group, short: p === 'fcfs' ? 'fcfs' : 'prio.',
    groupTitle: `${what}, under fcfs and under priority`, title: `${what} under ${p}`, ...more(`${key}_${p}`),
    show: !(opt && hidden.has(opt)) }));
  const figure = (k) => ({ num: true, render: na(k) });
  /* Names cut as allot orders cuts them (12 and 18 characters), whole in
   * the tooltip. */
  const clip = (k, ch) => (r) => h('span', { class: 'clip', style: { maxWidth: ch + 'ch' }, title: r[k], text: r[k] });
  /* The columns of allot orders --csv in its order (the downloads hold
   * them all); the table shows names rather than ids and leaves out the
   * first deliveries and cancelled units. */
  const cols = [
    { key: 'order_id', label: 'Order' },
    csvOnly('iso3'),
    { key: 'partner', label: 'Partner', render: clip('partner', 12) },
    csvOnly('system_id'),
    { key: 'system', label: 'System', render: clip('system', 18) },
    csvOnly('line_id'),
    { key: 'tier', label: 'Tier', render: (r) => tierBadge(r.tier, true) },
    { key: 'qty', label: 'Qty', num: true, title: 'units ordered', render: (r) => n0(r.qty), show: !hidden.has('qty') },
    { key: 'left', label: 'Left', num: true, title: 'units left to deliver at as_of', render: (r) => n0(r.left) },
    { key: 'loa_month', label: 'LOA', title: 'month of the Letter of Offer and Acceptance ("month not known": only the year is, orders.csv loa_basis year)',
      render: (r) => loaCell(r) },
    { key: 'need_month', label: 'Need', title: 'need month (n/a: none given)', render: (r) => r.need_month || NA,
      show: !hidden.has('need') },
    ...pair(null, 'Complete', 'completion', (p) => `Complete (${p})`, 'Completion month ("after" the last month: not ' +
      'complete within the horizon; "est.": the line rate is an estimate)', done),
    { key: 'shift_months', label: 'Shift (mo)', short: 'Shift', num: true,
      title: 'priority minus fcfs completion, months (green: earlier under priority)',
      render: (r) => (r.shift_months === null ? NA : delta(r.shift_months)) },
    ...pair('late', 'Late (mo)', 'months_late', (p) => `Late ${p} (mo)`, 'Months late against the need month', figure),
    ...pair('short', 'Short', 'units_short', (p) => `Short ${p}`, 'Units still short at the horizon', figure),
    csvOnly('first_delivery_fcfs'), csvOnly('first_delivery_priority'),
    ...pair('wait', 'Wait (mo)', 'wait_months', (p) => `Wait ${p} (mo)`, 'Months waited', figure),
    csvOnly('units_cancelled_fcfs'), csvOnly('units_cancelled_priority'),
    { key: 'value_left_usd', label: 'Value left', num: true, title: 'value of the units left, USD (unknown: no unit cost)',
      render: (r) => usd(r.value_left_usd), show: !hidden.has('value') },
    has('supply') && csvOnly('supply'),
    has('wip_units') && csvOnly('wip_units'),
    has('rate_basis') && { key: 'rate_basis', label: 'Line rate', short: 'Rate',
      title: 'basis of the line\'s rate (lines.csv rate_basis)', render: (r) => r.rate_basis || NA,
      show: !hidden.has('rate') },
    has('max_per_month') && { key: 'max_per_month', label: 'Pace', num: true,
      title: 'the order\'s max_per_month: units a month at most from its line (n/a: no limit)',
      render: na('max_per_month'), show: !hidden.has('pace') },
    has('not_before') && { key: 'not_before', label: 'Not before',
      title: 'the order\'s not_before: its earliest delivery month (n/a: none stated)',
      render: (r) => r.not_before || NA, show: !hidden.has('notbefore') },
    /* the bases (issue 15): the LOA column reads them; downloads carry them */
    has('loa_basis') && csvOnly('loa_basis'),
    has('unit_cost_basis') && csvOnly('unit_cost_basis'),
    { key: 'timeline', label: `Delivery timeline (${policy})`, short: `Timeline (${policy})`, head: timeAxis(start, end), csv: false,
      title: `deliveries under ${policy}, as_of to the horizon's end`,
      sort: (r) => r['completion_' + policy] || '9999', render: (r) => timeline(under(r), start, end),
      show: !hidden.has('timeline') },
  ].filter(Boolean);
  /* One page at a time (file order); sorting a column sorts the page. */
  const go = (off) => {
    const p = new URLSearchParams(params);
    if (off) p.set('offset', off); else p.delete('offset');
    location.hash = '#/orders' + (p.toString() ? '?' + p : '');
  };
  const last = offset + d.orders.length;
  const pager = h('div', { class: 'row', id: 'orders-pager' },
    h('button', { id: 'orders-prev', text: '← previous', disabled: offset === 0,
      onclick: () => go(Math.max(0, offset - size)) }),
    h('span', { id: 'orders-range', text: d.page.total
      ? `orders ${n0(offset + 1)}–${n0(last)} of ${n0(d.page.total)}` : 'no order' }),
    h('button', { id: 'orders-next', text: 'next →', disabled: d.page.next_offset === null,
      onclick: () => go(d.page.next_offset) }));
  /* The downloads hold every order matching the filters, page by page. */
  const allRows = async () => {
    if (d.page.total <= d.orders.length) return d.orders;
    const all = [];
    for (let off = 0; off !== null;) {
      const p = new URLSearchParams(q);
      p.set('limit', PAGE_MAX);
      p.set('offset', off);
      const x = await api(sc() + '/orderbook?' + p);
      all.push(...x.orders);
      off = x.page.next_offset;
    }
    return all;
  };
  main.append(detail, pager, h('div', { class: 'card scroll' }, table(cols, d.orders, {
    tableId: 'orders', id: (r) => r.order_id, sortKey: 'loa_month', allRows,
    onRow: (r, tr) => showOrder(r.order_id, detail, tr) })));
}

/* An LOA date whose month is not known (loa_basis "year": the month is a
 * placeholder) reads "2019 (month not known)"; in the order book's narrow
 * column the year alone, "2019", with that in its tooltip (docs/dashboard.md). */
function loaText(o) {
  if (!o || !o.loa_month) return mon(o && o.loa_month);
  return o.loa_basis === 'year' ? `${o.loa_month.slice(0, 4)} (month not known)` : o.loa_month;
}
function loaCell(o) {
  if (!o || o.loa_basis !== 'year' || !o.loa_month) return mon(o && o.loa_month);
  return h('span', { class: 'est', title: loaText(o) + ': only the year is known (orders.csv loa_basis year)',
    text: o.loa_month.slice(0, 4) });
}

/* A completion month resting on an estimated line rate gets a marker
 * (rate_basis "estimate" from the API; docs/dashboard.md). */
function estMark(m, o) {
  if (!o || o.rate_basis !== 'estimate' || !m) return mon(m);
  return h('span', { class: 'est', title: 'estimated line rate (SOURCES.md)' }, mon(m),
    h('sup', { text: ' est.' }));
}

async function showOrder(id, box, tr) {
  document.querySelectorAll('tr.selected').forEach((x) => x.classList.remove('selected'));
  tr.classList.add('selected');
  const base = sc() + '/orders/' + encodeURIComponent(id);
  const [o, ex] = await Promise.all([api(base + '?' + pol()), api(base + '/explain?' + pol())]);
  dropCharts();
  const canvas = h('canvas');
  const reasons = Object.entries(ex.limits).map(([k, v]) => `${k}: ${v} month${v === 1 ? '' : 's'}`);
  box.replaceChildren(
    h('h2', { text: `${o.order_id}: ${o.qty} × ${o.system} for ${o.partner}` }),
    h('p', { class: 'note', text: `LOA ${loaText(o)}, need ${o.need_month || NA}, tier ${o.tier}` +
      (o.not_before ? `, earliest delivery (not_before) ${o.not_before}` : '') +
      (o.max_per_month ? `, at most ${n0(o.max_per_month)} a month (max_per_month)` : '') + '; ' +
      `first delivery ${o.first_delivery || doneText(null)}, complete ${doneText(o.completion)}` +
      `${o.rate_basis === 'estimate' ? ' (estimated line rate)' : ''}, short ${o.units_short}. ` +
      `Months it waited, by what held it back: ${reasons.join(', ') || 'none'}.` }),
    h('div', { class: 'grid2' },
      h('div', { class: 'chart small' }, canvas),
      h('div', { class: 'scroll' }, table([
        { key: 'from', label: 'Months', render: (m) => (m.from === m.to ? m.from : `${m.from} – ${m.to}`) },
        { key: 'wanted', label: 'Wanted', num: true }, { key: 'got', label: 'Got', num: true },
        { key: 'limit', label: 'Held back by', render: (m) => m.limit + (m.mineral ? ` (${m.mineral})` : '') },
        { key: 'ahead', label: 'Served before it on its line', sort: false, render: (m) =>
          m.ahead.map((a) => `${a.order_id} (${a.iso3}) ${a.units}`).join(', ') +
          (m.n_ahead > m.ahead.length ? ` … ${m.n_ahead} in all` : '') },
      ], ex.spans, { tableId: 'explain' }))));
  box.hidden = false;
  /* Deliveries within the horizon only; later ones are counted, not drawn. */
  const byMonth = {}, last = lastMonth();
  let after = 0;
  for (const p of o.production) {
    if (p.delivery_month > last) after += p.units;
    else byMonth[p.delivery_month] = (byMonth[p.delivery_month] || 0) + p.units;
  }
  chart(canvas, { type: 'bar', data: { labels: Object.keys(byMonth), datasets: [{
    label: `units delivered (${state.policy})` + (after ? `; ${n0(after)} more after ${last}, the horizon's end` : ''),
    data: Object.values(byMonth), backgroundColor: policyColor(state.policy) }] },
  options: { scales: { x: { title: { display: true, text: 'month of delivery' } },
    y: { beginAtZero: true, title: { display: true, text: 'units' } } } } });
}

async function pageCompare(main, params) {
  const by = params.get('by') || 'partner';
  const d = await api(sc() + '/compare?by=' + encodeURIComponent(by));
  const a = d.all;
  main.append(h('h1', { text: 'Policy comparison: who gains, who waits' }),
    h('p', { class: 'lead', text: `${d.policies[0]} (before) against ${d.policies[1]} (after)` +
      (d.switch_month ? `, switching in ${d.switch_month}` : '') + `. Wait = months from the later of ` +
      `as_of and the LOA to the last delivery (the horizon's end when not complete). Units = delivered ` +
      `by the end of ${d.year}.` }),
    kpis([['orders compared', n0(a.orders)], ['complete earlier', n0(a.earlier)],
      ['complete later', n0(a.later)], ['mean |shift|', f1(a.mean_abs_shift_months) + ' months']]));
  const sel = h('select', { onchange: () => { location.hash = '#/compare?by=' + sel.value; } },
    ['partner', 'tier', 'region', 'system'].map((b) => h('option', { value: b, text: b, selected: b === by })));
  main.append(h('div', { class: 'row' }, h('label', { class: 'f' }, 'Group by', sel)));
  await partnerChart(main, params.get('partner') || 'POL');
  const g = d['by_' + by]; /* allot compare --by BY --json's groups */
  const shown = g.length > 30 ? g.slice(0, 15).concat(g.slice(-15)) : g;
  const canvas = h('canvas');
  main.append(h('div', { class: 'card' }, h('h2', { text: 'Change in mean wait (months): negative gains' }),
    h('div', { class: 'chart' }, canvas)));
  chart(canvas, { type: 'bar', data: { labels: shown.map((x) => x.name || x.key), datasets: [{
    label: 'Δ mean wait (months)', data: shown.map((x) => x.change_wait_months),
    backgroundColor: shown.map((x) => (x.change_wait_months < 0 ? '#2e7d32' : '#c62828')) }] },
  options: { plugins: { legend: { display: false } },
    scales: { x: { title: { display: true, text: by } },
      y: { title: { display: true, text: 'Δ mean wait, months' } } } } });
  main.append(h('div', { class: 'card scroll' }, table([
    { key: 'name', label: by, render: (x) => x.name || x.key },
    { key: 'orders', label: 'Orders', num: true },
    { key: 'mean_wait_months_a', label: `Wait ${d.policies[0]}`, num: true, render: (x) => f1(x.mean_wait_months_a) },
    { key: 'mean_wait_months_b', label: `Wait ${d.policies[1]}`, num: true, render: (x) => f1(x.mean_wait_months_b) },
    { key: 'change_wait_months', label: 'Δ wait', num: true, render: (x) => delta(x.change_wait_months) },
    { key: 'units_by_year_a', label: `Units by ${d.year} (${d.policies[0]})`, num: true, render: (x) => n0(x.units_by_year_a) },
    { key: 'units_by_year_b', label: `(${d.policies[1]})`, num: true, render: (x) => n0(x.units_by_year_b) },
    { key: 'change_units', label: 'Δ units', num: true, render: (x) => delta(x.change_units, '', true) },
    { key: 'earlier', label: 'Earlier', num: true }, { key: 'later', label: 'Later', num: true },
  ], g, { tableId: 'compare' })));
}

/* One partner's cumulative deliveries under both policies (Poland by
 * default): GET /api/scenarios/{name}/deliveries?partner=WHO. */
async function partnerChart(main, who) {
  const d = await api(sc() + '/deliveries?partner=' + encodeURIComponent(who));
  const sel = h('select', { id: 'deliveries-partner', onchange: () => {
    location.hash = '#/compare?partner=' + encodeURIComponent(sel.value);
  } }, state.info.partners.map((p) => h('option', { value: p.iso3, text: `${p.name} (${p.iso3})`,
    selected: p.iso3 === d.iso3 })));
  const canvas = h('canvas');
  main.append(h('div', { class: 'card', id: 'deliveries' },
    h('h2', { text: `Deliveries to ${d.name} (${d.iso3}) under each policy` }),
    h('div', { class: 'row' }, h('label', { class: 'f' }, 'Partner', sel),
      h('span', { class: 'muted', text: `${n0(d.open_units)} units on order; nothing is drawn past ` +
        `${d.horizon_end}, the horizon's end` })),
    h('div', { class: 'chart' }, canvas)));
  chart(canvas, { type: 'line', data: { labels: d.months, datasets: d.series.map((s) => ({
    label: `${s.policy}: ${n0(s.in_horizon)} units by ${d.horizon_end}, ${n0(s.after_horizon)} after`,
    data: s.units, borderColor: policyColor(s.policy), backgroundColor: policyColor(s.policy),
    borderDash: s.policy === 'fcfs' ? [6, 4] : [], pointRadius: 0, borderWidth: 2 })) },
  options: { interaction: { mode: 'index', intersect: false },
    scales: { x: { title: { display: true, text: 'month of delivery' }, ticks: { maxTicksLimit: 16 } },
      y: { beginAtZero: true, title: { display: true, text: `units delivered since ${state.info.as_of} (cumulative)` } } } } });
}

/* ------------------------------------------------------------ what-if */

const EVENT_KINDS = {
  budget: 'Budget cut (cap on a partner\'s undelivered purchases)',
  embargo: 'Embargo (a supply source stops)',
  investment: 'Investment (a partner funds more capacity)',
  capacity: 'Line capacity change',
  eum: 'End-use status change',
  catalog: 'Priority catalog (a system joins it, with a tier gate)',
  eeum: 'EEUM criteria (a system comes under Enhanced End-Use Monitoring)',
};
/* Kinds written as lines of the change grammar (docs/whatif.md), parsed by
 * the library's one parser on the server like the Changes box. */
const GRAMMAR_KINDS = {
  catalog: (v) => `--catalog ${v('system_id')}:${v('tier')}@${v('month')}`,
  eeum: (v) => `--eeum ${v('system_id')}:${v('on')}@${v('month')}`,
};

function eventRow(kind) {
  const i = state.info;
  const month = (name, v) => h('label', { class: 'f' }, name,
    h('input', { type: 'month', name, value: v || i.as_of, required: true }));
  const partner = () => h('label', { class: 'f' }, 'Partner', h('select', { name: 'iso3' },
    i.partners.map((p) => h('option', { value: p.iso3, text: `${p.name} (${p.iso3})` }))));
  const line = () => h('label', { class: 'f' }, 'Line', h('select', { name: 'line_id' },
    i.lines.map((l) => h('option', { value: l.line_id, text: `${l.name} (${l.line_id})` }))));
  const system = () => h('label', { class: 'f' }, 'System', h('select', { name: 'system_id' },
    i.systems.map((y) => h('option', { value: y.system_id, text: `${y.name} (${y.system_id})` }))));
  const num = (name, label, v, step) => h('label', { class: 'f' }, label,
    h('input', { type: 'number', name, value: v, min: 0, step: step || 'any', required: true }));
  const fields = {
    budget: () => [partner(), num('usd', 'Cap (USD)', 1e9, 'any'), month('month')],
    embargo: () => [h('label', { class: 'f' }, 'Source', h('select', { name: 'source' },
      (i.supply_sources.length ? i.supply_sources : ['china']).map((s) => h('option', { value: s, text: s })))),
    h('label', { class: 'f' }, 'Mineral', h('select', { name: 'mineral_id' },
      h('option', { value: '*', text: 'every mineral' }),
      i.minerals.map((m) => h('option', { value: m.mineral_id, text: m.name })))),
    month('start_month'), h('label', { class: 'f' }, 'end (empty: to the horizon)',
      h('input', { type: 'month', name: 'end_month' }))],
    investment: () => [partner(), line(), num('usd', 'USD', 1e9), num('added_rate', 'Added units/month', 5),
      month('month'), month('online_month')],
    capacity: () => [line(), num('rate', 'Units/month', 10), month('month')],
    eum: () => [partner(), h('label', { class: 'f' }, 'Status', h('select', { name: 'status' },
      ['compliant', 'delinquent', 'violation'].map((s) => h('option', { value: s, text: s })))), month('month')],
    catalog: () => [system(), h('label', { class: 'f' }, 'Served to tiers', h('select', { name: 'tier' },
      [[2, '1-2 (gate tier 2)'], [1, '1 only'], [3, '1-3'], [0, 'every tier (no gate)']]
        .map(([t, text]) => h('option', { value: t, text })))), month('month')],
    eeum: () => [system(), h('label', { class: 'f' }, 'EEUM', h('select', { name: 'on' },
      [[1, 'under EEUM'], [0, 'leaves EEUM']].map(([v, text]) => h('option', { value: v, text })))),
    month('month')],
  };
  const row = h('div', { class: 'ev', 'data-kind': kind },
    h('strong', { text: EVENT_KINDS[kind].split(' (')[0] + ':' }), fields[kind](),
    h('button', { type: 'button', class: 'secondary', text: 'remove', onclick: () => row.remove() }));
  return row;
}

/* The rows of the form as an edit body (docs/api.md, "Scenario edits"). */
function editBody(form) {
  const body = { events: [], investments: [], embargoes: [] };
  for (const ev of form.querySelectorAll('.ev')) {
    const v = (n) => { const el = ev.querySelector(`[name=${n}]`); return el ? el.value : ''; };
    switch (ev.dataset.kind) {
      case 'budget': body.events.push({ month: v('month'), type: 'budget_cap', target: v('iso3'),
        value: Number(v('usd')) }); break;
      case 'capacity': body.events.push({ month: v('month'), type: 'capacity', target: v('line_id'),
        value: Number(v('rate')) }); break;
      case 'eum': body.events.push({ month: v('month'), type: 'eum_status', target: v('iso3'),
        value: v('status') }); break;
      case 'embargo': body.embargoes.push({ source: v('source'), mineral_id: v('mineral_id'),
        start_month: v('start_month'), end_month: v('end_month') || null }); break;
      case 'investment': body.investments.push({ iso3: v('iso3'), line_id: v('line_id'),
        usd: Number(v('usd')), month: v('month'), added_rate: Number(v('added_rate')),
        online_month: v('online_month') }); break;
    }
  }
  for (const k of ['events', 'investments', 'embargoes']) if (!body[k].length) delete body[k];
  return body;
}

async function pageWhatif(main) {
  const i = state.info;
  main.append(h('h1', { text: 'What-if' }),
    h('p', { class: 'lead', text: 'Change the weights or add events and see the plan move, side by side. ' +
      'Nothing is stored: the server plans a copy in memory. "Store as a new scenario" keeps the ' +
      'changes (it needs the access token).' }));
  const weights = h('div', { class: 'weights' }, Object.entries(i.policy.weights).map(([k, w]) => {
    const out = h('output', { text: w.toFixed(2) });
    const inp = h('input', { type: 'range', min: 0, max: 1, step: 0.01, value: w, name: 'w-' + k,
      'data-crit': k, 'data-orig': w, oninput: () => { out.textContent = Number(inp.value).toFixed(2); } });
    return h('label', {}, h('span', { text: k, style: { width: '7em' } }), inp, out);
  }));
  const events = h('div', { class: 'events', id: 'whatif-events' });
  const changes = h('textarea', { id: 'whatif-changes', name: 'changes', rows: 3, cols: 60,
    placeholder: '--cap TWN:5bn@2026-02\n--embargo china:gallium@2026-03+24\n--us-share gmlrs:0.8@2026-06+12' });
  const kind = h('select', { id: 'whatif-kind' }, Object.entries(EVENT_KINDS).map(([k, t]) =>
    h('option', { value: k, text: t })));
  const result = h('div', { id: 'whatif-result' });
  const saveName = h('input', { type: 'text', id: 'whatif-save-name', placeholder: 'new scenario name',
    value: state.scenario + '-whatif' });
  const form = h('form', { id: 'whatif-form', onsubmit: async (e) => {
    e.preventDefault();
    /* A change the parser refuses comes back as a 400 naming it and its
     * column (docs/api.md): show it. */
    try { await runWhatif(form, result); showError(''); } catch (err) { showError(err.message); }
  } },
  h('div', { class: 'card' }, h('h2', { text: 'Policy weights' }), weights),
  h('div', { class: 'card' }, h('h2', { text: 'Events' }), events,
    h('div', { class: 'row' }, kind, h('button', { type: 'button', class: 'secondary', id: 'whatif-add',
      text: 'add event', onclick: () => events.append(eventRow(kind.value)) }))),
  h('div', { class: 'card' }, h('h2', { text: 'Changes' }),
    h('p', { class: 'muted', text: 'One a line, in the grammar of allot whatif (docs/whatif.md): ' +
      '--cap ISO3:AMOUNT@YYYY-MM, --invest ISO3:LINE:USD:+RATE@ONLINE, --embargo SOURCE[:MINERAL]@START[+MONTHS], ' +
      '--us-share LINE:SHARE@YYYY-MM[+MONTHS], --rate LINE:RATE@YYYY-MM, --status ISO3:STATUS@YYYY-MM, --weight CRITERION:W, --catalog SYSTEM[:TIER]@YYYY-MM, --eeum SYSTEM[:0|1]@YYYY-MM.' }),
    changes),
  h('div', { class: 'row' }, h('button', { type: 'submit', id: 'whatif-apply', text: 'Apply (plan both)' }),
    h('span', { class: 'muted', text: '·' }), saveName,
    h('button', { type: 'button', class: 'secondary', id: 'whatif-save', text: 'Store as a new scenario',
      onclick: async () => {
        const body = whatifBody(form);
        if (body.changes) {
          showError('Changes in the grammar are planned, not stored: store event rows, or use allot whatif.');
          return;
        }
        delete body.policy;
        body.as = saveName.value;
        const keys = Object.keys(body).filter((k) => k !== 'as');
        try {
          if (body.weights && keys.length > 1) {
            /* Weights and events: store the events, then the weights on the new scenario. */
            const w = body.weights; delete body.weights;
            await api(sc() + '/events', { body });
            await api('/api/scenarios/' + encodeURIComponent(body.as) + '/policy', { body: { weights: w } });
          } else if (body.weights) {
            await api(sc() + '/policy', { body });
          } else {
            await api(sc() + '/events', { body });
          }
          showError('');
          result.prepend(h('p', { class: 'gain', text: `Stored as scenario ${body.as}.` }));
          await loadScenarios(state.scenario);
        } catch (err) { showError(err.message); }
      } })));
  main.append(form, result);
}

function whatifBody(form) {
  const body = editBody(form);
  const w = {};
  let changed = false;
  for (const inp of form.querySelectorAll('input[data-crit]')) {
    w[inp.dataset.crit] = Number(inp.value);
    if (Number(inp.value) !== Number(inp.dataset.orig)) changed = true;
  }
  if (changed) body.weights = w;
  const lines = [];
  for (const ev of form.querySelectorAll('.ev')) {
    const v = (n) => { const el = ev.querySelector(`[name=${n}]`); return el ? el.value : ''; };
    if (GRAMMAR_KINDS[ev.dataset.kind]) lines.push(GRAMMAR_KINDS[ev.dataset.kind](v));
  }
  lines.push(...(form.querySelector('#whatif-changes')?.value || '').split('\n')
    .map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));
  if (lines.length) body.changes = lines;
  body.policy = state.policy;
  return body;
}

/* The requests not yet offered whose offer (LOA) the changes move: the
 * catalog, its tier gates and EEUM act there (docs/whatif.md, "Requests");
 * the keys are allot whatif --json's. */
function whatifRequests(q) {
  const card = h('div', { class: 'card', id: 'whatif-requests' },
    h('h2', { text: 'Requests not yet offered' }));
  if (!q || !q.moved.length) {
    card.append(h('p', { class: 'muted', text: q && q.requests
      ? `The changes move none of the ${n0(q.requests)} requests.` : 'The scenario has no request.' }));
    return card;
  }
  card.append(h('p', { id: 'whatif-requests-summary', text: `${n0(q.requests)} requests: ` +
      `${q.sooner} offered sooner (${n0(q.units_sooner)} units, ${usd(q.usd_sooner)}), ${q.later} later, ` +
      `${q.held} held by a tier gate (${n0(q.units_held)} units, ${usd(q.usd_held)}), ${q.released} released.` }),
    table([
      { key: 'request_id', label: 'Request' }, { key: 'iso3', label: 'Partner' },
      { key: 'tier', label: 'Tier', num: true, render: (r) => tierBadge(r.tier) },
      { key: 'system_id', label: 'System' },
      { key: 'units', label: 'Units', num: true, render: (r) => n0(r.units) },
      { key: 'value_usd', label: 'Value', num: true, render: (r) => usd(r.value_usd) },
      { key: 'lor_month', label: 'LOR' },
      { key: 'l0', label: 'Offer without', sort: (r) => r.loa_month[0] || '9999',
        render: (r) => (r.held[0] ? 'held' : mon(r.loa_month[0])) },
      { key: 'l1', label: 'Offer with', sort: (r) => r.loa_month[1] || '9999',
        render: (r) => (r.held[1] ? 'held' : mon(r.loa_month[1])) },
      { key: 'why', label: 'Why (with)', sort: false },
    ], q.moved, { tableId: 'whatif-requests-table', id: (r) => r.request_id }));
  return card;
}

async function runWhatif(form, box) {
  const d = await api(sc() + '/whatif', { body: Object.assign(whatifBody(form), { limit: PAGE_MAX }) });
  dropCharts();
  const b = d.before, a = d.after;
  const canvas = h('canvas');
  /* the keys of allot whatif --json (docs/whatif.md; groups as compare's, _a without
   * the changes, _b with them); edits: the rows of the form */
  const nch = d.edits + d.changes.length, g = d.all;
  box.replaceChildren(
    h('h2', { text: `Before and after (${nch} change${nch === 1 ? '' : 's'})` }),
    ...(d.changes.length ? [h('ul', { id: 'whatif-meanings' },
      d.changes.map((c) => h('li', { text: `--${c.flag} ${c.value}: ${c.meaning}` })))] : []),
    h('p', { id: 'whatif-answer', text: `By the end of ${d.year}: ${n0(g.units_by_year_a)} units ` +
      `delivered without the changes, ${n0(g.units_by_year_b)} with; ${n0(g.cut)} orders cut ` +
      `by budget caps, ${n0(g.restored)} restored; ${n0(g.earlier)} orders earlier, ${n0(g.later)} later.` }),
    h('div', { class: 'side' },
      kpis([['before: produced', n0(b.produced_units)], ['backlog', n0(b.backlog_units)],
        ['cancelled', n0(b.cancelled_units)], ['mean wait', f1(b.wait_all.mean_months) + ' mo']]),
      kpis([['after: produced', n0(a.produced_units)], ['backlog', n0(a.backlog_units)],
        ['cancelled', n0(a.cancelled_units)], ['mean wait', f1(a.wait_all.mean_months) + ' mo']])),
    h('div', { class: 'card' }, h('h2', { text: 'Units delivered per year' }),
      h('div', { class: 'chart small' }, canvas)),
    h('div', { class: 'card' }, h('h2', { text: 'Partners whose outcome moved' }),
      d.partners.length ? table([
        { key: 'name', label: 'Partner', render: (p) => `${p.name} (${p.iso3})` },
        { key: 'tier', label: 'Tier', sort: (p) => p.tier[1], render: (p) => h('span', {},
          tierBadge(p.tier[0]), p.tier[0] !== p.tier[1] ? [' → ', tierBadge(p.tier[1])] : []) },
        { key: 'score', label: 'Score', num: true, sort: (p) => p.score[1],
          render: (p) => (p.score[0] === p.score[1] ? f2(p.score[0]) : `${f2(p.score[0])} → ${f2(p.score[1])}`) },
        { key: 'orders', label: 'Orders', num: true },
        { key: 'earlier', label: 'Earlier', num: true }, { key: 'later', label: 'Later', num: true },
        { key: 'mean_shift_months', label: 'Mean shift (mo)', num: true, render: (p) => delta(p.mean_shift_months) },
        { key: 'dh', label: 'Delivered in horizon', num: true, sort: (p) => p.delivered_in_horizon[1],
          render: (p) => `${n0(p.delivered_in_horizon[0])} → ${n0(p.delivered_in_horizon[1])}` },
        { key: 'cx', label: 'Cancelled', num: true, sort: (p) => p.cancelled[1],
          render: (p) => `${n0(p.cancelled[0])} → ${n0(p.cancelled[1])}` },
        { key: 'cut_orders', label: 'Orders cut', num: true },
        { key: 'cxu', label: 'Cancelled USD m', num: true, sort: (p) => p.cancelled_usd[1],
          render: (p) => p.cancelled_usd.map((v, k) => (v === null ? UNKNOWN
            : (p.cancelled_usd_unknown_cost_units[k] ? '>= ' : '') + f1(v / 1e6))).join(' → ') },
      ], d.partners, { tableId: 'whatif-partners', id: (p) => p.iso3 }) : h('p', { class: 'muted', text: 'No partner moved.' })),
    whatifRequests(d.requests),
    ...(d.lines && d.lines.lines.length ? [h('div', { class: 'card', id: 'whatif-lines' },
      h('h2', { text: 'Lines the changes name' }),
      h('p', { class: 'muted', text: `Foreign share opened (rate less the US share, plus added rates) and what ` +
        `foreign orders took of it, from as_of to the end of ${d.lines.year} (docs/whatif.md, "Lines").` }),
      table([
        { key: 'line_id', label: 'Line', render: (l) => `${l.name} (${l.line_id})` },
        { key: 'c0', label: 'Foreign share without', num: true, render: (l) => n0(l.foreign_capacity[0]) },
        { key: 'c1', label: 'with', num: true, render: (l) => n0(l.foreign_capacity[1]) },
        { key: 'u0', label: 'Taken without', num: true, render: (l) => n0(l.foreign_used[0]) },
        { key: 'u1', label: 'with', num: true, render: (l) => n0(l.foreign_used[1]) },
        /* why foreign orders may take nothing of a line they fill: their
         * units in production at as_of, or not supplied new, take none */
        { key: 'off', label: 'Open units off the line (work in progress, not new)', num: true,
          sort: (l) => l.off_line_units[1], render: (l) => `${n0(l.off_line_units[1])} of ${n0(l.open_units[1])}` },
      ], d.lines.lines, { tableId: 'whatif-lines-table', id: (l) => l.line_id }))] : []),
    h('div', { class: 'card scroll' }, h('h2', { text: 'Orders whose plan changed' }),
      partial(d.page, d.orders.length, 'changed orders'),
      d.orders.length ? table([
        { key: 'order_id', label: 'Order' }, { key: 'iso3', label: 'Partner' },
        { key: 'system', label: 'System' },
        { key: 'b', label: 'Complete before', sort: (o) => o.before.completion || '9999',
          render: (o) => mon(o.before.completion) },
        { key: 'a', label: 'after', sort: (o) => o.after.completion || '9999',
          render: (o) => mon(o.after.completion) },
        { key: 'outcome', label: 'Outcome' },
        { key: 'delta_months', label: 'Δ months', num: true, render: (o) => delta(o.delta_months) },
        { key: 'tb', label: 'Before', sort: false, render: (o) => timeline(Object.assign({}, o, o.before),
          monthIndex(state.info.as_of), monthIndex(d.horizon_end)) },
        { key: 'ta', label: 'After', sort: false, render: (o) => timeline(Object.assign({}, o, o.after),
          monthIndex(state.info.as_of), monthIndex(d.horizon_end), 'after') },
        { key: 'c', label: 'Cancelled', num: true, sort: (o) => o.after.cancelled,
          render: (o) => `${n0(o.before.cancelled)} → ${n0(o.after.cancelled)}` },
      ], d.orders, { tableId: 'whatif-orders', id: (o) => o.order_id, sortKey: 'delta_months' })
        : h('p', { class: 'muted', text: 'No order changed.' })));
  const years = b.delivered_by_year.map((y) => y.year);
  chart(canvas, { type: 'bar', data: { labels: years, datasets: [
    { label: 'before', data: b.delivered_by_year.map((y) => y.units), backgroundColor: '#9fb3c8' },
    { label: 'after', data: a.delivered_by_year.map((y) => y.units), backgroundColor: '#1f4e79' }] } });
}

/* ------------------------------------------------------------ quote */

async function pageQuote(main) {
  const i = state.info;
  const result = h('div', { id: 'quote-result' });
  const form = h('form', { class: 'card', id: 'quote-form', onsubmit: async (e) => {
    e.preventDefault();
    await runQuote(form, result, false);
  } },
  h('div', { class: 'row' },
    h('label', { class: 'f' }, 'Partner', h('select', { name: 'iso3' },
      i.partners.map((p) => h('option', { value: p.iso3, text: `${p.name} (${p.iso3})` })))),
    h('label', { class: 'f' }, 'System', h('select', { name: 'system' },
      i.systems.map((s) => h('option', { value: s.system_id, text: `${s.name} (${s.system_id})` })))),
    h('label', { class: 'f' }, 'Quantity', h('input', { type: 'number', name: 'qty', min: 1, step: 1, value: 10, required: true })),
    h('label', { class: 'f' }, 'LOA (empty: as_of)', h('input', { type: 'month', name: 'loa' })),
    h('label', { class: 'f' }, 'Need (optional)', h('input', { type: 'month', name: 'need' })),
    h('label', { class: 'f', title: 'earliest delivery month (orders.csv not_before): no unit arrives before it' },
      'Not before (optional)', h('input', { type: 'month', name: 'not_before' })),
    h('button', { type: 'submit', text: 'Quote' }),
    h('button', { type: 'button', class: 'secondary', text: 'Commit the order', onclick: () => {
      if (confirm('Add this order to the stored scenario?')) runQuote(form, result, true).catch((e) => showError(e.message));
    } })));
  main.append(h('h1', { text: 'Quote a new order' }),
    h('p', { class: 'lead', text: 'Available-to-promise: when a new order would be delivered under the ' +
      'current policy, and which existing orders it would push back. Quoting stores nothing; ' +
      'committing adds the order to the stored scenario (it needs the access token).' }), form, result);
}

async function runQuote(form, box, commit) {
  const v = (n) => form.querySelector(`[name=${n}]`).value;
  let q;
  if (commit) {
    const body = { iso3: v('iso3'), system: v('system'), qty: Number(v('qty')), policy: state.policy,
      limit: PAGE_MAX };
    if (v('loa')) body.loa = v('loa');
    if (v('need')) body.need = v('need');
    if (v('not_before')) body.not_before = v('not_before');
    q = await api(sc() + '/quotes', { body });
  } else {
    const p = new URLSearchParams({ iso3: v('iso3'), system: v('system'), qty: v('qty'), policy: state.policy,
      limit: PAGE_MAX });
    if (v('loa')) p.set('loa', v('loa'));
    if (v('need')) p.set('need', v('need'));
    if (v('not_before')) p.set('not_before', v('not_before'));
    q = await api(sc() + '/quote?' + p);
  }
  dropCharts();
  const canvas = h('canvas');
  box.replaceChildren(
    commit ? h('p', { class: 'gain', text: `Stored as order ${q.order_id}.` }) : '',
    kpis([['first delivery', mon(q.first_delivery) + (q.rate_basis === 'estimate' && q.first_delivery ? ' (estimated line rate)' : '')],
      ['complete', mon(q.completion) + (q.rate_basis === 'estimate' && q.completion ? ' (estimated line rate)' : '')],
      ['short at the horizon', n0(q.units_short)], ['orders pushed back', n0(q.impacts.filter((x) => x.change_months > 0).length)]]),
    h('div', { class: 'grid2' },
      h('div', { class: 'card' }, h('h2', { text: 'Deliveries' }), h('div', { class: 'chart small' }, canvas)),
      h('div', { class: 'card scroll' }, h('h2', { text: 'Orders it moves' }),
        partial(q.page, q.impacts.length, 'orders it moves'), q.impacts.length ? table([
        { key: 'order_id', label: 'Order' }, { key: 'iso3', label: 'Partner' },
        /* an impacted order's months on an estimated line rate carry "est." as in the order book */
        { key: 'completion_before', label: 'Complete before', render: (x) => estMark(x.completion_before, x) },
        { key: 'completion_after', label: 'after', render: (x) => estMark(x.completion_after, x) },
        { key: 'change_months', label: 'Months', num: true, render: (x) => delta(x.change_months) },
      ], q.impacts, { tableId: 'quote-impacts' }) : h('p', { class: 'muted', text: 'None: no existing order moves.' }))));
  chart(canvas, { type: 'bar', data: { labels: q.deliveries.map((x) => x.month), datasets: [{
    label: 'units', data: q.deliveries.map((x) => x.units), backgroundColor: '#1f4e79' }] } });
}

/* ------------------------------------------------------------ minerals */

async function pageMinerals(main, params) {
  const q = new URLSearchParams({ policy: state.policy });
  for (const e of params.getAll('embargo')) q.append('embargo', e);
  const d = await api(sc() + '/minerals?' + q);
  main.append(h('h1', { text: 'Critical minerals: months of cover' }),
    h('p', { class: 'lead', text: `Whole months from ${d.as_of} that each mineral's stock covers the plan's draw ` +
      '("whole horizon": it lasts past the horizon), with stock alone, with supply, and under each embargo. Add a hypothetical ' +
      'embargo below to see its cover.' }));
  const i = state.info;
  const src = h('select', { name: 'source' }, (i.supply_sources.length ? i.supply_sources : ['china'])
    .map((s) => h('option', { value: s, text: s })));
  const min = h('select', { name: 'mineral' }, h('option', { value: '*', text: 'every mineral' }),
    i.minerals.map((m) => h('option', { value: m.mineral_id, text: m.name })));
  const start = h('input', { type: 'month', value: i.as_of, required: true });
  const end = h('input', { type: 'month' });
  main.append(h('form', { class: 'card row', onsubmit: (e) => {
    e.preventDefault();
    const p = new URLSearchParams(params);
    p.append('embargo', `${src.value}:${min.value}:${start.value}${end.value ? ':' + end.value : ''}`);
    location.hash = '#/minerals?' + p;
  } }, h('label', { class: 'f' }, 'Source', src), h('label', { class: 'f' }, 'Mineral', min),
  h('label', { class: 'f' }, 'From', start), h('label', { class: 'f' }, 'To (optional)', end),
  h('button', { type: 'submit', text: 'Add embargo' }),
  params.getAll('embargo').length ? h('a', { href: '#/minerals', text: 'clear' }) : ''));
  const canvas = h('canvas');
  main.append(h('div', { class: 'card' }, h('div', { class: 'chart' }, canvas)));
  const horizon = monthIndex(d.horizon_end) - monthIndex(d.as_of);
  chart(canvas, { type: 'bar', data: { labels: d.minerals.map((m) => m.name),
    datasets: d.cases.map((c, k) => ({ label: c.label + (c.hypothetical ? ' (what-if)' : ''),
      data: d.minerals.map((m) => (m.cover_months[k] === null ? horizon : m.cover_months[k])),
      backgroundColor: ['#c62828', '#2e7d32', '#e0a100', '#6d4c41', '#9467bd', '#17becf'][k % 6] })) },
  options: { scales: { x: { title: { display: true, text: 'mineral' } },
    y: { max: horizon, title: { display: true, text: `months of cover (top: ${WHOLE_HORIZON()}, ${horizon} months)` } } } } });
  main.append(h('div', { class: 'card scroll' }, table([
    { key: 'name', label: 'Mineral' },
    { key: 'stock_kg', label: 'Stock (kg)', num: true, render: (m) => n0(Math.round(m.stock_kg)) },
    { key: 'supply_kg_month', label: 'Supply (kg/mo)', num: true, render: (m) => n0(Math.round(m.supply_kg_month)) },
    { key: 'draw_kg_month', label: 'Draw (kg/mo)', num: true, render: (m) => n0(Math.round(m.draw_kg_month)) },
    ...d.cases.map((c, k) => ({ key: c.key, label: c.label, num: true,
      sort: (m) => (m.cover_months[k] === null ? 1e9 : m.cover_months[k]),
      render: (m) => (m.cover_months[k] === null ? WHOLE_HORIZON() : m.cover_months[k]),
      csv: (m) => m.cover_months[k] })),
    { key: 'shortfall_month', label: 'Stock alone short in' },
    { key: 'hits', label: 'Orders hit first', sort: false, csv: (m) => m.hits.map((x) => x.order_id).join(' '),
      render: (m) => m.hits.slice(0, 4).map((x) => `${x.order_id} (${x.iso3})`).join(', ') },
  ], d.minerals, { tableId: 'minerals' })));
}

/* ------------------------------------------------------------ reserve */

/* The critical-minerals reserve at the economy's scale (docs/reserve.md):
 * GET .../reserve, the object of `allot reserve --json`.  The consumer
 * groups keep the keys of the CLI's CSV section "group" and the report's
 * table, and the style's group colours (the report's chart draws the same
 * three datasets the same way). */
const groupColor = (g) => (state.style && state.style.group ? state.style.group[g] : '#888');

async function pageReserve(main, params) {
  const q = new URLSearchParams();
  const budgetText = params.get('budget') || '12e9';
  q.set('budget', String(parseBudget(budgetText)));
  for (const e of params.getAll('embargo')) q.append('embargo', e);
  main.append(h('h1', { text: 'Critical-minerals reserve' }),
    h('p', { class: 'lead', text: 'What a reserve should buy for the whole US economy (every mineral of the 2025 ' +
      'critical-minerals list), defence first, during an embargo: purchases in kg and USD, days of cover by ' +
      'consumer group before and after, and the aim of about 60 days of supply.' }));
  const budget = h('input', { type: 'text', value: budgetText, size: 8 });
  const src = h('select', {}, ['china', 'allies', 'others'].map((s) => h('option', { value: s, text: s })));
  const start = h('input', { type: 'month', value: state.info.as_of, required: true });
  const months = h('input', { type: 'number', value: 24, min: 1, max: 1200 });
  main.append(h('form', { class: 'card row', onsubmit: (e) => {
    e.preventDefault();
    const p = new URLSearchParams(params);
    p.set('budget', budget.value);
    p.append('embargo', `${src.value}@${start.value}+${months.value}`);
    location.hash = '#/reserve?' + p;
  } }, h('label', { class: 'f' }, 'Budget (USD: 12e9, 500m)', budget),
  h('label', { class: 'f' }, 'Embargo by', src), h('label', { class: 'f' }, 'From', start),
  h('label', { class: 'f' }, 'Months', months), h('button', { type: 'submit', text: 'Add embargo scenario' }),
  params.getAll('embargo').length ? h('a', { href: '#/reserve', text: 'clear (China, 24 months)' }) : ''));
  const d = await api(sc() + '/reserve?' + q);
  main.append(h('ul', { class: 'muted' }, d.scenarios.map((t) => h('li', { text: t }))));
  main.append(kpis([
    ['spent of ' + usd(d.budget_usd), usd(d.cost_usd)],
    ['the budget', d.budget_binds ? 'binds' : 'does not bind'],
    ['reach about 60 days of supply', `${d.aim.after} of ${d.aim.minerals_with_consumption} (${d.aim.before} before)`],
    ['the next USD 1 billion adds', `${f1(d.next_billion.defence_days)} defence, ${f1(d.next_billion.civil_days)} weighted civil days`],
    ['arms lines running through the embargo', `${d.lines.filter((l) => l.running_after >= 1 - 1e-9).length} of ${d.lines.length}`],
    ['foreign units protected by partner tier', d.foreign_units_protected_by_tier
      .map((u, k) => `tier ${k + 1} ${n0(Math.round(u))}`).join(', ')],
  ]));
  const canvas = h('canvas');
  main.append(h('div', { class: 'card' }, h('h2', { text: 'Days of cover by consumer group' }),
    h('div', { class: 'chart' }, canvas)));
  const GC = d.groups.map((g) => groupColor(g.group));
  chart(canvas, { type: 'bar', data: { labels: d.groups.map((g) => g.group), datasets: [
    { label: 'days short (the embargo, summed over minerals)', backgroundColor: 'rgba(127,140,141,0.35)', data: d.groups.map((g) => g.days_short) },
    { label: 'covered before the purchase', backgroundColor: GC.map((c) => c + '66'), data: d.groups.map((g) => g.before) },
    { label: 'covered after the purchase', backgroundColor: GC, data: d.groups.map((g) => g.after) }] },
  options: { scales: { x: { title: { display: true, text: 'consumer group' } },
    y: { beginAtZero: true, title: { display: true, text: 'days of cover, summed over the minerals short' } } } } });
  const swatch = (g) => h('span', {}, h('span', { class: 'swatch', style: { background: groupColor(g.group) } }), ' ' + g.group);
  main.append(h('div', { class: 'card scroll' }, table([
    { key: 'group', label: 'group', render: swatch, csv: (g) => g.group },
    { key: 'minerals_short', label: 'minerals_short', num: true },
    { key: 'days_short', label: 'days_short', num: true, render: (g) => f1(g.days_short) },
    { key: 'before', label: 'before', num: true, render: (g) => f1(g.before) },
    { key: 'after', label: 'after', num: true, render: (g) => f1(g.after) },
    { key: 'fewest_after_mineral', label: 'fewest_after_mineral' },
    { key: 'fewest_after', label: 'fewest_after', num: true, render: (g) => f1(g.fewest_after) },
  ], d.groups, { tableId: 'reserve-groups' })));
  const held = (p, v) => (v === null ? UNKNOWN : (p.stock_known ? '' : '>=') + f1(v));
  main.append(h('div', { class: 'card scroll' }, h('h2', { text: 'Purchase by mineral, and why' }), table([
    { key: 'mineral', label: 'mineral' },
    { key: 'kg', label: 'kg', num: true, render: (p) => n0(Math.round(p.kg)) },
    { key: 'cost_usd', label: 'cost', num: true, render: (p) => usd(p.cost_usd) },
    { key: 'days_held_before', label: 'days held before', num: true,
      render: (p) => (p.stock_known ? held(p, p.days_held_before) : (p.days_held_after === null ? UNKNOWN : 'missing')) },
    { key: 'days_held_after', label: 'days held after', num: true, render: (p) => held(p, p.days_held_after) },
    { key: 'why', label: 'why' },
  ], d.purchase, { tableId: 'reserve-purchase', sortKey: 'cost_usd', asc: false })));
}

/* Budget text as the CLI takes it: 12e9, 12b, 950m, 40k. */
function parseBudget(t) {
  const m = /^\s*([0-9.]+(?:e[0-9]+)?)\s*([kmb]?)\s*$/i.exec(t || '');
  if (!m) return t;
  return Number(m[1]) * ({ '': 1, k: 1e3, m: 1e6, b: 1e9 })[m[2].toLowerCase()];
}

/* ------------------------------------------------------------ metrics */

async function pageMetrics(main, params) {
  const tier = params.get('tier') || '0';
  const d = await api(sc() + '/metrics?' + pol() + '&tier=' + encodeURIComponent(tier));
  main.append(h('h1', { text: 'Quarterly metrics' }),
    h('p', { class: 'lead', text: 'LOAs signed, units delivered, backlog at quarter end and on-time ' +
      'deliveries, per quarter, under ' + d.policy + '.' }));
  const sel = h('select', { onchange: () => { location.hash = '#/metrics?tier=' + sel.value; } },
    h('option', { value: '0', text: 'every tier' }),
    Array.from({ length: d.tiers }, (_, k) => h('option', { value: k + 1, text: 'tier ' + (k + 1),
      selected: String(k + 1) === tier })));
  main.append(h('div', { class: 'row' }, h('label', { class: 'f' }, 'Tier', sel)));
  /* As allot metrics: history quarters with no request and no LOA are left
   * out; a figure the data does not date is unknown (null), never 0. */
  const rows = d.quarters.filter((q) => q.coverage !== 'history' || q.loas > 0 || q.requests_received > 0);
  const dated = (q, v) => (q.coverage === 'history' ? null : v);
  /* The USD figures count known unit costs: where units of unknown cost are
   * left out, a lower bound (">=", as allot metrics and allot_usd_num), or
   * "unknown" when nothing in the sum is known (docs/allocation.md). */
  const lower = (q, key) => (q[key + '_unknown_cost_units'] || 0) > 0;
  const millions = (q, key) => (q[key] === null || q[key] === undefined ? UNKNOWN
    : lower(q, key) && q[key] === 0 ? UNKNOWN : (lower(q, key) ? '>= ' : '') + f1(q[key] / 1e6));
  const anyLower = (key) => rows.some((q) => lower(q, key));
  const legend = (key, text) => text + (anyLower(key) ? '; known unit costs, a lower bound (>=) where units of unknown cost are left out' : '');
  const canvas = h('canvas');
  main.append(h('div', { class: 'card' }, h('div', { class: 'chart' }, canvas)));
  chart(canvas, { type: 'bar', data: { labels: rows.map((q) => q.quarter), datasets: [
    { type: 'bar', label: `value delivered (USD million; ${legend('value_delivered_usd', 'unknown before the plan')})`, yAxisID: 'y',
      key: 'value_delivered_usd',
      data: rows.map((q) => dated(q, q.value_delivered_usd === null ? null : q.value_delivered_usd / 1e6)),
      backgroundColor: policyColor('priority') },
    { type: 'line', label: `backlog at quarter end (USD million${anyLower('backlog_value_usd') ? legend('backlog_value_usd', '') : ''})`, yAxisID: 'y1', spanGaps: false,
      key: 'backlog_value_usd',
      data: rows.map((q) => (q.backlog_value_usd === null || q.backlog_value_usd === undefined ? null : q.backlog_value_usd / 1e6)),
      borderColor: tierColor(3), backgroundColor: tierColor(3), pointRadius: 0 }] },
  options: { scales: { x: { title: { display: true, text: 'calendar quarter' } },
    y: { position: 'left', beginAtZero: true, title: { display: true, text: 'USD million per quarter' } },
    y1: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: 'backlog, USD million' } } },
  plugins: { tooltip: { callbacks: { label: (ctx) => ctx.dataset.label.split(' (')[0] + ': ' +
    (ctx.raw === null ? UNKNOWN : usdSum(rows[ctx.dataIndex], ctx.dataset.key)) } } } } });
  main.append(h('div', { class: 'card scroll' }, table([
    { key: 'quarter', label: 'Quarter' }, { key: 'loas', label: 'LOAs', num: true },
    { key: 'loa_value_usd', label: 'LOA value', num: true, render: (q) => usdSum(q, 'loa_value_usd') },
    { key: 'units_delivered', label: 'Delivered (units)', num: true, csv: (q) => dated(q, q.units_delivered),
      render: (q) => n0(dated(q, q.units_delivered)) },
    { key: 'value_delivered_usd', label: 'Value delivered', num: true, csv: (q) => dated(q, q.value_delivered_usd),
      render: (q) => (q.coverage === 'history' ? UNKNOWN : usdSum(q, 'value_delivered_usd')) },
    { key: 'backlog_value_usd', label: 'Backlog (USD million)', num: true,
      render: (q) => millions(q, 'backlog_value_usd') },
    { key: 'backlog_units', label: 'Backlog (units)', num: true, render: (q) => n0(q.backlog_units) },
    { key: 'open_cases', label: 'Open cases', num: true,
      render: (q) => (q.backlog_value_usd === null || q.backlog_value_usd === undefined ? UNKNOWN : n0(q.open_cases)) },
    { key: 'median_age_months', label: 'Median age (mo)', num: true, render: (q) => f1(q.median_age_months) },
    { key: 'on_time', label: 'On time', num: true, sort: (q) => (q.need_units ? q.on_time_units / q.need_units : null),
      render: (q) => (q.need_units ? Math.round((100 * q.on_time_units) / q.need_units) + ' %' : NA) },
    { key: 'coverage', label: 'Coverage' },
  ], rows, { tableId: 'metrics' })));
}

/* ------------------------------------------------------------ runs */

async function pageRuns(main) {
  const d = await api(sc() + '/runs?limit=' + PAGE_MAX);
  const detail = h('div', { id: 'run-detail' });
  main.append(h('h1', { text: 'Plan runs' }),
    h('p', { class: 'lead', text: 'Plans stored in the store, newest first. Starting a run plans the ' +
      'scenario under the selected policy and stores the result (it needs the access token).' }),
    h('div', { class: 'row' }, h('button', { id: 'run-start', text: `Start a ${state.policy} run`, onclick: async () => {
      try {
        const r = await api(sc() + '/runs', { body: { policy: state.policy } });
        showError('');
        location.hash = '#/runs?new=' + r.id;
      } catch (e) { showError(e.message); }
    } })));
  main.append(partial(d.page, d.runs.length, 'runs'), h('div', { class: 'card scroll' }, d.runs.length ? table([
    { key: 'id', label: 'Run', num: true }, { key: 'label', label: 'Label', render: (r) => r.label || '' },
    { key: 'policy', label: 'Policy' },
    { key: 'switch_month', label: 'Switch' }, { key: 'created_at', label: 'Created (UTC)' },
    { key: 'units_produced', label: 'Units produced', num: true, render: (r) => n0(r.units_produced) },
    { key: 'inputs_hash', label: 'Inputs', render: (r) => r.inputs_hash.slice(0, 12) },
  ], d.runs, { tableId: 'runs', onRow: async (r) => {
    const run = await api(r.url + '?limit=' + PAGE_MAX);
    const older = d.runs.find((x) => x.id < r.id);
    const diff = older ? await api(`/api/diff?a=${older.id}&b=${r.id}`) : null;
    detail.replaceChildren(h('h2', { text: `Run ${run.id}: ${run.policy}` }),
      diff ? h('div', { class: 'card' }, h('h2', { text: `Against run ${older.id} (${older.policy})` }),
        kpis([['orders compared', n0(diff.stability.orders)], ['earlier', n0(diff.stability.earlier)],
          ['later', n0(diff.stability.later)],
          ['mean |change|', f1(diff.stability.mean_abs_change_months) + ' months'],
          ['moved over 6 months', n0(diff.stability.moved_over_6_months)]])) : '',
      h('div', { class: 'card scroll' }, partial(run.page, run.orders.length, 'orders'),
        table([{ key: 'order_id', label: 'Order' }, { key: 'tier', label: 'Tier', num: true },
          { key: 'first_delivery', label: 'First' }, { key: 'completion', label: 'Complete' },
          { key: 'units_short', label: 'Short', num: true }, { key: 'months_late', label: 'Late', num: true },
          { key: 'cancelled', label: 'Cancelled', num: true }], run.orders)));
  } }) : h('p', { class: 'muted', text: 'No stored run yet.' })), detail);
}

/* ---------------------------------------------------------------- router */

const PAGES = { leaderboard: pageLeaderboard, orders: pageOrders, compare: pageCompare,
  whatif: pageWhatif, quote: pageQuote, minerals: pageMinerals, reserve: pageReserve,
  metrics: pageMetrics, runs: pageRuns };

async function route() {
  const hash = location.hash.replace(/^#\/?/, '') || 'leaderboard';
  const [name, query] = hash.split('?');
  const page = PAGES[name] ? name : 'leaderboard';
  document.querySelectorAll('#nav a').forEach((a) => a.classList.toggle('active', a.dataset.page === page));
  /* Each visit renders into its own container: a slower earlier visit
   * finishing late writes into a detached one, never into this page. */
  const main = $('#main');
  const view = h('div', { class: 'view' });
  const gen = ++state.gen;
  dropCharts();
  main.replaceChildren(view);
  main.dataset.page = page;
  delete main.dataset.ready;
  if (!state.scenario) {
    view.append(h('p', { class: 'muted', text: 'The store holds no scenario: import one with ' +
      '"allot import DIR --db FILE".' }));
    return;
  }
  try {
    showError('');
    await PAGES[page](view, new URLSearchParams(query || ''));
    if (gen === state.gen) main.dataset.ready = page;
  } catch (e) {
    if (gen === state.gen) showError(e.message);
  }
}

async function loadScenario(name) {
  state.scenario = name;
  state.info = await api('/api/scenarios/' + encodeURIComponent(name));
  const c = state.info.counts;
  $('#scenario-info').textContent = `${name}: as of ${state.info.as_of}, ${state.info.horizon_months} months, ` +
    `${c.partners} partners, ${c.orders} orders`;
  sessionStorage.setItem('allot-scenario', name);
}

async function loadScenarios(keep) {
  const d = await api('/api/scenarios?limit=' + PAGE_MAX);
  const sel = $('#scenario');
  const names = d.scenarios.map((s) => s.name);
  sel.replaceChildren(...names.map((n) => h('option', { value: n, text: n })));
  const want = keep && names.includes(keep) ? keep
    : names.includes(sessionStorage.getItem('allot-scenario')) ? sessionStorage.getItem('allot-scenario')
      : names.includes('default') ? 'default' : names[0];
  if (want) {
    sel.value = want;
    await loadScenario(want);
  }
}

function takeToken() {
  const m = location.hash.match(/token=([0-9a-f]{32})/);
  if (m) {
    sessionStorage.setItem('allot-token', m[1]);
    history.replaceState(null, '', location.pathname + '#/leaderboard');
  }
  state.token = sessionStorage.getItem('allot-token');
  const t = $('#token-state');
  t.textContent = state.token ? 'token: changes allowed' : 'read-only (no token)';
  t.title = state.token ? 'The access token from the URL is kept for this tab.'
    : 'Open the URL printed by allot serve to make changes.';
}

async function start() {
  takeToken();
  $('#policy').value = sessionStorage.getItem('allot-policy') || 'priority';
  state.policy = $('#policy').value;
  $('#policy').addEventListener('change', (e) => {
    state.policy = e.target.value;
    sessionStorage.setItem('allot-policy', state.policy);
    route();
  });
  $('#scenario').addEventListener('change', async (e) => {
    try { await loadScenario(e.target.value); route(); } catch (err) { showError(err.message); }
  });
  window.addEventListener('hashchange', route);
  try {
    state.style = await api('/api/style');
    UNKNOWN = state.style.symbols.unknown;
    NA = state.style.symbols.na;
    applyStyle();
    await loadScenarios();
  } catch (e) {
    showError(e.message);
    return;
  }
  route();
}

document.addEventListener('DOMContentLoaded', start);
