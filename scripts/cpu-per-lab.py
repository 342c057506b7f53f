#!/usr/bin/env python3
"""cpu-per-lab.py OUT.json COMMAND...: run a command (chrlab lab --method X)
and record the CPU-seconds the container engine and the lab's processes
spend while it runs, with a snapshot at each line the command prints, so
that cpu-per-lab-report.py can split them by phase (docs/benchmarks.md,
"CPU per lab, by phase and process").

Processes are read from /proc/<pid>/stat: the own utime+stime of dockerd,
containerd, the shims, runc, rosemu, labagent and chrlab; for processes
outside containers (the engine's) also their reaped children's time
(cutime+cstime), less what was already counted of children seen alive. A
shim's or runc's time goes to the container whose id its command line
names; each lab container's cgroup (cgroup v1 cpuacct, cgroupfs driver) is
read as well. dockerd and containerd serve every lab on the machine, so
`docker events` runs beside the command: the report counts the events of
other runs' containers, and only a run with none gives the engine's figure
for this lab alone. Needs root (it reads /var/lib/docker for names).
"""
import json, os, re, subprocess, sys, threading, time

HZ = os.sysconf('SC_CLK_TCK')


def cat_of(comm, pid):
    if comm == 'dockerd':
        return 'dockerd'
    if comm == 'containerd':
        return 'containerd'
    if comm.startswith('containerd-shim'):
        return 'shim'
    if comm.startswith('runc'):
        return 'runc'
    if comm in ('rosemu',):
        return 'rosemu'
    if comm == 'labagent':
        return 'labagent'
    if comm.startswith('chrlab'):
        return 'chrlab'
    if comm in ('iptables', 'ip6tables', 'xtables-legacy-m', 'xtables-nft-mul', 'iptables-legacy', 'ip6tables-legac'):
        return 'iptables'
    return None


def read_stat(pid):
    try:
        with open(f'/proc/{pid}/stat') as f:
            s = f.read()
    except OSError:
        return None
    r = s.rindex(')')
    comm = s[s.index('(') + 1:r]
    f = s[r + 2:].split()
    # fields after comm: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14) ... starttime(19)
    return comm, int(f[1]), int(f[11]) + int(f[12]), int(f[13]) + int(f[14]), int(f[19])


HEX64 = re.compile(r'\b([0-9a-f]{64})\b')


def cid_of_cmdline(pid):
    try:
        with open(f'/proc/{pid}/cmdline', 'rb') as f:
            m = HEX64.search(f.read().replace(b'\0', b' ').decode(errors='replace'))
            return m.group(1) if m else None
    except OSError:
        return None


def in_docker_cgroup(pid):
    try:
        with open(f'/proc/{pid}/cgroup') as f:
            for line in f:
                if ':cpuacct' in line or ':cpu,cpuacct' in line:
                    m = re.search(r'/docker/([0-9a-f]{64})', line)
                    return m.group(1) if m else None
    except OSError:
        pass
    return None


class Meter:
    def __init__(self):
        self.acc = {}          # category -> ticks
        self.procs = {}        # pid -> dict(comm, cat, ppid, own, child, start)
        self.pending = {}      # pid -> ticks of vanished sampled children to subtract
        self.names = {}        # container id -> container name
        self.cg = {}           # container id -> last cpuacct.usage (ns)
        self.lock = threading.Lock()
        self.slock = threading.Lock()

    def name_of(self, cid):
        n = self.names.get(cid)
        if n is None:
            try:
                with open(f'/var/lib/docker/containers/{cid}/config.v2.json') as f:
                    n = json.load(f)['Name'].lstrip('/')
            except Exception:
                n = cid[:12]
            self.names[cid] = n
        return n

    def add(self, cat, ticks):
        if ticks > 0:
            self.acc[cat] = self.acc.get(cat, 0) + ticks

    def sample(self, fast_only=False):
        with self.slock:
            self._sample(fast_only)

    def _sample(self, fast_only=False):
        pids = list(self.procs) if fast_only else [p for p in os.listdir('/proc') if p.isdigit()]
        seen = set()
        pids_gone = []
        for p in pids:
            pid = int(p)
            st = read_stat(pid)
            if st is None:
                if fast_only:
                    pids_gone.append(pid)
                continue
            comm, ppid, own, child, start = st
            rec = self.procs.get(pid)
            if rec is not None and rec['start'] != start:
                rec = None  # pid reused
            if rec is None:
                cat = cat_of(comm, pid)
                cid = in_docker_cgroup(pid) or cid_of_cmdline(pid)
                if cat is None and cid is None:
                    continue
                if cat is None:
                    cat = 'in-container:' + comm
                if cat in ('dockerd', 'containerd') and cid is None:
                    pass  # the engine itself: global
                elif cid is not None:
                    cat = 'ctr:' + self.name_of(cid) + ':' + cat
                else:
                    cat = 'other:' + cat
                # a process born after we started counts from its birth
                born_after = start >= self.start_ticks
                rec = {'comm': comm, 'cat': cat, 'ppid': ppid, 'start': start, 'engine': in_docker_cgroup(pid) is None,
                       'own': 0 if born_after else own, 'child': 0 if born_after else child}
                self.procs[pid] = rec
            seen.add(pid)
            with self.lock:
                self.add(rec['cat'], own - rec['own'])
                rec['own'] = own
                dchild = child - rec['child']
                rec['child'] = child
                if dchild > 0 and rec['engine']:
                    sub = min(dchild, self.pending.get(pid, 0))
                    self.pending[pid] = self.pending.get(pid, 0) - sub
                    self.add(rec['cat'] + ' (children)', dchild - sub)
            rec['ppid'] = ppid
        self.sample_cgroups()
        if True:
            gone = [q for q in self.procs if q not in seen] if not fast_only else [q for q in pids_gone]
            for pid in gone:
                rec = self.procs.pop(pid, None)
                if rec is None:
                    continue
                if rec['ppid'] in self.procs:
                    self.pending[rec['ppid']] = self.pending.get(rec['ppid'], 0) + rec['own'] + rec['child']
                self.pending.pop(pid, None)

    def sample_cgroups(self):
        base = '/sys/fs/cgroup/cpuacct/docker'
        try:
            ids = os.listdir(base)
        except OSError:
            return
        for cid in ids:
            if len(cid) != 64:
                continue
            try:
                with open(f'{base}/{cid}/cpuacct.usage') as f:
                    v = int(f.read())
            except (OSError, ValueError):
                continue
            if cid not in self.cg:
                self.cg[cid] = 0 if self.started else v
            d = v - self.cg[cid]
            self.cg[cid] = v
            if d > 0:
                with self.lock:
                    self.add('ctr:' + self.name_of(cid) + ':cgroup', d * HZ / 1e9)

    def snapshot(self):
        with self.lock:
            return dict(self.acc)


def main():
    out = sys.argv[1]
    cmd = sys.argv[2:]
    m = Meter()
    with open('/proc/uptime') as f:
        m.start_ticks = int(float(f.read().split()[0]) * HZ)
    m.started = False
    m.sample()
    m.started = True
    events = subprocess.Popen(['docker', 'events', '--format', '{{.Type}} {{.Action}} {{index .Actor.Attributes "chrlab.run"}} {{index .Actor.Attributes "name"}}'],
                              stdout=subprocess.PIPE, text=True)
    evlines = []
    threading.Thread(target=lambda: [evlines.append(l.strip()) for l in events.stdout], daemon=True).start()
    marks = [('start', time.time(), m.snapshot())]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    stop = threading.Event()

    def loop():
        i = 0
        while not stop.is_set():
            m.sample(fast_only=(i % 4 != 0))
            i += 1
            time.sleep(0.01)
    th = threading.Thread(target=loop)
    th.start()
    for line in proc.stdout:
        now = time.time()
        m.sample(fast_only=True)
        marks.append(('line', now, m.snapshot(), line.rstrip('\n')))
    proc.wait()
    time.sleep(1.0)  # late engine work of the teardown
    stop.set()
    th.join()
    m.sample()
    marks.append(('end', time.time(), m.snapshot()))
    events.terminate()
    time.sleep(0.2)
    json.dump({'names': m.names, 'cmd': cmd, 'rc': proc.returncode, 'hz': HZ, 'marks': marks, 'events': evlines}, open(out, 'w'))
    print('rc', proc.returncode, 'events', len(evlines))


if __name__ == '__main__':
    main()
