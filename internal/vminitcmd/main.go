// Package vminitcmd is vminit, the init (PID 1) of the vm backend's guest: a Debian
// kernel booted by qemuboot with an initramfs holding vminit, rosemu and
// nft. It mounts the kernel filesystems, loads the kernel modules rosemu
// needs, names the NICs by MAC (ether1..N, then the management NIC as the
// next port) as the kernel command line says, takes rw/autorun.scr from
// the disk's RouterOS partition as RouterOS does at boot, and runs rosemu
// with the ports, the management port and that script. Everything it and rosemu
// print goes to the serial console, which qemuboot captures. When rosemu
// exits, vminit powers the guest off, which ends QEMU.
package vminitcmd

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"

	"github.com/chrlab/chrlab/cmd/qemuboot/guest"
	"github.com/chrlab/chrlab/cmd/qemuboot/initramfs"
)

// nicWait bounds the wait for the virtio NICs to appear after their
// driver loads. Probing is synchronous with the module load on this
// kernel, so this is only a guard against a NIC QEMU did not create.
const nicWait = 5 * time.Second

// Main runs vminit with os.Args; cmd/vminit and the vminit role of cmd/chrlab call it.
func Main() {
	start := time.Now()
	logf("starting")
	err := setup()
	if err != nil {
		logf("setup failed: %v", err)
		poweroff()
	}
	autorun, err := takeAutorun()
	if err != nil {
		logf("setup failed: %v", err)
		poweroff()
	}
	logf("setup done in %.2fs; starting rosemu", time.Since(start).Seconds())
	cfg, _ := readConfig()
	code := runRosemu(cfg.RosemuArgs(autorun))
	logf("rosemu exited (%s); powering off", code)
	poweroff()
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "vminit: "+format+"\n", args...)
}

// uptime reads the kernel's clock, so the console shows how long the
// kernel took before init ran.
func uptime() string {
	data, err := os.ReadFile("/proc/uptime")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(data))
	if len(f) == 0 {
		return "?"
	}
	return f[0] + "s"
}

func readConfig() (guest.Config, error) {
	data, err := os.ReadFile("/proc/cmdline")
	if err != nil {
		return guest.Config{}, fmt.Errorf("read /proc/cmdline: %w", err)
	}
	return guest.Parse(string(data))
}

func setup() error {
	mounts := []struct{ src, dst, fstype string }{
		{"proc", "/proc", "proc"},
		{"sysfs", "/sys", "sysfs"},
		{"devtmpfs", "/dev", "devtmpfs"},
		{"tmpfs", "/run", "tmpfs"},
		{"tmpfs", "/tmp", "tmpfs"},
	}
	for _, m := range mounts {
		if err := unix.Mount(m.src, m.dst, m.fstype, 0, ""); err != nil && !errors.Is(err, unix.EBUSY) {
			return fmt.Errorf("mount %s on %s: %w", m.fstype, m.dst, err)
		}
	}
	logf("kernel up %s before init", uptime())
	cfg, err := readConfig()
	if err != nil {
		return err
	}
	if err := loadModules(initramfs.GuestModuleList); err != nil {
		return err
	}
	// rosemu sets these too; setting them here means the router forwards
	// from the moment its ports come up.
	//
	// The kernel sizes the conntrack table from the guest's 256 MiB, to a
	// few thousand entries: one second of the cps probe's connections, in
	// TIME_WAIT, fills it and the router then drops every new connection.
	// RouterOS grows its table on demand (max-entries follows RAM), and the
	// container backend has the host's 262144; the guest gets the same.
	for k, v := range map[string]string{"net/ipv4/ip_forward": "1", "net/ipv4/conf/all/rp_filter": "0", "net/ipv4/conf/default/rp_filter": "0",
		"net/netfilter/nf_conntrack_max": "262144"} {
		if err := os.WriteFile("/proc/sys/"+k, []byte(v), 0o644); err != nil {
			return fmt.Errorf("set sysctl %s: %w", k, err)
		}
	}
	if err := nameNICs(cfg); err != nil {
		return err
	}
	return nil
}

// loadModules loads the modules listed in load order (dependencies first)
// with finit_module; one already loaded is fine.
func loadModules(list string) error {
	f, err := os.Open(list)
	if err != nil {
		return fmt.Errorf("open the module list %s: %w", list, err)
	}
	defer f.Close()
	start := time.Now()
	n := 0
	// The slowest loads are named: module loading is a large share of a
	// TCG boot, and this is where a new module's cost shows.
	type took struct {
		name string
		d    time.Duration
	}
	var slow []took
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p := strings.TrimSpace(sc.Text())
		if p == "" {
			continue
		}
		mf, err := os.Open(p)
		if err != nil {
			return fmt.Errorf("open kernel module %s: %w", p, err)
		}
		began := time.Now()
		err = unix.FinitModule(int(mf.Fd()), "", 0)
		slow = append(slow, took{strings.TrimSuffix(filepath.Base(p), ".ko"), time.Since(began)})
		mf.Close()
		if err != nil && !errors.Is(err, unix.EEXIST) {
			return fmt.Errorf("load kernel module %s: %w", p, err)
		}
		n++
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read the module list %s: %w", list, err)
	}
	sort.Slice(slow, func(i, j int) bool { return slow[i].d > slow[j].d })
	var names []string
	for _, t := range slow[:min(4, len(slow))] {
		names = append(names, fmt.Sprintf("%s %.2fs", t.name, t.d.Seconds()))
	}
	logf("loaded %d kernel modules in %.2fs (slowest: %s)", n, time.Since(start).Seconds(), strings.Join(names, ", "))
	return nil
}

// nameNICs renames every NIC by its MAC to its RouterOS name, the
// management NIC included (the port after the lab's, as on CHR). PCI order
// need not match port order; the MACs qemuboot assigned do. Nothing gets
// an address here: the management NIC gets its own from the router's
// configuration (rw/autorun.scr), as on CHR.
func nameNICs(cfg guest.Config) error {
	want := map[string]string{} // MAC -> name
	for _, p := range cfg.Ports {
		want[p.MAC.String()] = p.Name
	}
	want[cfg.Mgmt.MAC.String()] = cfg.MgmtPort()

	deadline := time.Now().Add(nicWait)
	var links map[string]netlink.Link
	for {
		all, err := netlink.LinkList()
		if err != nil {
			return fmt.Errorf("list the guest's NICs: %w", err)
		}
		links = map[string]netlink.Link{}
		for _, l := range all {
			if name, ok := want[l.Attrs().HardwareAddr.String()]; ok {
				links[name] = l
			}
		}
		if len(links) == len(want) {
			break
		}
		if time.Now().After(deadline) {
			var have []string
			for _, l := range all {
				have = append(have, l.Attrs().Name+"="+l.Attrs().HardwareAddr.String())
			}
			return fmt.Errorf("find the NICs %v within %s: the guest has only %s", want, nicWait, strings.Join(have, " "))
		}
		time.Sleep(20 * time.Millisecond)
	}
	if lo, err := netlink.LinkByName("lo"); err == nil {
		_ = netlink.LinkSetUp(lo)
	}
	for name, l := range links {
		if l.Attrs().Name != name {
			if err := netlink.LinkSetName(l, name); err != nil {
				return fmt.Errorf("rename NIC %s (%s) to %s: %w", l.Attrs().Name, l.Attrs().HardwareAddr, name, err)
			}
		}
		logf("NIC %s is %s", l.Attrs().HardwareAddr, name)
	}
	return nil
}

// runRosemu runs rosemu on the console and reaps every process until
// rosemu itself exits: as PID 1, vminit inherits every orphan.
func runRosemu(args []string) string {
	logf("exec %s %s", initramfs.GuestRosemu, strings.Join(args, " "))
	cmd := exec.Command(initramfs.GuestRosemu, args...)
	// The console (ttyS0) is rosemu's too: it serves the login there.
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/"}
	if err := cmd.Start(); err != nil {
		return fmt.Sprintf("start: %v", err)
	}
	pid := cmd.Process.Pid
	for {
		var ws unix.WaitStatus
		wpid, err := unix.Wait4(-1, &ws, 0, nil)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return fmt.Sprintf("wait: %v", err)
		}
		if wpid == pid {
			if ws.Signaled() {
				return "signal " + ws.Signal().String()
			}
			return fmt.Sprintf("exit status %d", ws.ExitStatus())
		}
	}
}

// poweroff ends the guest, and with it QEMU, instead of letting PID 1 exit,
// which would panic the kernel.
func poweroff() {
	syscall.Sync()
	if err := unix.Reboot(unix.LINUX_REBOOT_CMD_POWER_OFF); err != nil {
		logf("power off: %v", err)
	}
	select {}
}
