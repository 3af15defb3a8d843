// report.js - draws the charts and tables of an `allot report` page from the
// data the C code writes inline (<script type="application/json"
// id="allot-data">), with Chart.js (bundled inline as well).  Nothing is
// fetched: the page works from a file, offline.
//
// When every chart is drawn, window.allotReport = { ready: true, charts }
// (the headless-browser test waits for it).
(function () {
  'use strict';

  var data = JSON.parse(document.getElementById('allot-data').textContent);
  var charts = [];
  // One visual language (lib/style.c, shared with the dashboard and the
  // workbook): colours of tiers, criteria and policies come with the data.
  var STYLE = data.style;
  var TIER = STYLE.tier;
  var CRIT = data.leaderboard.criteria.map(function (c) { return STYLE.criterion[c]; });
  var POLICY = STYLE.policy;
  var POLICY_DASH = { fcfs: [6, 4], priority: [] };
  var GREY = 'rgba(127,140,141,0.35)';

  Chart.defaults.animation = false;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  Chart.defaults.font.size = 12;
  Chart.defaults.color = '#333';
  Chart.defaults.maintainAspectRatio = false;

  function month(m) {
    var y = Math.floor(m / 12), mo = m - y * 12 + 1;
    return y + '-' + (mo < 10 ? '0' : '') + mo;
  }
  // allot_style_usd, by the style's own scale table (data.style.usd):
  // "USD 12.0 billion", "USD 0.76 million", "USD 12,345".
  function usd(v) {
    if (v === null || v === undefined || !isFinite(v)) return STYLE.symbols.unknown;
    var a = Math.abs(v), sign = v < 0 ? '-' : '';
    if (a === 0) return 'USD 0';
    var s = STYLE.usd.filter(function (x) { return a >= x.from; })[0];
    return sign + 'USD ' + Math.min(a / s.div, 1e12).toLocaleString('en-US',
      { minimumFractionDigits: s.decimals, maximumFractionDigits: s.decimals }) + (s.unit ? ' ' + s.unit : '');
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function chart(id, config) {
    var c = new Chart(document.getElementById(id), config);
    charts.push(c);
    return c;
  }
  function tierColor(t) { return TIER[(t - 1) % TIER.length]; }

  // Tables: the same ones the workbook (--xlsx) has, one per section.
  function fmtCell(v, numeric, blank) {
    if (v === null || v === undefined) return numeric && blank ? blank : '';
    if (numeric && typeof v === 'number') {
      if (Math.abs(v) >= 1e6 || Number.isInteger(v)) return Math.round(v).toLocaleString('en-US');
      return v.toFixed(2);
    }
    return String(v);
  }
  function renderTable(t) {
    var host = document.getElementById('table-' + t.id);
    if (!host) return;
    var wrap = el('div', { class: 'table-wrap' });
    var table = el('table');
    var thead = el('thead'), tr = el('tr');
    t.columns.forEach(function (c, i) {
      tr.appendChild(el('th', t.numeric[i] ? { class: 'num' } : {}, c));
    });
    thead.appendChild(tr);
    table.appendChild(thead);
    var tbody = el('tbody');
    t.rows.forEach(function (r) {
      var row = el('tr');
      r.forEach(function (v, i) {
        row.appendChild(el('td', t.numeric[i] ? { class: 'num' } : {}, fmtCell(v, t.numeric[i], t.blank)));
      });
      tbody.appendChild(row);
    });
    table.appendChild(tbody);
    wrap.appendChild(table);
    var details = el('details');
    if (host.hasAttribute('data-open')) details.open = true;
    details.appendChild(el('summary', {}, t.title + ' (' + t.rows.length + ' rows)'));
    details.appendChild(wrap);
    host.appendChild(details);
  }

  // Partner leaderboard: each criterion's points stacked, penalties below 0.
  function leaderboard() {
    var L = data.leaderboard;
    var box = document.getElementById('c-leaderboard').parentNode;
    box.style.height = Math.max(240, 18 * L.rows.length + 80) + 'px';
    var labels = L.rows.map(function (r) { return r.iso3 + ' ' + r.name + ' (T' + r.tier + ')'; });
    var sets = L.criteria.map(function (c, k) {
      return {
        label: c, backgroundColor: CRIT[k % CRIT.length], stack: 's',
        data: L.rows.map(function (r) { return r.contrib[k]; })
      };
    });
    sets.push({
      label: 'end-use penalty', backgroundColor: '#555', stack: 's',
      data: L.rows.map(function (r) { return -r.penalty; })
    });
    chart('c-leaderboard', {
      type: 'bar',
      data: { labels: labels, datasets: sets },
      options: {
        indexAxis: 'y',
        scales: {
          x: { stacked: true, title: { display: true, text: 'score points (0-100)' } },
          y: { stacked: true, ticks: { autoSkip: false, font: { size: 11 } } }
        },
        plugins: {
          legend: { position: 'top' },
          tooltip: {
            callbacks: {
              footer: function (items) {
                var r = L.rows[items[0].dataIndex];
                return 'score ' + r.score.toFixed(2) + ', tier ' + r.tier;
              }
            }
          }
        }
      }
    });
  }

  // Gantt-like bars: for each row [start, first delivery) waiting and
  // [first delivery, completion] delivering, drawn over each other.
  function gantt(id, rows, height, byTier) {
    var T = data.timelines;
    var box = document.getElementById(id).parentNode;
    box.style.height = (height || Math.max(200, 22 * rows.length + 90)) + 'px';
    var labels = rows.map(function (r) { return r.label; });
    var cfg = {
      type: 'bar',
      data: {
        labels: labels,
        datasets: [
          {
            label: 'waiting (from LOA or as_of to first delivery)',
            backgroundColor: GREY,
            data: rows.map(function (r) { return [r.start, r.first === null ? T.end : r.first]; })
          },
          {
            label: 'delivering (first delivery to completion)',
            backgroundColor: rows.map(function (r) { return r.color || tierColor(r.tier); }),
            data: rows.map(function (r) {
              return r.first === null ? null : [r.first, r.done === null ? T.end : r.done + 1];
            })
          }
        ]
      },
      options: {
        indexAxis: 'y',
        grouped: false,
        datasets: { bar: { grouped: false, barPercentage: 0.8 } },
        scales: {
          x: {
            min: T.first, max: T.end,
            ticks: { callback: function (v) { return month(v); }, stepSize: 12 },
            title: { display: true, text: 'month (' + T.policy + ' plan; the horizon ends ' + month(T.end - 1) + ')' }
          },
          y: { ticks: { autoSkip: false, font: { size: 11 } } }
        },
        plugins: {
          // The legend names the marks as drawn: grey waiting, then one
          // entry per tier colour (or the single delivering colour).
          legend: {
            labels: {
              generateLabels: function () {
                var items = [{ text: 'waiting (LOA or start of plan to first delivery)', fillStyle: GREY, strokeStyle: GREY, lineWidth: 0 }];
                if (byTier) {
                  for (var k = 1; k <= data.meta.tiers; k++)
                    items.push({ text: 'delivering, tier ' + k, fillStyle: tierColor(k), strokeStyle: tierColor(k), lineWidth: 0 });
                } else {
                  items.push({ text: 'delivering (first delivery to completion)', fillStyle: POLICY[T.policy], strokeStyle: POLICY[T.policy], lineWidth: 0 });
                }
                items.push({ text: 'bars end at the horizon (' + month(T.end - 1) + ') when not complete', fillStyle: 'rgba(0,0,0,0)', strokeStyle: 'rgba(0,0,0,0)', lineWidth: 0 });
                return items;
              }
            }
          },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                var r = rows[ctx.dataIndex], v = ctx.raw;
                if (!v) return '';
                return ctx.dataset.label.split(' (')[0] + ': ' + month(v[0]) + ' .. ' +
                  (r.done === null && ctx.datasetIndex === 1 ? 'after ' + month(T.end - 1) : month(v[1] - (ctx.datasetIndex ? 1 : 0))) +
                  (r.units ? ' (' + r.units + ' units)' : '');
              }
            }
          }
        }
      }
    };
    return chart(id, cfg);
  }

  function timelines() {
    var T = data.timelines;
    var over = T.systems.slice(0, 30).map(function (s) {
      return { label: (s.name || s.id) + ' (' + usd(s.open_value) + ')', start: s.start, first: s.first, done: s.done, color: POLICY[T.policy], units: s.open_units };
    });
    gantt('c-gantt', over, null, false);
    var sel = document.getElementById('sel-system');
    T.systems.forEach(function (s, i) {
      sel.appendChild(el('option', { value: String(i) }, s.name + ' (' + s.id + ', ' + s.orders.length + ' orders)'));
    });
    var detail = null;
    function show(i) {
      var s = T.systems[i];
      var rows = s.orders.map(function (o) {
        return { label: o.id + ' ' + (o.name || o.iso3) + ' (tier ' + o.tier + ')', start: o.start, first: o.first, done: o.done, tier: o.tier, units: o.units };
      });
      if (detail) { charts.splice(charts.indexOf(detail), 1); detail.destroy(); }
      detail = gantt('c-gantt-system', rows, null, true);
    }
    sel.addEventListener('change', function () { show(Number(sel.value)); });
    if (T.systems.length) show(0);
  }

  // One partner's deliveries under both policies: cumulative units by
  // month, nothing past the horizon (later units are in the legend).
  function partner() {
    var P = data.partner;
    if (!P) return;
    document.querySelector('#partner h2').textContent =
      'Deliveries to ' + P.name + ' (' + P.iso3 + ') under each policy';
    chart('c-partner', {
      type: 'line',
      data: {
        labels: P.months.map(month),
        datasets: P.series.map(function (s) {
          return {
            label: s.policy + ': ' + s.in_horizon.toLocaleString('en-US') + ' units by ' +
              month(P.months[P.months.length - 1]) + ', ' + s.after_horizon.toLocaleString('en-US') +
              ' after the horizon',
            data: s.units, borderColor: POLICY[s.policy], backgroundColor: POLICY[s.policy],
            borderDash: POLICY_DASH[s.policy] || [], pointRadius: 0, borderWidth: 2
          };
        })
      },
      options: {
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { ticks: { maxTicksLimit: 16 }, title: { display: true, text: 'month of delivery' } },
          y: { beginAtZero: true, title: { display: true, text: 'units delivered since ' + data.meta.as_of + ' (cumulative)' } }
        }
      }
    });
  }

  function backlog() {
    var B = data.backlog;
    chart('c-backlog', {
      type: 'line',
      data: {
        labels: B.months.map(month),
        datasets: B.series.map(function (s) {
          return {
            label: s.policy + ', tier ' + s.tier, data: s.units,
            borderColor: tierColor(s.tier), backgroundColor: tierColor(s.tier),
            borderDash: POLICY_DASH[s.policy] || [], pointRadius: 0, borderWidth: 2
          };
        })
      },
      options: {
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { ticks: { maxTicksLimit: 16 }, title: { display: true, text: 'month (end of)' } },
          y: { beginAtZero: true, title: { display: true, text: 'units not yet delivered' } }
        }
      }
    });
  }

  function compare() {
    var C = data.compare;
    if (!C) return;
    chart('c-compare', {
      type: 'bar',
      data: {
        labels: C.groups.map(function (g) { return g.label; }),
        datasets: C.policies.map(function (p, k) {
          return {
            label: 'mean wait, ' + p, backgroundColor: POLICY[p],
            data: C.groups.map(function (g) { return g.mean_wait[k]; })
          };
        })
      },
      options: {
        scales: {
          x: { title: { display: true, text: 'tier, then region' } },
          y: { beginAtZero: true, title: { display: true, text: 'mean wait, months' } }
        }
      }
    });
  }

  // A USD sum of known unit costs that leaves units of unknown cost out is
  // a lower bound, as allot_style_usd_sum writes it:
  // ">= USD 1.2 billion (+40 units of unknown cost)" (docs/allocation.md).
  function usdSum(v, units) {
    if (v === null || v === undefined) return STYLE.symbols.unknown;
    if (!units) return usd(v);
    var what = units.toLocaleString('en-US') + ' unit' + (units === 1 ? '' : 's') + ' of unknown cost';
    return v === 0 ? STYLE.symbols.unknown + ' (' + what + ')' : '>= ' + usd(v) + ' (+' + what + ')';
  }

  function metrics() {
    var M = data.metrics;
    if (!M) return;
    // Each USD series with the units of unknown cost its sums leave out:
    // the legend says the series is of known unit costs (a lower bound
    // where units are left out) and the tooltip reads ">= USD ...".
    function series(label, note, values, unknown) {
      var lower = (unknown || []).some(function (u) { return u > 0; });
      return {
        label: label + ' (USD billion' + (lower ? ' of known unit costs, a lower bound (>=) where units of unknown cost are left out' : '') + (note ? '; ' + note : '') + ')',
        name: label, data: values, unknown: unknown
      };
    }
    var sets = [
      series('value delivered', 'none drawn before the plan: not dated', M.value_delivered, M.value_delivered_unknown_cost_units),
      series('LOA value signed', 'an LOA dated only by year counts in Q1', M.loa_value, M.loa_unknown_cost_units),
      series('backlog value at quarter end', '', M.backlog_value, M.backlog_unknown_cost_units)
    ];
    sets[0].type = 'bar'; sets[0].backgroundColor = POLICY.priority; sets[0].yAxisID = 'y';
    sets[1].type = 'bar'; sets[1].backgroundColor = TIER[1]; sets[1].yAxisID = 'y';
    sets[2].type = 'line'; sets[2].borderColor = TIER[2]; sets[2].backgroundColor = TIER[2];
    sets[2].pointRadius = 0; sets[2].spanGaps = false; sets[2].yAxisID = 'y2';
    chart('c-metrics', {
      type: 'bar',
      data: { labels: M.quarters, datasets: sets },
      options: {
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { ticks: { maxTicksLimit: 20 }, title: { display: true, text: 'calendar quarter' } },
          y: { beginAtZero: true, position: 'left', title: { display: true, text: 'USD billion per quarter' } },
          y2: { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: 'backlog, USD billion' } }
        },
        plugins: { tooltip: { callbacks: { label: function (ctx) {
          var u = ctx.dataset.unknown ? ctx.dataset.unknown[ctx.dataIndex] : 0;
          return ctx.dataset.name + ': ' + usdSum(ctx.raw === null ? null : ctx.raw * 1e9, u);
        } } } }
      }
    });
  }

  function minerals() {
    var N = data.minerals;
    var H = N.horizon;
    var colors = ['#c0392b', '#1b6ca8', '#e08e0b', '#8e44ad', '#16a085', '#7f8c8d'];
    chart('c-minerals', {
      type: 'bar',
      data: {
        labels: N.rows.map(function (r) { return r.name || r.id; }),
        datasets: N.cases.map(function (c, k) {
          return {
            label: c, backgroundColor: colors[k % colors.length],
            data: N.rows.map(function (r) { return r.cover[k] === null ? H : r.cover[k]; })
          };
        })
      },
      options: {
        scales: {
          x: { title: { display: true, text: 'mineral' } },
          y: { beginAtZero: true, max: H, title: { display: true, text: 'months of cover (top: ' + STYLE.symbols.whole_horizon + ', ' + H + ' months)' } }
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: function (ctx) {
                var v = N.rows[ctx.dataIndex].cover[ctx.datasetIndex];
                return ctx.dataset.label + ': ' + (v === null ? STYLE.symbols.whole_horizon + ' (' + H + ' months)' : v + ' months');
              }
            }
          }
        }
      }
    });
  }

  // The reserve: months of cover per mineral before and after the purchase
  // (a full bar: does not bind within the window), and units delivered in
  // the window by tier without and with it.
  function reserve() {
    var R = data.reserve;
    if (!R) return;
    var W = R.window;
    chart('c-reserve-cover', {
      type: 'bar',
      data: {
        labels: R.minerals,
        datasets: [
          { label: 'without the reserve', backgroundColor: POLICY.fcfs, data: R.cover_before },
          { label: 'with the recommended purchase', backgroundColor: POLICY.priority, data: R.cover_after }
        ]
      },
      options: {
        scales: {
          x: { title: { display: true, text: 'mineral' } },
          y: { beginAtZero: true, max: W, title: { display: true, text: 'months of cover (top: the window)' } }
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: function (ctx) {
                var v = ctx.raw;
                return ctx.dataset.label + ': ' + (v >= W ? 'does not bind within the window (' + W + ' months)' : v + ' months');
              },
              footer: function (items) {
                var kg = R.kg[items[0].dataIndex];
                return kg > 0 ? 'bought: ' + kg.toLocaleString('en-US', { maximumFractionDigits: 3 }) + ' kg' : 'bought: none';
              }
            }
          }
        }
      }
    });
    // The economy's scale: days of cover by consumer group, before (pale)
    // and after (full colour) the purchase, each group in its colour of the
    // one style (STYLE.group, as the dashboard's reserve view draws it).
    var E = R.economy;
    if (E && E.groups.length) {
      var GC = E.groups.map(function (g) { return STYLE.group[g.group]; });
      chart('c-reserve-groups', {
        type: 'bar',
        data: {
          labels: E.groups.map(function (g) { return g.group; }),
          datasets: [
            { label: 'days short (the embargo, summed over minerals)', backgroundColor: GREY, data: E.groups.map(function (g) { return g.days_short; }) },
            { label: 'covered before the purchase', backgroundColor: GC.map(function (c) { return c + '66'; }), data: E.groups.map(function (g) { return g.before; }) },
            { label: 'covered after the purchase', backgroundColor: GC, data: E.groups.map(function (g) { return g.after; }) }
          ]
        },
        options: {
          scales: {
            x: { title: { display: true, text: 'consumer group' } },
            y: { beginAtZero: true, title: { display: true, text: 'days of cover, summed over the minerals short' } }
          }
        }
      });
    }
    chart('c-reserve-tiers', {
      type: 'bar',
      data: {
        labels: R.tiers.map(function (t) { return 'tier ' + t; }),
        datasets: [
          { label: 'without the reserve', backgroundColor: POLICY.fcfs, data: R.units_without },
          { label: 'with the recommended purchase', backgroundColor: POLICY.priority, data: R.units_with }
        ]
      },
      options: {
        scales: {
          x: { title: { display: true, text: 'partner tier' } },
          y: { beginAtZero: true, title: { display: true, text: 'units delivered by ' + R.last } }
        }
      }
    });
  }

  // Storylines: per storyline, USD delivered by the year without and with
  // its changes for the partners whose value changes most.
  function storylines() {
    (data.storylines || []).forEach(function (S, i) {
      if (!S.labels.length) return;
      chart('c-story-' + i, {
        type: 'bar',
        data: {
          labels: S.labels,
          // known unit costs; a partner's bar leaves its units of unknown
          // cost out (a lower bound: the tooltip says ">= ... (+N units)")
          datasets: [
            { label: 'without the changes', backgroundColor: 'rgba(127,140,141,0.6)', data: S.without, unknown: S.without_unknown_cost_units },
            { label: 'with the changes', backgroundColor: '#1b6ca8', data: S['with'], unknown: S.with_unknown_cost_units }
          ]
        },
        options: {
          scales: { y: { beginAtZero: true, ticks: { callback: function (v) { return usd(v); } },
            title: { display: true, text: 'USD delivered by the end of ' + S.year +
              (S.without_unknown_cost_units.concat(S.with_unknown_cost_units).some(function (u) { return u > 0; })
                ? ' (known unit costs; >= where units of unknown cost are left out)' : '') } } },
          plugins: { tooltip: { callbacks: { label: function (ctx) {
            return ctx.dataset.label + ': ' + usdSum(ctx.raw, ctx.dataset.unknown[ctx.dataIndex]);
          } } } }
        }
      });
    });
  }

  function tableById(id) {
    return data.tables.filter(function (t) { return t.id === id; })[0];
  }
  // Sums a table's value column per key column, largest first: [key, known
  // sum, units of unknown cost] (a row whose value is not a number, "unknown",
  // is an order or system of unknown unit cost: its units are counted apart,
  // never as 0).
  function sumBy(t, keyCol, valCol, uniqueCol, unitsCol) {
    var k = t.columns.indexOf(keyCol), v = t.columns.indexOf(valCol);
    var u = uniqueCol ? t.columns.indexOf(uniqueCol) : -1, n = t.columns.indexOf(unitsCol);
    var sums = {}, unknown = {}, seen = {};
    t.rows.forEach(function (r) {
      if (u >= 0) { if (seen[r[u]]) return; seen[r[u]] = true; }
      var known = typeof r[v] === 'number';
      sums[r[k]] = (sums[r[k]] || 0) + (known ? r[v] : 0);
      unknown[r[k]] = (unknown[r[k]] || 0) + (!known && n >= 0 ? r[n] || 0 : 0);
    });
    return Object.keys(sums).map(function (key) { return [key, sums[key], unknown[key]]; })
      .sort(function (a, b) { return b[1] - a[1]; });
  }
  function hbar(id, pairs, label, color) {
    var box = document.getElementById(id).parentNode;
    box.style.height = Math.max(160, 24 * pairs.length + 70) + 'px';
    var lower = pairs.some(function (p) { return p[2] > 0; });
    chart(id, {
      type: 'bar',
      data: {
        labels: pairs.map(function (p) { return p[0]; }),
        datasets: [{ label: label, backgroundColor: color, data: pairs.map(function (p) { return p[1] / 1e9; }) }]
      },
      options: {
        indexAxis: 'y',
        scales: { x: { beginAtZero: true, title: { display: true, text: 'USD billion' +
                    (lower ? ' (known unit costs; >= where units of unknown cost are left out)' : '') } },
                  y: { ticks: { autoSkip: false } } },
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: function (ctx) {
          return usdSum(pairs[ctx.dataIndex][1], pairs[ctx.dataIndex][2]);
        } } } }
      }
    });
  }
  function risk() {
    hbar('c-risk', sumBy(tableById('risk'), 'alternative', 'value_usd', null, 'units'),
      'value at risk by foreign alternative (USD billion)', TIER[2]);
  }
  function opportunities() {
    var names = {};
    data.timelines.systems.forEach(function (s) { names[s.id] = s.name; });
    var pairs = sumBy(tableById('opportunities'), 'system_id', 'value_usd', 'system_id', 'unsold_units')
      .map(function (p) { return [names[p[0]] || p[0], p[1], p[2]]; });
    hbar('c-opportunities', pairs, 'unsold capacity at unit cost (USD billion)', STYLE.criterion.economic);
  }

  function run(name, f) {
    try {
      f();
    } catch (e) {
      console.error('allot report: ' + name + ': ' + e.message);
      throw e;
    }
  }

  run('tables', function () { data.tables.forEach(renderTable); });
  run('leaderboard', leaderboard);
  run('timelines', timelines);
  run('partner', partner);
  run('backlog', backlog);
  run('compare', compare);
  run('metrics', metrics);
  run('minerals', minerals);
  run('reserve', reserve);
  run('risk', risk);
  run('opportunities', opportunities);
  run('storylines', storylines);
  window.allotReport = { ready: true, charts: charts };
})();
