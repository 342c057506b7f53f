// Package netnstest makes network namespaces for tests that send real
// packets between them (veth pairs, raw sockets, TUN devices). It needs
// root; the caller decides whether to skip without it.
package netnstest

import (
	"runtime"
	"testing"

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
