package kernel

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"

	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// inNetns runs fn on a fresh OS thread switched into ns. Sockets created and
// processes started by fn belong to ns (a forked child inherits the thread's
// namespace). The thread is switched back afterwards; if that fails it is
// left locked, so the Go runtime ends it with the goroutine instead of
// reusing a thread in the wrong namespace.
func inNetns(ns netns.NsHandle, fn func() error) error {
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		orig, err := netns.Get()
		if err != nil {
			runtime.UnlockOSThread()
			done <- fmt.Errorf("open the thread's network namespace: %w", err)
			return
		}
		defer orig.Close()
		if err := netns.Set(ns); err != nil {
			runtime.UnlockOSThread()
			done <- fmt.Errorf("enter network namespace %s: %w", ns, err)
			return
		}
		ferr := fn()
		if err := netns.Set(orig); err != nil {
			done <- fmt.Errorf("return the thread to its network namespace: %w (after: %v)", err, ferr)
			return // the thread stays locked and dies with this goroutine
		}
		runtime.UnlockOSThread()
		done <- ferr
	}()
	return <-done
}

// InNetns runs fn on a fresh OS thread switched into the named network
// namespace (/run/netns/<name>), as inNetns does: the sockets fn opens and
// the interfaces it looks up are the namespace's.
func InNetns(name string, fn func() error) error {
	ns, err := netns.GetFromName(name)
	if err != nil {
		return fmt.Errorf("open network namespace %q: %w", name, err)
	}
	defer ns.Close()
	return inNetns(ns, fn)
}

// openOrCreateNamed returns the named network namespace (/run/netns/<name>),
// creating it when missing, without moving the caller's thread.
func openOrCreateNamed(name string) (netns.NsHandle, error) {
	if h, err := netns.GetFromName(name); err == nil {
		if isNetns(h) {
			return h, nil
		}
		h.Close()
		if err := removeStaleNamed(name); err != nil {
			return netns.None(), err
		}
	}
	type result struct {
		h   netns.NsHandle
		err error
	}
	done := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		orig, err := netns.Get()
		if err != nil {
			runtime.UnlockOSThread()
			done <- result{netns.None(), fmt.Errorf("open the thread's network namespace: %w", err)}
			return
		}
		defer orig.Close()
		// NewNamed unshares this thread into the new namespace.
		h, err := netns.NewNamed(name)
		if rerr := netns.Set(orig); rerr != nil {
			done <- result{netns.None(), fmt.Errorf("return the thread to its network namespace after creating %q: %w", name, rerr)}
			return
		}
		runtime.UnlockOSThread()
		if err != nil {
			err = fmt.Errorf("create network namespace %q under /run/netns: %w", name, err)
		}
		done <- result{h, err}
	}()
	r := <-done
	return r.h, r.err
}

// run executes a command inside ns with stdin, returning its stdout and an
// error that carries its stderr.
func run(ns netns.NsHandle, stdin string, name string, args ...string) (string, error) {
	var out, errb bytes.Buffer
	err := inNetns(ns, func() error {
		cmd := exec.Command(name, args...)
		cmd.Stdin = strings.NewReader(stdin)
		cmd.Stdout, cmd.Stderr = &out, &errb
		return cmd.Run()
	})
	if err != nil {
		msg := strings.TrimSpace(errb.String())
		if msg != "" {
			return out.String(), fmt.Errorf("run %s %s: %w: %s", name, strings.Join(args, " "), err, msg)
		}
		return out.String(), fmt.Errorf("run %s %s: %w", name, strings.Join(args, " "), err)
	}
	return out.String(), nil
}

// sysctlPath maps "net.ipv4.ip_forward" to its /proc/sys file.
func sysctlPath(key string) string {
	return filepath.Join("/proc/sys", strings.ReplaceAll(key, ".", "/"))
}

// readSysctl reads a net.* sysctl as seen from ns: /proc/sys/net resolves
// against the namespace of the thread that opens it.
func readSysctl(ns netns.NsHandle, key string) (string, error) {
	var v []byte
	err := inNetns(ns, func() error {
		var err error
		v, err = os.ReadFile(sysctlPath(key))
		return err
	})
	return strings.TrimSpace(string(v)), err
}

// writeSysctl writes a net.* sysctl inside ns. Docker mounts /proc/sys
// read-only in a container; on that error, rosemu makes /proc/sys/net
// writable (procSysNetWritable) and tries once more, so that a setting the
// configuration changes at run time (/interface bridge settings
// use-ip-firewall) need not be known when the container starts. Without
// CAP_SYS_ADMIN the first error stands, and callers treat it as "not
// writable".
func writeSysctl(ns netns.NsHandle, key, value string) error {
	write := func() error {
		return os.WriteFile(sysctlPath(key), []byte(value), 0o644)
	}
	err := inNetns(ns, write)
	if !errors.Is(err, syscall.EROFS) || !strings.HasPrefix(key, "net.") {
		return err
	}
	if merr := procSysNetWritable(); merr != nil {
		return fmt.Errorf("%w (making /proc/sys/net writable: %v)", err, merr)
	}
	return inNetns(ns, write)
}

var procSysNet struct {
	once sync.Once
	err  error
}

// procSysNetWritable bind-mounts /proc/sys/net on itself and remounts the
// bind read-write, once per process. Only the net subtree: its files are
// the settings of the namespace that opens them (the router's own, never
// this machine's, whose global ones a non-initial namespace sees
// read-only anyway), while the rest of /proc/sys stays read-only. The
// router container has CAP_SYS_ADMIN for its mounts; the mounts live in
// its mount namespace and go with it.
func procSysNetWritable() error {
	procSysNet.once.Do(func() {
		const dir = "/proc/sys/net"
		if err := unix.Mount(dir, dir, "", unix.MS_BIND, ""); err != nil {
			procSysNet.err = fmt.Errorf("bind %s: %w", dir, err)
			return
		}
		flags := uintptr(unix.MS_BIND | unix.MS_REMOUNT | unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC)
		if err := unix.Mount("", dir, "", flags, ""); err != nil {
			procSysNet.err = fmt.Errorf("remount %s read-write: %w", dir, err)
		}
	})
	return procSysNet.err
}

// InNetnsHandle runs fn on a fresh OS thread switched into ns, as InNetns
// does for a named namespace: a service that keeps a namespace by its
// handle (the OpenVPN server's, rosemu/service/ovpn) makes or enters it
// without moving a thread the Go runtime reuses.
func InNetnsHandle(ns netns.NsHandle, fn func() error) error { return inNetns(ns, fn) }

// WriteNetConf writes the files of w under dir (a /proc/sys/net
// directory) inside ns, as the router's own link settings are written.
func WriteNetConf(ns netns.NsHandle, dir string, w [][2]string) error {
	return writeNetConf(ns, dir, w)
}
