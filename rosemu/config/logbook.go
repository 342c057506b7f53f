package config

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/script"
)

// RouterOS sends every log entry through the rules of /system logging: an
// entry goes to a rule's action when it has every topic the rule names and
// none the rule negates ("topics=ntp,debug,!packet": NTP debug entries
// without the packet dumps), and, on RouterOS 7, when its message matches
// the rule's regex. The action decides where it goes: a memory action
// keeps it for /log print (the last memory-lines entries), a remote
// action sends it to a syslog server over UDP. A router starts with four
// rules (info, error, warning, critical to memory), so debug entries are
// seen nowhere until a rule asks for them. (Log page of the manual,
// https://help.mikrotik.com/docs/display/ROS/Log.)
//
// rosemu models the memory, remote and disk actions. Echo and e-mail
// actions, and the remote action's TCP, TLS and CEF variants, are stored
// and reported (logActionWhy).

// logJournal is how many entries Router.Log keeps, whatever the rules.
const logJournal = 1000

// logbook holds the router's log. It has a lock of its own, so that the
// firewall's log entries, which arrive from the kernel at any time, are
// never held up by a commit.
type logbook struct {
	mu sync.Mutex
	// journal is every entry written, kept or not (Router.Log).
	journal []script.LogEntry
	// mem is what the memory actions kept, oldest first (/log).
	mem []memEntry
	// seq numbers mem's entries, so /log ids stay fixed while it wraps.
	seq     uint64
	rules   []logRule
	actions map[string]*logAction
	// send hands a remote action's datagram to the router's network
	// (Options.Syslog); nil sends nothing.
	send func(host string, port int, src netip.Addr, payload []byte)
	// identity is /system identity's name, for the BSD syslog header;
	// loc is the /system clock time zone that disk lines and syslog time
	// stamps are written in.
	identity string
	loc      *time.Location
	// links maps the Linux links of the interfaces to their RouterOS
	// names, for the firewall's entries.
	links map[string]string
	// ports is links for the ethernet ports only.
	ports map[string]string
	// files is the router's file store, where disk actions write; nil
	// keeps disk actions' entries nowhere (unit tests, validate).
	files fileWriter
	// disks are the disk actions' files by action name; flushing says a
	// write to the store is scheduled.
	disks    map[string]*diskLog
	flushing bool
	// preview is set while kept routes the running scripts' entries
	// only to show them: nothing is written or sent.
	preview bool
}

// diskLog is what a disk action wrote: its files, newest first, each
// its lines.
type diskLog struct {
	files [][]string
	dirty bool
}

// diskFlush is how long disk entries wait to be written to the store
// together, so that a stream of entries (a logging firewall rule) does
// not rewrite the file for each one.
const diskFlush = 500 * time.Millisecond

// memEntry is an entry a memory action kept.
type memEntry struct {
	script.LogEntry
	id     uint64
	buffer string // the memory action's name
}

// logRule is one enabled /system logging rule.
type logRule struct {
	want, not []string
	regex     *regexp.Regexp
	prefix    string
	action    string
}

// logAction is one /system logging action that rosemu carries out.
type logAction struct {
	name, target string
	lines        int
	stopOnFull   bool
	// disk
	fileName     string
	linesPerFile int
	fileCount    int
	diskStop     bool
	// remote
	host       string
	port       int
	src        netip.Addr
	bsd        bool
	iso8601    bool
	facility   int
	severity   int // -1: from the entry's topics (auto)
	notEnforce string
}

// match reports whether an entry with topics goes to the rule.
func (lr *logRule) match(topics []string, msg string) bool {
	for _, w := range lr.want {
		if !slices.Contains(topics, w) {
			return false
		}
	}
	for _, w := range lr.not {
		if slices.Contains(topics, w) {
			return false
		}
	}
	return lr.regex == nil || lr.regex.MatchString(msg)
}

// add writes entries: to the journal, and through the rules to their
// actions.
func (b *logbook) add(entries ...script.LogEntry) {
	b.mu.Lock()
	var out []datagram
	for _, e := range entries {
		b.journal = append(b.journal, e)
		out = append(out, b.route(e)...)
	}
	// Trimmed in halves, so that a stream of entries (a logging
	// firewall rule) does not copy the journal for each one.
	if n := len(b.journal); n >= 2*logJournal {
		b.journal = append([]script.LogEntry(nil), b.journal[n-logJournal:]...)
	}
	send := b.send
	b.mu.Unlock()
	if send != nil {
		for _, d := range out {
			send(d.host, d.port, d.src, d.payload)
		}
	}
}

// datagram is one syslog message for a remote action.
type datagram struct {
	host    string
	port    int
	src     netip.Addr
	payload []byte
}

// route hands e to the actions of the rules it matches, each action once
// (the first matching rule's prefix is the one used); the caller holds
// b.mu. It returns the datagrams for remote actions.
func (b *logbook) route(e script.LogEntry) []datagram {
	topics := strings.Split(e.Topics, ",")
	done := map[string]bool{}
	var out []datagram
	for i := range b.rules {
		lr := &b.rules[i]
		a := b.actions[lr.action]
		if a == nil || done[a.name] || !lr.match(topics, e.Msg) {
			continue
		}
		done[a.name] = true
		msg := e.Msg
		if lr.prefix != "" {
			msg = lr.prefix + " " + msg
		}
		switch a.target {
		case "memory":
			b.keep(a, script.LogEntry{Time: e.Time, Topics: e.Topics, Msg: msg})
		case "disk":
			if !b.preview {
				b.writeDisk(a, script.LogEntry{Time: e.Time, Topics: e.Topics, Msg: msg})
			}
		case "remote":
			if a.notEnforce == "" && a.host != "" {
				out = append(out, datagram{host: a.host, port: a.port, src: a.src, payload: a.syslog(e.Time.In(b.zone()), e.Topics, msg, b.identity)})
			}
		}
	}
	return out
}

// zone is the router's time zone; the caller holds b.mu.
func (b *logbook) zone() *time.Location {
	if b.loc == nil {
		return time.UTC
	}
	return b.loc
}

// keep adds an entry to memory action a's buffer, dropping the buffer's
// oldest entry when it holds memory-lines, or the new one when the action
// stops on full.
func (b *logbook) keep(a *logAction, e script.LogEntry) {
	n, first := 0, -1
	for i := range b.mem {
		if b.mem[i].buffer == a.name {
			if first < 0 {
				first = i
			}
			n++
		}
	}
	if n >= a.lines {
		if a.stopOnFull {
			return
		}
		b.mem = append(b.mem[:first], b.mem[first+1:]...)
	}
	b.seq++
	b.mem = append(b.mem, memEntry{LogEntry: e, id: b.seq, buffer: a.name})
}

// writeDisk adds an entry to disk action a's newest file, starting a new
// file when it holds disk-lines-per-file lines and dropping the oldest
// beyond disk-file-count (or, with disk-stop-on-full, writing no more).
// Files are named <disk-file-name>.<n>.txt, .0 the newest, lines as /log
// print shows them [verify: RouterOS's numbering and line format]. The
// store is written after diskFlush; the caller holds b.mu.
func (b *logbook) writeDisk(a *logAction, e script.LogEntry) {
	if b.files == nil {
		return
	}
	if b.disks == nil {
		b.disks = map[string]*diskLog{}
	}
	d := b.disks[a.name]
	if d == nil {
		d = &diskLog{files: [][]string{nil}}
		b.disks[a.name] = d
	}
	if len(d.files[0]) >= a.linesPerFile {
		if a.diskStop && len(d.files) >= a.fileCount {
			return
		}
		d.files = append([][]string{nil}, d.files...)
		if len(d.files) > a.fileCount {
			d.files = d.files[:a.fileCount]
		}
	}
	d.files[0] = append(d.files[0], e.Time.In(b.zone()).Format("2006-01-02 15:04:05")+" "+e.Topics+" "+e.Msg)
	d.dirty = true
	if !b.flushing {
		b.flushing = true
		time.AfterFunc(diskFlush, b.flush)
	}
}

// flush writes the disk actions' changed files to the store.
func (b *logbook) flush() {
	b.mu.Lock()
	b.flushing = false
	type out struct {
		name string
		data []byte
	}
	var writes []out
	for name, d := range b.disks {
		a := b.actions[name]
		if !d.dirty || a == nil {
			continue
		}
		d.dirty = false
		for i, lines := range d.files {
			writes = append(writes, out{fmt.Sprintf("%s.%d.txt", a.fileName, i), []byte(strings.Join(lines, "\n") + "\n")})
		}
	}
	files := b.files
	b.mu.Unlock()
	for _, w := range writes {
		_ = files.WriteFile(w.name, w.data) // a full store keeps the old file, as a full disk does
	}
}

// kept returns what the memory actions hold, oldest first, and what the
// running scripts wrote as it would be kept (their entries are written
// when the run ends).
func (b *logbook) kept(pending []script.LogEntry) []memEntry {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := append([]memEntry(nil), b.mem...)
	if len(pending) == 0 {
		return out
	}
	// Route a copy: what is shown must not be kept twice.
	saved, seq := b.mem, b.seq
	b.mem, b.preview = nil, true
	for _, e := range pending {
		b.route(e)
	}
	b.preview = false
	out = append(out, b.mem...)
	b.mem, b.seq = saved, seq
	return out
}

// entries returns the journal.
func (b *logbook) entries() []script.LogEntry {
	b.mu.Lock()
	defer b.mu.Unlock()
	j := b.journal
	if len(j) > logJournal {
		j = j[len(j)-logJournal:]
	}
	return append([]script.LogEntry(nil), j...)
}

// configure takes the rules and actions of the committed model.
func (b *logbook) configure(m *model) {
	rules, actions := loggingConfig(m)
	identity := "MikroTik"
	if its := m.tables["system identity"]; len(its) > 0 && its[0].props["name"] != "" {
		identity = its[0].props["name"]
	}
	links, ports := map[string]string{}, map[string]string{}
	for _, it := range m.tables["interface ethernet"] {
		if n := it.props["name"]; n != "" {
			ports[kernel.LinkName(kernelName(m, n))] = n
		}
	}
	for _, tbl := range append(ifaceTables, vrrpTable) {
		for _, it := range m.tables[tbl] {
			if n := it.props["name"]; n != "" {
				links[kernel.LinkName(kernelName(m, n))] = n
			}
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.rules, b.actions, b.identity, b.links, b.ports = rules, actions, identity, links, ports
	b.loc = clockLocation(m)
	// A memory action made smaller drops its oldest entries at once, as
	// lowering memory-lines clears RouterOS's buffer down to the new size.
	count := map[string]int{}
	for _, e := range b.mem {
		count[e.buffer]++
	}
	kept := b.mem[:0]
	for _, e := range b.mem {
		a := actions[e.buffer]
		if a == nil || a.target != "memory" {
			count[e.buffer]--
			continue
		}
		if count[e.buffer] > a.lines {
			count[e.buffer]--
			continue
		}
		kept = append(kept, e)
	}
	b.mem = kept
}

// loggingConfig reads /system logging and its actions.
func loggingConfig(m *model) ([]logRule, map[string]*logAction) {
	actions := map[string]*logAction{}
	for _, it := range m.tables["system logging action"] {
		p := func(k string) string { return effective(loggingActionMenu, it.props, k) }
		a := &logAction{name: p("name"), target: p("target"), port: 514, severity: -1, facility: 3}
		a.lines, _ = strconv.Atoi(p("memory-lines"))
		if a.lines <= 0 {
			a.lines = 1000
		}
		a.stopOnFull = p("memory-stop-on-full") == "yes"
		a.fileName = strings.TrimPrefix(p("disk-file-name"), "/")
		a.linesPerFile, _ = strconv.Atoi(p("disk-lines-per-file"))
		a.fileCount, _ = strconv.Atoi(p("disk-file-count"))
		a.linesPerFile, a.fileCount = max(a.linesPerFile, 1), max(a.fileCount, 1)
		a.diskStop = p("disk-stop-on-full") == "yes"
		if h := p("remote"); h != "" && h != "0.0.0.0" {
			a.host = h
		}
		if n, err := strconv.Atoi(p("remote-port")); err == nil && n > 0 {
			a.port = n
		}
		if ip, err := netip.ParseAddr(p("src-address")); err == nil && !ip.IsUnspecified() {
			a.src = ip
		}
		// RouterOS 7.18 replaced bsd-syslog=yes by remote-log-format=syslog.
		a.bsd = p("bsd-syslog") == "yes" || p("remote-log-format") == "syslog"
		a.iso8601 = p("syslog-time-format") == "iso8601"
		if f, ok := syslogFacilities[p("syslog-facility")]; ok {
			a.facility = f
		}
		if s, ok := syslogSeverities[p("syslog-severity")]; ok {
			a.severity = s
		}
		a.notEnforce = logActionWhy(it)
		actions[a.name] = a
	}
	var rules []logRule
	for _, it := range m.tables["system logging"] {
		if it.disabled() {
			continue
		}
		p := func(k string) string { return effective(loggingMenu, it.props, k) }
		lr := logRule{action: p("action"), prefix: p("prefix")}
		for _, w := range strings.Split(p("topics"), ",") {
			if n, ok := strings.CutPrefix(w, "!"); ok {
				lr.not = append(lr.not, n)
			} else if w != "" {
				lr.want = append(lr.want, w)
			}
		}
		if re := p("regex"); re != "" {
			// A pattern Go cannot compile matches nothing (logRuleWhy
			// reports it), rather than everything.
			rx, err := regexp.Compile(re)
			if err != nil {
				continue
			}
			lr.regex = rx
		}
		rules = append(rules, lr)
	}
	return rules, actions
}

// logActionWhy says why a logging action is stored rather than carried
// out, "" when rosemu carries it out.
func logActionWhy(it *item) string {
	p := func(k string) string { return effective(loggingActionMenu, it.props, k) }
	switch p("target") {
	case "echo":
		return "rosemu echoes no log entries to console sessions"
	case "email":
		return "rosemu sends no e-mail: the e-mail action's entries are not sent"
	case "remote":
		if v := p("remote-protocol"); v != "" && v != "udp" {
			return "remote-protocol=" + v + ": rosemu sends remote log entries over UDP only: this action sends nothing"
		}
		if v := p("remote-log-format"); v == "cef" {
			return "remote-log-format=cef: rosemu sends the default and BSD syslog formats only: this action sends nothing"
		}
	}
	return ""
}

// logRuleWhy says why a logging rule does nothing in rosemu, "" when its
// entries go where it says.
func logRuleWhy(m *model) func(*item) string {
	return func(it *item) string {
		if re := it.props["regex"]; re != "" {
			if _, err := regexp.Compile(re); err != nil {
				return "regex: rosemu cannot compile the pattern (" + err.Error() + "): the rule keeps no entry"
			}
		}
		name := effective(loggingMenu, it.props, "action")
		for _, a := range m.tables["system logging action"] {
			if a.props["name"] == name {
				if why := logActionWhy(a); why != "" {
					return "action=" + name + ": " + why
				}
			}
		}
		return ""
	}
}

var syslogFacilities = map[string]int{
	"kern": 0, "user": 1, "mail": 2, "daemon": 3, "auth": 4, "syslog": 5, "lpr": 6, "news": 7,
	"uucp": 8, "cron": 9, "authpriv": 10, "ftp": 11,
	"local0": 16, "local1": 17, "local2": 18, "local3": 19, "local4": 20, "local5": 21, "local6": 22, "local7": 23,
}

var syslogSeverities = map[string]int{
	"emergency": 0, "alert": 1, "critical": 2, "error": 3, "warning": 4, "notice": 5, "info": 6, "debug": 7,
}

// syslog renders one remote message. RouterOS's default is the priority,
// the topics and the message ("<30>system,info,account user admin logged
// out ..."); with bsd-syslog=yes an RFC 3164 header (time stamp and the
// router's identity) comes after the priority [verify: the exact header
// RouterOS writes]. syslog-severity=auto takes the severity from the
// entry's topics.
func (a *logAction) syslog(t time.Time, topics, msg, identity string) []byte {
	sev := a.severity
	if sev < 0 {
		sev = 6
		for _, w := range strings.Split(topics, ",") {
			if s, ok := syslogSeverities[w]; ok {
				sev = s
				break
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<%d>", a.facility*8+sev)
	if a.bsd {
		if a.iso8601 {
			b.WriteString(t.Format(time.RFC3339))
		} else {
			b.WriteString(t.Format(time.Stamp))
		}
		b.WriteString(" " + strings.ReplaceAll(identity, " ", "_") + " ")
	}
	b.WriteString(topics + " " + msg)
	return []byte(b.String())
}

// LogFirewall writes a packet that a rule with log=yes or action=log
// matched to the router's log, topics firewall,info, as RouterOS does.
// It takes only the log's lock: the kernel's packets keep coming while a
// commit holds the router.
func (r *Router) LogFirewall(ev kernel.FirewallLog) {
	b := r.book
	b.mu.Lock()
	links := b.links
	b.mu.Unlock()
	msg := kernel.FormatFirewallLog(ev, func(link string) string {
		if n, ok := links[link]; ok {
			return n
		}
		return link
	})
	b.add(script.LogEntry{Time: ev.Time, Topics: "firewall,info", Msg: msg})
}

// LogCarrier writes a port's link going down or coming up to the log,
// topics interface,info, as RouterOS does ("ether1 link down", "ether1
// link up") [verify: the speed and duplex RouterOS adds on a CHR's
// virtio port]. Links that are not ports (bridges, VLANs, tunnels) write
// nothing, as RouterOS logs the ports' carrier only.
func (r *Router) LogCarrier(link string, running bool) {
	b := r.book
	b.mu.Lock()
	name, port := b.ports[link]
	b.mu.Unlock()
	if !port {
		return
	}
	state := "down"
	if running {
		state = "up"
	}
	b.add(script.LogEntry{Time: time.Now(), Topics: "interface,info", Msg: name + " link " + state})
}

// EmulatorTopic is the topic of the log entries in which rosemu says that
// it stopped, or went back to, enforcing part of the configuration while
// running (a failing connection-rate sampler): RouterOS has no such topic,
// so a reader of /log tells them from the router's own, and chrlab's
// report lists them with what was not enforced (harness/runner).
const EmulatorTopic = "rosemu"

// LogConnRate writes a change of the connection-rate sampler between
// working and failing (kernel.Dataplane.OnConnRate) to the log. While it
// fails, the rules with connection-rate go on with the rates of its last
// good second, and a connection that started since reads 0, so they are
// not enforced as RouterOS would; the failure was kept where no report
// read it (kernel ConnRateError).
func (r *Router) LogConnRate(f kernel.ConnRateFault) {
	at := time.Now()
	if f.Err == "" {
		r.book.add(script.LogEntry{Time: at, Topics: "firewall,info," + EmulatorTopic,
			Msg: "connection-rate enforced again: rosemu's conntrack sampler works (it failed from " + f.Since.Format(time.TimeOnly) + ")"})
		return
	}
	seen := "no connection was measured yet, so every connection reads 0"
	if !f.Measured.IsZero() {
		seen = "rules with connection-rate see the rates measured at " + f.Measured.Format(time.TimeOnly) + ", and connections that started since read 0"
	}
	r.book.add(script.LogEntry{Time: at, Topics: "firewall,error," + EmulatorTopic,
		Msg: "connection-rate not enforced since " + f.Since.Format(time.TimeOnly) + ": rosemu's conntrack sampler failed: " + f.Err + "; " + seen})
}

// madeLoggingStored says why the logging action or rule that a command of
// menu path made (ids from, to) is stored, "" when rosemu carries it out.
func madeLoggingStored(m *model, path string, from, to uint64) string {
	switch path {
	case "system logging action":
		return madeStored(m, path, from, to, logActionWhy)
	case "system logging":
		return madeStored(m, path, from, to, logRuleWhy(m))
	}
	return ""
}
