#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that docs/netlink/safeline.yaml (YNL genetlink-c) and
kernel/uapi/linux/safeline.h describe the same protocol.

The header is the source of truth. From the spec we derive every C name and
value the YNL generator would emit (Documentation/userspace-api/netlink/
c-code-gen.rst) and compare them with what the header really defines; each
mismatch is shown as a diff. Prints KTAP; exits 0 pass, 1 fail, 4 skip.

Usage: check-uapi-spec.py [--header FILE] [--spec FILE]
"""

import argparse
import copy
import difflib
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def c_name(name):
    return name.upper().replace('-', '_')


# ---- the header: #defines and enums, evaluated like the compiler would

def strip_comments(text):
    text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
    return re.sub(r'//[^\n]*', ' ', text)


def c_eval(expr, known):
    """Evaluate a C integer expression made of numbers, known names and + - << | ( )."""
    expr = re.sub(r'\b(0x[0-9a-fA-F]+|[0-9]+)[uUlL]*\b', r'\1', expr.strip())
    if not re.fullmatch(r'[\w\s()+\-|<>]*', expr):
        raise ValueError('cannot evaluate %r' % expr)
    names = {n: v for n, v in known.items() if isinstance(v, int)}
    return int(eval(expr, {'__builtins__': {}}, names))  # pylint: disable=eval-used


def parse_header(text):
    """Return (defines: name -> int|str, enums: list of (tag, [(name, value)]))."""
    text = strip_comments(text)
    known, defines, enums = {}, {}, []
    for m in re.finditer(r'enum\s*(\w*)\s*\{(.*?)\}\s*;', text, flags=re.S):
        tag, members, value = m.group(1) or None, [], -1
        for item in filter(None, (s.strip() for s in m.group(2).split(','))):
            name, _, expr = item.partition('=')
            name = name.strip()
            value = c_eval(expr, known) if expr.strip() else value + 1
            known[name] = value
            members.append((name, value))
        enums.append((tag, members))
    for m in re.finditer(r'^[ \t]*#define[ \t]+(\w+)[ \t]+(.+)$', text, flags=re.M):
        name, body = m.group(1), m.group(2).strip()
        if name.startswith('_UAPI_'):
            continue
        if body.startswith('"'):
            defines[name] = body.strip('"')
        else:
            defines[name] = c_eval(body, known)
        known[name] = defines[name]
    return defines, enums


# ---- the spec: the names and values YNL would generate

class Expected:
    """One C enum as the spec describes it."""

    def __init__(self, what, tag, members, max_name=None, cnt_name=None,
                 max_by_define=False, extra_ok=None):
        self.what, self.tag, self.members = what, tag, members
        self.max_name, self.cnt_name = max_name, cnt_name
        self.max_by_define = max_by_define
        self.extra_ok = extra_ok or (lambda name: False)


def numbered(entries, start):
    out, value = [], start - 1
    for e in entries:
        e = {'name': e} if isinstance(e, str) else e
        value = e.get('value', value + 1)
        out.append((e['name'], value))
    return out


def spec_attr_sets(spec, family, by_define):
    for s in spec.get('attribute-sets', []):
        if 'subset-of' in s:
            continue
        pfx = s.get('name-prefix') or (
            '%s-a-' % family if s['name'] == family else '%s-a-%s-' % (family, s['name']))
        members = [(c_name(pfx + n), v) for n, v in numbered(s['attributes'], 1)]
        yield Expected('attribute-set %s' % s['name'], s.get('enum-name'), members,
                       c_name(s.get('attr-max-name', pfx + 'max')),
                       c_name(s.get('attr-cnt-name', '__' + pfx + 'max')), by_define)


def spec_operations(spec, family, by_define):
    ops = spec['operations']
    pfx = ops.get('name-prefix', '%s-cmd-' % family)
    # UNSPEC = 0 is no operation, so the spec cannot list it; the header must have it.
    members = [(c_name(pfx + 'unspec'), 0)]
    members += [(c_name(pfx + n), v) for n, v in numbered(ops['list'], 1)]
    yield Expected('operations', ops.get('enum-name'), members,
                   c_name(spec.get('cmd-max-name', '%s-cmd-max' % family)),
                   c_name(spec.get('cmd-cnt-name', '__%s-cmd-max' % family)), by_define)


def spec_definitions(spec, family, by_define):
    for d in spec.get('definitions', []):
        if d['type'] == 'const':
            continue
        pfx = d.get('name-prefix', '%s-%s-' % (family, d['name']))
        if d['type'] == 'flags':
            start = d.get('value-start', 0)
            entries = [{'name': e} if isinstance(e, str) else e for e in d['entries']]
            members = [(c_name(pfx + e['name']), e.get('value', 1 << (start + i)))
                       for i, e in enumerate(entries)]
            # the header's "__..._ALL" mask of all known bits is ours, not YNL's
            extra = lambda name: name.startswith('__') and name.endswith('_ALL')
        else:
            members = [(c_name(pfx + n), v)
                       for n, v in numbered(d['entries'], d.get('value-start', 0))]
            extra = None
        tag = d.get('enum-name', c_name('%s-%s' % (family, d['name'])).lower())
        has_max = d.get('render-max', False)
        yield Expected('definition %s' % d['name'], tag, members,
                       c_name(pfx + 'max') if has_max else None,
                       c_name('__' + pfx + 'max') if has_max else None, by_define, extra)


def spec_defines(spec, family):
    """#defines the spec implies: family name and version, consts, multicast groups."""
    out = {
        c_name(spec.get('c-family-name', family + '-family-name')): family,
        c_name(spec.get('c-version-name', family + '-family-version')): spec.get('version', 1),
    }
    for d in spec.get('definitions', []):
        if d['type'] == 'const':
            out[c_name('%s-%s' % (family, d['name']))] = d['value']
    for g in spec.get('mcast-groups', {}).get('list', []):
        out[c_name(g.get('c-define-name', '%s-mcgrp-%s' % (family, g['name'])))] = g['name']
    return out


def spec_enums(spec):
    family = spec['name']
    by_define = spec.get('max-by-define', False)
    yield from spec_definitions(spec, family, by_define)
    yield from spec_attr_sets(spec, family, by_define)
    yield from spec_operations(spec, family, by_define)


# ---- comparison

def diff(want, got):
    lines = difflib.unified_diff(['%s = %s' % x for x in want], ['%s = %s' % x for x in got],
                                 'spec', 'header', lineterm='', n=1)
    return list(lines)


def find_enum(exp, enums):
    for tag, members in enums:
        if exp.tag is not None and tag == exp.tag:
            return tag, members
        if exp.tag is None and tag is None and members and members[0][0] == exp.members[0][0]:
            return tag, members
    return None


def check_enum(exp, enums, defines):
    """Return diagnostics (empty when the header matches this part of the spec)."""
    found = find_enum(exp, enums)
    if not found:
        return ['header has no enum %s (for %s)' % (exp.tag or '(anonymous)', exp.what)]
    members = found[1]
    want = list(exp.members)
    got = [(n, v) for n, v in members if not exp.extra_ok(n)]
    problems = []
    if exp.cnt_name:
        want.append((exp.cnt_name, want[-1][1] + 1))
        if not exp.max_by_define:
            want.append((exp.max_name, want[-2][1]))
    problems += diff(want, got)
    if exp.max_name and exp.max_by_define:
        value = defines.get(exp.max_name)
        if value != exp.members[-1][1]:
            problems.append('#define %s is %s, spec says %s'
                            % (exp.max_name, value, exp.members[-1][1]))
    return problems


def check_defines(spec, defines):
    want = spec_defines(spec, spec['name'])
    got = {n: defines.get(n, '(missing)') for n in want}
    return diff(sorted(want.items()), sorted(got.items()))


def undocumented_enums(spec, enums):
    claimed = [find_enum(e, enums) for e in spec_enums(spec)]
    return ['header enum %s is not in the spec' % (tag or members[0][0])
            for tag, members in enums if (tag, members) not in claimed]


def run_checks(spec, header_text):
    """Yield (description, diagnostics) for each comparison."""
    defines, enums = parse_header(header_text)
    yield 'family name, version and constants', check_defines(spec, defines)
    for exp in spec_enums(spec):
        yield '%s matches enum %s' % (exp.what, exp.tag or '(anonymous)'), \
            check_enum(exp, enums, defines)
    yield 'every header enum is in the spec', undocumented_enums(spec, enums)


def mutated_spec(spec):
    """The spec with its last operation renumbered: the checker must notice."""
    bad = copy.deepcopy(spec)
    last = bad['operations']['list'][-1]
    last['value'] = last.get('value', len(bad['operations']['list'])) + 7
    return bad


def mutated_header(text):
    """The header with one attribute added to the first enum: the checker must notice."""
    return re.sub(r'(enum\s+\w+\s*\{\s*\w+,)', r'\1 SAFELINE_SNEAKY_EXTRA,', text, count=1)


class Ktap:
    def __init__(self):
        self.n, self.failed = 0, 0

    def result(self, ok, desc, diags=()):
        self.n += 1
        self.failed += not ok
        for line in diags:
            print('# ' + line)
        print('%s %d %s' % ('ok' if ok else 'not ok', self.n, desc))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    ap.add_argument('--header', default=os.path.join(ROOT, 'kernel/uapi/linux/safeline.h'))
    ap.add_argument('--spec', default=os.path.join(ROOT, 'docs/netlink/safeline.yaml'))
    args = ap.parse_args()

    print('KTAP version 1')
    try:
        import yaml  # pylint: disable=import-outside-toplevel
    except ImportError:
        print('1..0 # SKIP python3-yaml is not installed')
        return 4
    with open(args.header, encoding='utf-8') as f:
        header = f.read()
    with open(args.spec, encoding='utf-8') as f:
        spec = yaml.safe_load(f)

    checks = list(run_checks(spec, header))
    print('1..%d' % (len(checks) + 2))
    t = Ktap()
    for desc, problems in checks:
        t.result(not problems, desc, problems)
    # controls: the same comparison must fail on a spec or header that drifted
    t.result(any(p for _, p in run_checks(mutated_spec(spec), header)),
             'control: a renumbered operation in the spec is reported')
    t.result(any(p for _, p in run_checks(spec, mutated_header(header))),
             'control: an extra enum value in the header is reported')
    print('# %d passed, %d failed' % (t.n - t.failed, t.failed))
    return 1 if t.failed else 0


if __name__ == '__main__':
    sys.exit(main())
