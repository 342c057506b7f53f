// Package netnstest makes network namespaces for tests that send real
// packets between them (veth pairs, raw sockets, TUN devices). It needs
// root; the caller decides whether to skip without it.
package netnstest

import (
	"bytes"
	"errors"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
)

// New makes n fresh network namespaces, each with a netlink handle in it,
// closed when the test ends. The calling thread keeps its own namespace.
func New(t testing.TB, n int) ([]netns.NsHandle, []*netlink.Handle) {
	t.Helper()
	runtime.LockOSThread()
	orig, err := netns.Get()
	if err != nil {
		runtime.UnlockOSThread()
		t.Fatal(err)
	}
	var nss []netns.NsHandle
	for range n {
		ns, err := netns.New() // also enters it: the thread goes back below
		if err != nil {
			_ = netns.Set(orig)
			runtime.UnlockOSThread()
			t.Fatalf("make a network namespace: %v", err)
		}
		nss = append(nss, ns)
	}
	_ = netns.Set(orig)
	runtime.UnlockOSThread()
	orig.Close()
	var hs []*netlink.Handle
	for _, ns := range nss {
		t.Cleanup(func() { ns.Close() })
		h, err := netlink.NewHandleAt(ns)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(h.Close)
		hs = append(hs, h)
	}
	return nss, hs
}

// In runs f on a thread in ns: sockets and devices made there belong to
// ns. The thread goes back to its own namespace afterwards; only if that
// fails does it stay locked and die with its goroutine. A thread left in
// ns could be the main thread, which Go never ends: it would stay in ns
// for the rest of the test binary, and /proc/self/net (the main thread's
// namespace) with it, so a later test reading its listening sockets there
// saw ns's.
func In(t testing.TB, ns netns.NsHandle, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		runtime.LockOSThread()
		orig, err := netns.Get()
		if err != nil {
			t.Errorf("read this thread's netns: %v", err)
			return
		}
		defer orig.Close()
		if err := netns.Set(ns); err != nil {
			t.Errorf("enter netns: %v", err)
			return
		}
		f()
		if err := netns.Set(orig); err == nil {
			runtime.UnlockOSThread()
		}
	}()
	<-done
}

// InNamed runs f as In does, in the namespace named name (ip netns add):
// for tests of code that finds its namespace by name, as rosemu's
// services do.
func InNamed(t testing.TB, name string, f func()) {
	t.Helper()
	ns, err := netns.GetFromName(name)
	if err != nil {
		t.Errorf("open netns %s: %v", name, err)
		return
	}
	defer ns.Close()
	In(t, ns, f)
}

// staleName matches the names that tests give named namespaces
// (/run/netns/<name>): a fixed prefix, then the test process's id, then
// "-" or the end of the name. rosemu-t123-1-r (rosemu/kernel),
// rosemu-cnt123-r, rosemu-tun123-w, rosemu-corpus123-0 (rosemu/config),
// chrcal123-router (scenarios), upnpprobe-123 (internal/agentcmd, which
// ends at the id: with "-" required it was never swept).
var staleName = regexp.MustCompile(`^(?:rosemu-[a-z]+|chrcal|upnpprobe-|labagent-dhcp)([0-9]+)(?:-|$)`)

// stalePID is the process id a test's namespace name carries, or false
// for a name no test of this module gives.
func stalePID(name string) (int, bool) {
	m := staleName.FindStringSubmatch(name)
	if m == nil {
		return 0, false
	}
	pid, err := strconv.Atoi(m[1])
	return pid, err == nil && pid > 0
}

// SweepStale deletes the named namespaces that a test process left behind
// when it was killed before its cleanups ran (a go test -timeout, a
// SIGKILL): each holds its veth pairs and nftables ruleset until the next
// reboot, seven a lab for rosemu/kernel's. A name is removed only when the
// process whose id it carries is gone, so concurrent test binaries keep
// theirs. It returns the names it removed.
func SweepStale() []string {
	ents, err := os.ReadDir("/run/netns")
	if err != nil {
		return nil
	}
	var gone []string
	started, _ := processStart()
	for _, e := range ents {
		pid, ok := stalePID(e.Name())
		if !ok {
			continue
		}
		// A name with this process's id is ours, unless it is older than
		// this process: a killed run whose id the system gave us again
		// (its namespace then made our own "ip netns add" fail, "File
		// exists").
		if pid == os.Getpid() && !madeBefore(e, started) || pid != os.Getpid() && processAlive(pid) {
			continue
		}
		if netns.DeleteNamed(e.Name()) == nil {
			gone = append(gone, e.Name())
		}
	}
	return gone
}

// madeBefore: the entry of /run/netns was made over two seconds before t
// (its time is the namespace's nsfs inode's, from when the name was
// made). The margin covers processStart's whole-second boot time; a
// killed run's id comes back to another process only well after. A zero
// t is no time: nothing is before it.
func madeBefore(e os.DirEntry, t time.Time) bool {
	info, err := e.Info()
	return err == nil && !t.IsZero() && info.ModTime().Before(t.Add(-2*time.Second))
}

// processStart is when this process started: the boot time of /proc/stat
// plus field 22 of /proc/self/stat (clock ticks since boot; Linux's
// USER_HZ is 100 on every architecture Go runs tests on).
func processStart() (time.Time, error) {
	stat, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return time.Time{}, err
	}
	// The command name in parentheses may hold spaces: count after it.
	i := bytes.LastIndexByte(stat, ')')
	f := strings.Fields(string(stat[i+1:]))
	if i < 0 || len(f) < 20 {
		return time.Time{}, errors.New("short /proc/self/stat")
	}
	ticks, err := strconv.ParseInt(f[19], 10, 64) // field 22 overall
	if err != nil {
		return time.Time{}, err
	}
	all, err := os.ReadFile("/proc/stat")
	if err != nil {
		return time.Time{}, err
	}
	for _, l := range strings.Split(string(all), "\n") {
		if v, ok := strings.CutPrefix(l, "btime "); ok {
			boot, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil {
				return time.Time{}, err
			}
			return time.Unix(boot, 0).Add(time.Duration(ticks) * 10 * time.Millisecond), nil
		}
	}
	return time.Time{}, errors.New("no btime in /proc/stat")
}

// processAlive: signal 0 reaches a live process; EPERM means it lives
// under another user.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// Veth joins two namespaces of New by a veth pair, aName in a's (handle
// ha) and bName in b, and brings both ends up; addrs, when given, are
// the two ends' addresses ("198.51.100.1/24").
func Veth(t testing.TB, ha, hb *netlink.Handle, aName string, b netns.NsHandle, bName string, addrs ...string) {
	t.Helper()
	if err := ha.LinkAdd(&netlink.Veth{LinkAttrs: netlink.LinkAttrs{Name: aName}, PeerName: bName, PeerNamespace: netlink.NsFd(b)}); err != nil {
		t.Fatalf("add veth: %v", err)
	}
	for i, x := range []struct {
		h    *netlink.Handle
		name string
	}{{ha, aName}, {hb, bName}} {
		lk, err := x.h.LinkByName(x.name)
		if err != nil {
			t.Fatal(err)
		}
		if i < len(addrs) {
			a, err := netlink.ParseAddr(addrs[i])
			if err != nil {
				t.Fatal(err)
			}
			if err := x.h.AddrAdd(lk, a); err != nil {
				t.Fatal(err)
			}
		}
		if err := x.h.LinkSetUp(lk); err != nil {
			t.Fatal(err)
		}
	}
}

// LoopbackUp brings up lo in the namespace of handle h (one of New's) and
// returns it: a fresh namespace has it down, and 127.0.0.1 answers
// nothing until it is up.
func LoopbackUp(t testing.TB, h *netlink.Handle) netlink.Link {
	t.Helper()
	lo, err := h.LinkByName("lo")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.LinkSetUp(lo); err != nil {
		t.Fatal(err)
	}
	return lo
}
