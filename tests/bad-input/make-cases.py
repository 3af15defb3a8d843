#!/usr/bin/env python3
"""make-cases.py - writes the inputs of the bad-input catalogue.

Each case is tests/bad-input/<NN-name>/ holding, over a copy of
tests/data/scenarios/tiny:
  files/<name>   files that replace (or add to) tiny's
  remove         names of tiny's files to delete, one a line
  gen            a shell script run in the scenario copy to generate files too
                 big to commit (run.sh runs it with sh, cwd = the copy)
  exit           the expected exit status (2 when absent)
  expected       the exact stderr of `allot import scenario --db store.db
                 --replace`, run in the copy's parent directory; written by
                 run.sh --regen and then checked by hand
This script writes everything but `expected`.  It is kept so the inputs can
be read as one list; the committed case folders are the catalogue.
"""
import os, shutil, sys

HERE = os.path.dirname(os.path.abspath(__file__))
TINY = os.path.join(HERE, '..', 'data', 'scenarios', 'tiny')

def tiny(name):
    with open(os.path.join(TINY, name), 'rb') as f:
        return f.read()

def sub(name, old, new, count=1):
    t = tiny(name)
    old = old.encode() if isinstance(old, str) else old
    new = new.encode() if isinstance(new, str) else new
    assert old in t, (name, old)
    return t.replace(old, new, count)

cases = []
def case(name, files=None, remove=(), gen=None, exit=None):
    cases.append((name, files or {}, remove, gen, exit))

O = 'orders.csv'; P = 'partners.csv'; L = 'lines.csv'; S = 'systems.csv'
M = 'minerals.csv'; U = 'supply.csv'; B = 'bom.csv'; E = 'events.csv'
I = 'investments.csv'; X = 'embargoes.csv'; J = 'scenario.json'; Y = 'policy.json'

# --- encodings, byte order marks, line ends ---------------------------------
case('latin1-partner-name', {P: sub(P, 'Poland', b'Pol\xf3nia')})
case('utf16le-orders', {O: b'\xff\xfe' + tiny(O).decode().encode('utf-16-le')})
case('utf16be-scenario-json', {J: b'\xfe\xff' + tiny(J).decode().encode('utf-16-be')})
case('latin1-json-notes', {J: sub(J, 'ünïcode', b'\xfcn\xefcode')})
case('overlong-utf8-line-name', {L: sub(L, 'PAC-3 MSE', b'PAC\xc0\xaf3')})
case('surrogate-utf8-system-name', {S: sub(S, 'GMLRS unitary', b'GMLRS \xed\xa0\x80')})
case('bom-in-middle-iso3', {P: sub(P, '\nJPN,', '\n\ufeffJPN,')})
case('bom-in-scenario-json-accepted', {J: b'\xef\xbb\xbf' + tiny(J), Y: b'\xef\xbb\xbf' + tiny(Y)}, exit=0)
case('nul-byte-in-order-id', {O: sub(O, 'JPN-1', b'JPN\x00-1')})
case('nul-byte-in-json', {J: sub(J, '"as_of"', b'"as\x00of"')})
case('bom-in-orders-accepted', {O: b'\xef\xbb\xbf' + tiny(O)}, exit=0)
case('crlf-everywhere-accepted',
     {n: tiny(n).replace(b'\n', b'\r\n') for n in (O, P, L, S, M, U, B, E, I, X, J, Y)}, exit=0)
case('bom-and-crlf-accepted', {P: b'\xef\xbb\xbf' + tiny(P).replace(b'\n', b'\r\n')}, exit=0)
case('bare-cr-line-ends-accepted', {L: tiny(L).replace(b'\n', b'\r')}, exit=0)

# --- CSV structure -----------------------------------------------------------
case('ragged-short-row', {O: sub(O, 'JPN-1,JPN,PAC3-MSE,30,0,2024-02,,', 'JPN-1,JPN,PAC3-MSE,30,0,2024-02,')})
case('ragged-long-row', {O: sub(O, 'BRA-1,BRA,GMLRS-U,10,0,2025-12,,', 'BRA-1,BRA,GMLRS-U,10,0,2025-12,,,')})
case('unclosed-quote', {P: tiny(P) + b'USA,"United States,americas,nato,0,3.4,2,0,0,0,0,\n'})
case('quote-inside-field', {S: sub(S, 'Patriot PAC-3 MSE', 'Patriot "PAC-3" MSE')})
case('text-after-closing-quote', {L: sub(L, 'GMLRS,GMLRS,', 'GMLRS,"GMLRS" rockets,')})
case('empty-orders-file', {O: b''})
case('header-only-partners', {P: tiny(P).split(b'\n')[0] + b'\n'})
case('empty-scenario-json', {J: b''})
case('missing-orders', remove=[O])
case('missing-scenario-json', remove=[J])
case('missing-named-policy', remove=[Y])
case('unknown-column', {O: sub(O, 'partner_rank\n', 'partner_rank,priority\n').replace(b',1\n', b',1,high\n').replace(b',,\n', b',,,\n').replace(b',2\n', b',2,\n')})
case('duplicate-column', {L: sub(L, 'us_share', 'rate_per_month')})
case('missing-required-column', {S: b'system_id,name\nPAC3-MSE,Patriot\nGMLRS-U,GMLRS\n'})
case('header-wrong-case', {M: sub(M, 'mineral_id', 'Mineral_ID')})
case('semicolon-separated', {U: tiny(U).replace(b',', b';')})
case('tab-separated', {B: tiny(B).replace(b',', b'\t')})

# --- numbers -----------------------------------------------------------------
case('qty-twenty-nines', {O: sub(O, ',48,12,', ',99999999999999999999,12,')})
case('qty-1e400', {O: sub(O, ',30,0,', ',1e400,0,')})
case('qty-negative', {O: sub(O, ',10,0,', ',-10,0,')})
case('qty-fraction', {O: sub(O, ',600,100,', ',600.5,100,')})
case('qty-zero', {O: sub(O, ',10,0,', ',0,0,')})
case('qty-hex', {O: sub(O, ',30,0,', ',0x1E,0,')})
case('qty-with-space', {O: sub(O, ',48,12,', ', 48,12,')})
case('delivered-over-qty', {O: sub(O, ',48,12,', ',48,49,')})
case('rate-nan', {L: sub(L, ',50,', ',nan,')})
case('rate-inf', {L: sub(L, ',333.33,', ',inf,')})
case('rate-1e400', {L: sub(L, ',50,', ',1e400,')})
case('us-share-above-one', {L: sub(L, ',0.4\n', ',1.5\n')})
case('stock-over-limit', {M: sub(M, ',40000,', ',1e13,')})
case('comma-decimal', {P: sub(P, ',4.12,', ',"4,12",')})
case('basing-access-4', {P: sub(P, ',53700,3,', ',53700,4,')})
case('frontline-yes', {P: sub(P, 'nato,1,', 'nato,yes,')})
case('lead-months-1201', {S: sub(S, ',24,1,1,', ',1201,1,1,')})
case('partner-rank-zero', {O: sub(O, '2027-01,1\n', '2027-01,0\n')})
case('kg-per-unit-negative', {B: sub(B, ',2.5', ',-2.5')})
case('cost-empty-string-number', {S: sub(S, ',168000,', ',$168000,')})

# --- months --------------------------------------------------------------------
case('month-13', {O: sub(O, '2023-09', '2026-13')})
case('month-00', {O: sub(O, '2024-02', '2024-00')})
case('month-one-digit', {E: sub(E, '2026-03', '2026-3')})
case('month-year-999', {I: sub(I, '2026-04', '0999-04')})
case('month-full-date', {X: sub(X, '2025-01', '2025-01-15')})
case('as-of-month-13', {J: sub(J, '"2026-01"', '"2026-13"')})
case('switch-month-number', {J: sub(J, '"2026-07"', '202607')})
case('horizon-zero', {J: sub(J, '36', '0')})
case('horizon-1201', {J: sub(J, '36', '1201')})
case('horizon-string', {J: sub(J, '36', '"36"')})
case('horizon-fraction', {J: sub(J, '36', '36.5')})
case('need-month-words', {O: sub(O, '2026-06', 'soon')})
case('online-before-month', {I: sub(I, '2028-01', '2026-01')})
case('embargo-end-before-start', {X: sub(X, '2027-12', '2026-12')})

# --- references and keys ---------------------------------------------------------
case('unknown-partner', {O: sub(O, 'BRA-1,BRA', 'BRA-1,BRZ')})
case('unknown-system', {O: sub(O, 'JPN-1,JPN,PAC3-MSE', 'JPN-1,JPN,PAC2')})
case('unknown-line', {S: sub(S, ',GMLRS,168000', ',HIMARS,168000')})
case('unknown-mineral-bom', {B: sub(B, ',W,', ',Wo,')})
case('unknown-mineral-supply', {U: sub(U, 'W,allied', 'TI,allied')})
case('duplicate-order-id', {O: sub(O, 'BRA-1,', 'JPN-1,')})
case('duplicate-iso3', {P: sub(P, 'BRA,', 'POL,')})
case('duplicate-bom-row', {B: tiny(B) + b'PAC3-MSE,GA,1\n'})
case('iso3-lower-case', {P: sub(P, 'SAU,', 'sau,')})
case('iso3-two-letters', {P: sub(P, 'JPN,', 'JP,')})
case('mineral-id-star', {M: sub(M, 'W,Tungsten', '*,Tungsten')})
case('empty-order-id', {O: sub(O, 'SAU-1,', ',')})
case('empty-required-line-rate', {L: sub(L, ',50,', ',,')})
case('unknown-references-cascade', {L: tiny(L).replace(b'PAC3,', b'PAC-3,')})

# --- events: contradictions and unknowns ----------------------------------------------
case('event-unknown-type', {E: sub(E, 'budget_cap', 'budget')})
case('event-eum-unknown-status', {E: sub(E, ',compliant', ',sanctioned')})
case('event-eum-empty-status', {E: sub(E, ',compliant', ',')})
case('event-capacity-negative', {E: sub(E, ',65', ',-65')})
case('event-weight-unknown-criterion', {E: sub(E, 'weight,growth', 'weight,speed')})
case('event-weight-negative', {E: sub(E, ',0.2\n', ',-0.2\n')})
case('event-unknown-line', {E: sub(E, 'capacity,PAC3', 'capacity,THAAD')})
case('event-us-share-two', {E: sub(E, ',0.3\n', ',2\n')})
case('event-budget-cap-unknown-partner', {E: sub(E, 'budget_cap,SAU', 'budget_cap,USA')})
case('event-month-13', {E: sub(E, '2026-09', '2026-13')})
case('event-target-is-partner-for-line', {E: sub(E, 'us_share,GMLRS', 'us_share,POL')})

# --- JSON ---------------------------------------------------------------------------
case('json-duplicate-key', {J: sub(J, '"horizon_months": 36,', '"horizon_months": 36,\n  "horizon_months": 48,')})
case('json-trailing-comma', {J: sub(J, 'ünïcode."\n', 'ünïcode.",\n')})
case('json-unknown-key', {J: sub(J, '"notes"', '"note"')})
case('json-array-not-object', {J: b'["2026-01", 36]\n'})
case('json-nul-escape-in-notes', {J: sub(J, 'ünïcode.', 'a\\u0000b')})
case('json-comment', {J: b'// scenario\n' + tiny(J)})
case('json-single-quotes', {J: sub(J, '"as_of": "2026-01"', "'as_of': '2026-01'")})
case('json-nan', {Y: sub(Y, '"target_pct": 5', '"target_pct": NaN')})
case('json-huge-number', {Y: sub(Y, '"target_pct": 5', '"target_pct": 1e400')})
case('policy-unknown-key', {Y: sub(Y, '"troops_ref"', '"troop_ref"')})
case('policy-negative-weight', {Y: sub(Y, '"growth": 0.1', '"growth": -0.1')})
case('policy-weight-string', {Y: sub(Y, '"economic": 0.15', '"economic": "0.15"')})
case('policy-tiers-increasing', {Y: sub(Y, '[65, 40]', '[40, 65]')})
case('policy-too-many-tiers', {Y: sub(Y, '[65, 40]', '[90, 80, 70, 60, 50, 40, 30, 20]')})
case('policy-duplicate-region', {Y: sub(Y, '"americas": 0.3,', '"americas": 0.3,\n      "americas": 0.4,')})
case('policy-path-traversal', {J: sub(J, '"policy.json"', '"../policy.json"')})
case('policy-is-a-csv-file', {J: sub(J, '"policy.json"', '"orders.csv"')})
case('json-deep-nesting', gen='python3 -c "import sys; sys.stdout.write(\'{\\"as_of\\": \\"2026-01\\", \\"notes\\": \' + \'[\' * 5000 + \']\' * 5000 + \'}\')" > scenario.json\n')

# --- limits (generated at test time) ----------------------------------------------------
case('line-100mb',
     gen="{ cat orders.csv; printf 'BIG-1,POL,PAC3-MSE,1,0,2024-01,,'; head -c 100000000 /dev/zero | tr '\\0' ,; printf '\\n'; } > o.tmp && mv o.tmp orders.csv\n")
case('field-100mb',
     gen="{ cat orders.csv; printf 'BIG-1,POL,PAC3-MSE,1,0,2024-01,,'; head -c 100000000 /dev/zero | tr '\\0' x; printf '\\n'; } > o.tmp && mv o.tmp orders.csv\n")
case('field-over-64kib',
     gen="{ cat partners.csv; printf 'USA,\"'; head -c 65537 /dev/zero | tr '\\0' n; printf '\",americas,,0,0,0,0,0,0,0,\\n'; } > p.tmp && mv p.tmp partners.csv\n")
case('json-over-16mib',
     gen="{ printf '{\"as_of\": \"2026-01\", \"notes\": \"'; head -c 17000000 /dev/zero | tr '\\0' n; printf '\"}\\n'; } > scenario.json\n")
case('more-than-50-errors',
     gen="{ cat orders.csv; i=0; while [ $i -lt 60 ]; do echo \"X-$i,POL,PAC3-MSE,-1,0,2024-01,,\"; i=$((i+1)); done; } > o.tmp && mv o.tmp orders.csv\n")

# --- numeric ranges (lib/ranges.c, docs/limits.md) --------------------------------
case('rate-1e16', {L: sub(L, ',50,0.4', ',1e16,0.4')})
case('added-rate-1e308', {I: sub(I, ',5,2028-01', ',1e308,2028-01')})
case('capacity-event-above-range', {E: sub(E, 'capacity,PAC3,65', 'capacity,PAC3,1000000001')})
case('qty-2-pow-53', {O: sub(O, ',48,12,', ',9007199254740992,12,')})
case('qty-one-past-range', {O: sub(O, ',48,12,', ',1000000001,12,')})
case('unit-cost-above-range', {S: sub(S, ',4100000,', ',1e13,')})
case('budget-cap-above-range', {E: sub(E, 'budget_cap,SAU,1500000000', 'budget_cap,SAU,2e15')})
case('supply-kg-above-range', {U: sub(U, ',800', ',9000000000001')})
case('policy-weight-1e308', {Y: sub(Y, '"investment": 0.3', '"investment": 1e308')})
case('policy-theater-weight-above-range', {Y: sub(Y, '"americas": 0.3', '"americas": 1000001')})
case('policy-tier-threshold-150', {Y: sub(Y, '[65, 40]', '[150, 40]')})
case('weight-events-zero-all-five', {E: sub(E, '2026-09,weight,growth,0.2\n',
     ''.join('2026-09,weight,%s,0\n' % k for k in ('investment', 'growth', 'geography', 'operations', 'economic')))})
case('horizon-past-year-9999', {J: sub(J, '"as_of": "2026-01"', '"as_of": "9999-01"')})
case('as-of-before-1900', {J: sub(J, '"as_of": "2026-01"', '"as_of": "1899-12"')})
case('switch-month-after-horizon', {J: sub(J, '"switch_month": "2026-07"', '"switch_month": "2029-01"')})
case('defense-pct-above-100', {P: sub(P, ',1,4.12,', ',1,100.5,')})
case('growth-below-minus-100', {P: sub(P, ',3.5,10000,', ',-101,10000,')})

# --- special files and blank lines ---------------------------------------------
case('orders-is-a-fifo', gen='rm -f orders.csv && mkfifo orders.csv\n')
case('policy-is-a-fifo', gen='rm -f policy.json && mkfifo policy.json\n')
case('scenario-json-is-a-fifo', gen='rm -f scenario.json && mkfifo scenario.json\n')
case('orders-is-a-directory', gen='rm -f orders.csv && mkdir orders.csv\n')
case('orders-is-a-device', gen='rm -f orders.csv && ln -s /dev/null orders.csv\n')
case('blank-lines-300kib-accepted', exit=0,
     gen="{ head -n 2 orders.csv; head -c 300000 /dev/zero | tr '\\0' '\\n'; tail -n +3 orders.csv; } > o.tmp && mv o.tmp orders.csv\n")
case('crlf-blank-lines-2mib-accepted', exit=0,
     gen="{ head -n 1 lines.csv; i=0; while [ $i -lt 16 ]; do head -c 65536 /dev/zero | tr '\\0' '\\n' | sed 's/$/\\r/'; i=$((i+1)); done; tail -n +2 lines.csv; } > l.tmp && mv l.tmp lines.csv\n")
# --- system events (catalog, eeum, min_tier) ------------------------------------
case('event-catalog-two', {E: tiny(E) + b'2026-07,catalog,PAC3-MSE,2\n'})
case('event-min-tier-nine', {E: tiny(E) + b'2026-07,min_tier,GMLRS-U,9\n'})
case('event-eeum-unknown-system', {E: tiny(E) + b'2026-07,eeum,THAAD,1\n'})
case('event-min-tier-fraction', {E: tiny(E) + b'2026-07,min_tier,GMLRS-U,1.5\n'})
# --- the orders' delivery pace (max_per_month, docs/allocation.md) -------------
def pace(bad):
    rows = tiny(O).decode().splitlines()
    cells = ['max_per_month', '4', bad, '', '']
    return ''.join('%s,%s\n' % (r, c) for r, c in zip(rows, cells)).encode()
case('max-per-month-zero', {O: pace('0')})
case('max-per-month-negative', {O: pace('-3')})
case('max-per-month-fraction', {O: pace('2.5')})
case('max-per-month-one-past-range', {O: pace('1000000001')})
case('max-per-month-words', {O: pace('ten')})
# --- the orders' earliest delivery (not_before, docs/allocation.md) ------------
def not_before(bad):
    rows = tiny(O).decode().splitlines()
    cells = ['not_before', '2027-01', bad, '', '']
    return ''.join('%s,%s\n' % (r, c) for r, c in zip(rows, cells)).encode()
case('not-before-month-13', {O: not_before('2027-13')})
case('not-before-words', {O: not_before('soon')})

def main():
    for n, (name, files, remove, gen, exit) in enumerate(cases, 1):
        d = os.path.join(HERE, '%02d-%s' % (n, name))
        if os.path.isdir(os.path.join(d, 'files')):
            shutil.rmtree(os.path.join(d, 'files'))
        os.makedirs(d, exist_ok=True)
        for fn, data in files.items():
            os.makedirs(os.path.join(d, 'files'), exist_ok=True)
            with open(os.path.join(d, 'files', fn), 'wb') as f:
                f.write(data)
        for extra, val in (('remove', remove and '\n'.join(remove) + '\n'),
                           ('gen', gen), ('exit', exit is not None and '%d\n' % exit)):
            p = os.path.join(d, extra)
            if val:
                with open(p, 'w') as f:
                    f.write(val)
            elif os.path.exists(p):
                os.remove(p)
    print('%d cases' % len(cases))

if __name__ == '__main__':
    main()
