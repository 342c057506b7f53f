#!/usr/bin/env python3
"""cpu-per-lab-report.py RUN.json...: the CPU-seconds cpu-per-lab.py recorded,
by phase (lab up, configure, probes, teardown: cut at the run's own lines)
and by process, for the lab of that run alone; with --mean, the mean of the
runs as one table (docs/benchmarks.md, "CPU per lab, by phase and process").
"""
import json, re, sys
from collections import defaultdict


def load(path):
    d = json.load(open(path))
    hz = d['hz']
    marks = d['marks']
    lines = [m for m in marks if m[0] == 'line']
    run = None
    for m in lines:
        r = re.search(r'\(run ([0-9a-f]{6})', m[3])
        if r:
            run = r.group(1)
            break
    idx = {}
    for i, m in enumerate(marks):
        t = m[3] if m[0] == 'line' else ''
        if 'lab: lab ' in t and ' up in ' in t:
            idx['up'] = i
        if t.startswith('configured router'):
            idx['conf'] = i
        if re.match(r'^\s+\d+ \S', t) and 'removed' not in t and 'up' in idx:
            if not any('removed' in mm[3] for mm in marks[:i] if mm[0] == 'line'):
                idx['probes'] = i
    bounds = [('lab up', 0, idx['up']), ('configure', idx['up'], idx['conf']), ('probes', idx['conf'], idx['probes']), ('teardown', idx['probes'], len(marks) - 1)]
    foreign = [e for e in d['events'] if e.startswith('container') and run not in e]
    def key(k):
        if k.startswith('ctr:'):
            _, name, cat = k.split(':', 2)
            if not name.startswith('chrlab-' + run + '-'):
                return None
            node = name[len('chrlab-' + run + '-'):]
            base = cat.replace(' (children)', '')
            if base.startswith('in-container:'):
                base = 'in-container'
            return node, base
        if k.startswith('other:chrlab'):
            return 'harness', 'chrlab'
        if k.startswith('other:'):
            return None
        return 'engine', k.replace(' (children)', '')
    out = {}
    for ph, a, b in bounds:
        A, B = marks[a][2], marks[b][2]
        agg = defaultdict(float)
        for k in set(A) | set(B):
            kk = key(k)
            if kk is None:
                continue
            agg[kk] += (B.get(k, 0) - A.get(k, 0)) / hz
        out[ph] = agg
    return run, out, len(foreign), d['rc']


def procsum(agg):
    # A container's processes are counted by its cgroup; rosemu and
    # labagent (own time of the processes so named) are the part of it
    # that those programs are; the rest is the other programs in it.
    s = defaultdict(float)
    for (node, cat), v in agg.items():
        if node == 'engine':
            s[cat] += v
        elif cat in ('shim', 'runc') and node != 'engine':
            s[cat] += v
        elif cat == 'cgroup':
            s['containers'] += v
        elif cat in ('labagent', 'rosemu'):
            s[cat] += v
        elif cat.startswith('chrlab'):
            s['chrlab'] += v
    s['other in containers'] = s['containers'] - s['labagent'] - s['rosemu']
    return s


COLS = ['dockerd', 'containerd', 'shim', 'runc', 'rosemu', 'labagent', 'other in containers', 'chrlab']


def row(name, s):
    return f'| {name} | ' + ' | '.join(f'{s[c]:.2f}' for c in COLS) + f' | {sum(s[c] for c in COLS):.2f} |'


def main():
    args = sys.argv[1:]
    mean = args[:1] == ['--mean']
    if mean:
        args = args[1:]
    header = '| phase | ' + ' | '.join(COLS) + ' | all |\n' + '| --- ' * (len(COLS) + 2) + '|'
    runs = []
    for path in args:
        run, out, foreign, rc = load(path)
        runs.append(out)
        # What no other lab touches (the shims, runc and the containers of
        # this run) over lab up and teardown, the harness's part.
        own = sum(procsum(out[ph])[c] for ph in ('lab up', 'teardown') for c in ('shim', 'runc', 'containers'))
        engine = sum(procsum(out[ph])[c] for ph in ('lab up', 'teardown') for c in ('dockerd', 'containerd'))
        print(f'{path}: run {run}, exit {rc}, {foreign} container events of other runs; lab up + teardown: '
              f'shims + runc + containers {own:.2f}, dockerd + containerd {engine:.2f}')
        if not mean:
            print(header)
            tot = defaultdict(float)
            for ph, agg in out.items():
                s = procsum(agg)
                for c in COLS:
                    tot[c] += s[c]
                print(row(ph, s))
            print(row('whole run', tot))
    if mean and runs:
        print(f'mean of {len(runs)} runs')
        print(header)
        tot = defaultdict(float)
        for ph in runs[0]:
            s = {c: sum(procsum(r[ph])[c] for r in runs) / len(runs) for c in COLS}
            for c in COLS:
                tot[c] += s[c]
            print(row(ph, s))
        print(row('whole run', tot))


if __name__ == '__main__':
    main()
