// Package capture records a lab's traffic with tcpdump, which every lab
// image carries: one capture per lab network, on the router's port where
// the router has one, and copies the files into the run's results folder
// before the lab is torn down.
package capture

import (
	"fmt"
	"github.com/chrlab/chrlab/internal/shpause"
	"path"
	"strconv"

	"github.com/chrlab/chrlab/harness/lab"
)

// Point is where one lab network is captured: the member (router or node)
// whose interface on it is listened on.
type Point struct {
	Network string
	Member  string
}

// File is the capture's name in the results folder.
func (p Point) File() string { return "pcap/" + p.Network + ".pcap" }

// Plan picks a capture point for every lab network: the router's port
// when the router is on it (every packet the router forwards, translates
// or drops on that network passes there); else a node that routes (an ISP
// or CPE, which sees the traffic crossing that network), else the first
// node on it.
func Plan(spec *lab.Spec) []Point {
	var out []Point
	for _, nw := range spec.Networks {
		p := Point{Network: nw.Name}
		for _, port := range spec.Router.Ports {
			if port.Network == nw.Name {
				p.Member = spec.Router.Name
				break
			}
		}
		if p.Member == "" {
			p.Member = nodeOn(spec, nw.Name)
		}
		if p.Member != "" {
			out = append(out, p)
		}
	}
	return out
}

// nodeOn picks the node to capture a network without the router on: the
// first that routes, else the first on it; empty when no node is.
func nodeOn(spec *lab.Spec, network string) string {
	first := ""
	for _, n := range spec.Nodes {
		if !onNetwork(n, network) {
			continue
		}
		if n.Forward || n.ISP != nil || n.CPE != nil {
			return n.Name
		}
		if first == "" {
			first = n.Name
		}
	}
	return first
}

func onNetwork(n lab.Node, network string) bool {
	for _, i := range n.Interfaces {
		if i.Network == network {
			return true
		}
	}
	return false
}

// Bounds limit what a capture may write, so that a throughput probe
// (gigabits a second) cannot fill the disk: each packet is cut after
// Snaplen bytes (headers and the start of the payload: enough for a
// whoami answer, a DNS message, an HTTP status line), and tcpdump writes
// a ring of Files files of FileMB megabytes (10^6 bytes), overwriting the
// oldest. A capture never exceeds Files × FileMB megabytes; when it would,
// the earliest packets are the ones lost.
type Bounds struct {
	Snaplen int
	FileMB  int
	Files   int
}

// DefaultBounds keep at most 32 MB per network.
var DefaultBounds = Bounds{Snaplen: 512, FileMB: 4, Files: 8}

// Dir is where captures are written inside a lab member.
const Dir = "/tmp/chrlab-pcap"

// ringPrefix is the name tcpdump's ring files start with; it appends the
// file's number.
func (p Point) ringPrefix() string { return path.Join(Dir, p.Network+".pcap") }

// StartCommand is the shell command that starts tcpdump on iface in the
// background and prints its process id. tcpdump runs as root (-Z root):
// Debian's drops to its own user, which could not open the next file of the
// ring in a root-owned folder. -U writes every packet as it arrives, so
// that what was captured is on disk whenever the capture is stopped, and
// -n asks no resolver (a lab has none for its own addresses).
// --immediate-mode hands each packet to tcpdump as it arrives: without it
// the kernel holds packets in a block that is handed over when full or
// after a second, and a tcpdump interrupted before then reports them
// "received by filter" but never writes them, so a run whose probes all
// end within a second kept empty captures.
//
// The command returns only once tcpdump says it is listening (it prints
// that after its packet socket is open): a background process that has
// not opened its socket yet misses the first probe of a quick run, which
// is how a capture came out empty on a fast machine. A tcpdump that exits
// before it listens fails the command with its own words; one still
// silent after five seconds is kept, as it may yet capture.
func (p Point) StartCommand(iface string, b Bounds) []string {
	return p.startCommand(iface, b, 0)
}

// segmentPrefix names the ring of a capture's segment n: a capture paused
// and resumed (Session.Pause) writes a new ring beside the first one, under
// the same prefix, so that StopCommand lists them all and Merge orders
// their packets by time.
func (p Point) segmentPrefix(n int) string {
	if n == 0 {
		return p.ringPrefix()
	}
	return p.ringPrefix() + ".s" + strconv.Itoa(n) + "-"
}

func (p Point) startCommand(iface string, b Bounds, segment int) []string {
	log := shellQuote(path.Join(Dir, p.Network+".log"))
	tcpdump := fmt.Sprintf("tcpdump -i %s -n -U --immediate-mode -Z root -s %d -C %d -W %d -w %s",
		shellQuote(iface), b.Snaplen, b.FileMB, b.Files, shellQuote(p.segmentPrefix(segment)))
	// The polls use shpause and the shell's own read, not sleep and grep:
	// a poll of two processes every 50 ms, for the second tcpdump may take
	// to listen on a busy machine, cost more CPU than the capture.
	return shpause.Command(fmt.Sprintf(
		"mkdir -p %s && { %s >%s 2>&1 </dev/null & pid=$!; %s"+
			"listening() { while IFS= read -r l; do case $l in *'listening on'*) return 0;; esac; done; return 1; }; i=0; "+
			"while [ $i -lt 100 ] && ! listening <%s 2>/dev/null; do "+
			"kill -0 $pid 2>/dev/null || { cat %s; exit 1; }; pause 0.05; i=$((i+1)); done; echo $pid; }",
		Dir, tcpdump, log, shpause.Define, log, log), "chrlab-capture")
}

// StopCommand stops the tcpdump started with pid the way Ctrl-C would, so
// that it writes out what it holds, and waits up to five seconds for it to
// end, looking every 20 ms (tcpdump ends within milliseconds, and a pause
// stands before a run's first load step); then it lists the ring's files.
// An ended tcpdump may stay a zombie (a router container's first process
// need not reap orphans), so it counts as ended once its state in /proc is
// Z.
//
// A pid of 0 (a paused capture, whose tcpdump has ended) only lists.
func (p Point) StopCommand(pid int) []string {
	if pid <= 0 {
		return []string{"sh", "-c", fmt.Sprintf("ls -1 %s* 2>/dev/null; true", shellQuote(p.ringPrefix()))}
	}
	// The process's state is the field after its name in /proc, read by
	// the shell itself (no sed or cut per poll).
	stat := "/proc/" + strconv.Itoa(pid) + "/stat"
	running := fmt.Sprintf(`running() { read -r st <%s 2>/dev/null || return 1; case $st in *") Z "*) return 1;; esac; }; `, stat)
	return shpause.Command(shpause.Define+running+fmt.Sprintf(
		"kill -INT %d 2>/dev/null; i=0; while running && [ $i -lt 250 ]; do pause 0.02; i=$((i+1)); done; ls -1 %s* 2>/dev/null; true",
		pid, shellQuote(p.ringPrefix())), "chrlab-capture")
}

// shellQuote quotes s for sh; lab and interface names are plain words,
// but a name must not become shell syntax whatever it is.
func shellQuote(s string) string {
	out := "'"
	for _, r := range s {
		if r == '\'' {
			out += `'\''`
			continue
		}
		out += string(r)
	}
	return out + "'"
}
