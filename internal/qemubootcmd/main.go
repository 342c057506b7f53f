// Package qemubootcmd is qemuboot, the main process of the chr container: it wires the
// lab networks the container joins to the NICs of a QEMU guest, in the
// lab's port order, and boots either the vm guest (the Debian kernel with
// rosemu in its initramfs) or a RouterOS CHR disk image.
//
//	qemuboot --guest vm --port ether1=203.0.113.0/24 --port ether2=192.168.88.0/24 \
//	         --mgmt 172.31.255.0/24 [--identity router] [-- extra rosemu flags]
//	qemuboot --guest chr --disk /images/chr-7.16.2.img --port ... --mgmt ...
//	qemuboot initramfs --out /boot/chrlab-vm.cpio ...   (at image build)
//	qemuboot vmlinux --in /boot/vmlinuz --out /boot/vmlinux   (at image build)
//	qemuboot kvm    exit 0 when QEMU can use KVM here, 1 (and why) when not
//	qemuboot link N up|down   set the link of the running guest's port N (QMP)
//
// Each port becomes a bridge holding the container's interface in that
// subnet and a tap for QEMU; the management interface stays in the
// container, and QEMU's user-mode network forwards the API (8728) and SSH
// (22) from the container's management address to the guest. It prints
// "qemuboot ready" once QEMU runs and then the guest's serial console.
package qemubootcmd

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/chrlab/chrlab/cmd/qemuboot/guest"
	"github.com/chrlab/chrlab/internal/execserve"
	"github.com/chrlab/chrlab/internal/rosconsole"
)

// ReadyLine is printed once QEMU has started; the router's own readiness
// is its API answering on the management address.
const ReadyLine = "qemuboot ready"

// DefaultConsole is where the serial console is written in the container.
const DefaultConsole = "/var/log/chrlab/console.log"

type portFlags []portSpec

func (p *portFlags) String() string { return fmt.Sprint(*p) }

func (p *portFlags) Set(v string) error {
	name, subnet, ok := strings.Cut(v, "=")
	if !ok || name == "" {
		return fmt.Errorf("port %q is not name=subnet", v)
	}
	pfx, err := netip.ParsePrefix(subnet)
	if err != nil {
		return fmt.Errorf("port %s: %w", name, err)
	}
	*p = append(*p, portSpec{Name: name, Subnet: pfx.Masked()})
	return nil
}

// Main runs qemuboot with os.Args; cmd/qemuboot and the qemuboot role of cmd/chrlab call it.
func Main() {
	if len(os.Args) > 1 && os.Args[1] == "exec-serve" {
		// The lab's command server (internal/execserve) in the QEMU
		// container.
		if err := execserve.Serve(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "qemuboot exec-serve:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "vmlinux" {
		if err := vmlinuxMain(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "qemuboot vmlinux:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "kvm" {
		// The question make and CI ask before choosing how much of the vm
		// suite a TCG machine runs: the launcher's own answer, so they agree.
		if kvm, why := guest.KVMUsable(); !kvm {
			fmt.Println("tcg:", why)
			os.Exit(1)
		}
		fmt.Println("kvm")
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "link" {
		// A lab step pulling or plugging a port's cable (link.go).
		if err := linkMain(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "qemuboot link:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "initramfs" {
		if err := initramfsMain(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "qemuboot initramfs:", err)
			os.Exit(1)
		}
		return
	}
	var o options
	flag.StringVar(&o.guest, "guest", GuestVM, "what to boot: vm (kernel + rosemu initramfs) or chr (a CHR disk image)")
	flag.StringVar(&o.disk, "disk", "", "the CHR-layout raw disk image (the CHR image, or the vm guest's stand-in); never modified")
	flag.IntVar(&o.memory, "memory", 0, "guest memory in MiB (default: MikroTik's v7 guidance, 512 + 8 x CPUs x (interfaces - 1))")
	flag.StringVar(&o.provisionLine, "provision-line", "", "a RouterOS console line typed on the serial console when the guest API does not answer within --fallback-after")
	flag.DurationVar(&o.fallbackAfter, "fallback-after", 90*time.Second, "how long to wait for the guest API before the console dialogue")
	flag.StringVar(&o.mgmtNet, "mgmt-net", "", "the guest's user-mode management subnet (default: the first free of "+fmt.Sprint(guest.MgmtCandidates)+")")
	flag.StringVar(&o.kernel, "kernel", "/boot/vmlinuz", "the guest kernel (--guest vm)")
	flag.StringVar(&o.vmlinux, "vmlinux", "/boot/vmlinux", "the guest kernel as a PVH ELF, booted without KVM when present (--guest vm)")
	flag.StringVar(&o.qboot, "qboot", "/usr/share/qemu/qboot.rom", "QEMU's minimal firmware, used with --vmlinux when present")
	flag.StringVar(&o.initrd, "initrd", "/boot/chrlab-vm.cpio", "the guest initramfs (--guest vm)")
	flag.StringVar(&o.mgmt, "mgmt", "", "subnet of the management network (its interface stays in the container)")
	flag.StringVar(&o.identity, "identity", "", "the router's identity (--guest vm)")
	flag.StringVar(&o.console, "console", DefaultConsole, "file that receives the serial console")
	flag.Var(&o.ports, "port", "a RouterOS port as name=subnet, in port order (repeat)")
	flag.Parse()
	o.extra = flag.Args() // after --: extra rosemu flags (--guest vm)
	// The harness's command servers (internal/execserve) in the QEMU
	// container, from before the guest boots.
	if err := execserve.ListenMember(execserve.StartAndWait); err != nil {
		logf("%v (the harness falls back to docker exec)", err)
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "qemuboot:", err)
		os.Exit(1)
	}
}

type options struct {
	guest, disk, kernel, initrd, mgmt, identity, console string
	vmlinux, qboot                                       string
	mgmtNet, provisionLine                               string
	fallbackAfter                                        time.Duration
	memory                                               int
	ports                                                portFlags
	extra                                                []string
}

func logf(format string, args ...any) {
	fmt.Printf("qemuboot: "+format+"\n", args...)
}

func run(o options) error {
	start := time.Now()
	// SIGTERM (docker stop, lab teardown) kills QEMU at once: there is
	// nothing in a lab router worth a graceful shutdown.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()

	if len(o.ports) == 0 {
		return errors.New("want at least one --port")
	}
	mgmt, err := netip.ParsePrefix(o.mgmt)
	if err != nil {
		return fmt.Errorf("parse --mgmt %q: %w", o.mgmt, err)
	}
	m := machine{Guest: o.guest, Console: o.console, Disk: o.disk, Memory: o.memory, ProvisionLine: o.provisionLine, FallbackAfter: o.fallbackAfter}
	if m.Memory == 0 {
		m.Memory = memoryFor(cpus, len(o.ports)+1)
	}
	switch o.guest {
	case GuestVM:
		m.Kernel, m.Initrd = o.kernel, o.initrd
		for _, f := range []struct {
			path string
			to   *string
		}{{o.vmlinux, &m.ELFKernel}, {o.qboot, &m.QBoot}} {
			if _, err := os.Stat(f.path); err == nil && f.path != "" {
				*f.to = f.path
			}
		}
	case GuestCHR:
	default:
		return fmt.Errorf("unknown --guest %q; known: vm, chr", o.guest)
	}
	if o.disk == "" {
		return fmt.Errorf("--guest %s wants --disk with a CHR-layout disk image", o.guest)
	}
	for _, f := range []string{m.Kernel, m.Initrd, m.Disk} {
		if f == "" {
			continue
		}
		if _, err := os.Stat(f); err != nil {
			return fmt.Errorf("find the guest's %s: %w", filepath.Base(f), err)
		}
	}

	ifaces, err := listIfaces()
	if err != nil {
		return err
	}
	portIfs, mgmtIf, err := matchPorts(ifaces, o.ports, mgmt.Masked())
	if err != nil {
		return err
	}
	for _, a := range mgmtIf.Addrs {
		if mgmt.Contains(a.Addr()) {
			m.MgmtHost = a.Addr()
		}
	}
	used := []netip.Prefix{mgmt}
	cfg := guest.Config{Identity: o.identity, Args: o.extra}
	for i, p := range o.ports {
		tap, err := bridgePort(i, portIfs[i])
		if err != nil {
			return err
		}
		m.Taps = append(m.Taps, tap)
		used = append(used, p.Subnet)
		cfg.Ports = append(cfg.Ports, guest.Port{Name: p.Name, MAC: guest.PortMAC(i), Subnet: p.Subnet})
		logf("%s = container %s via %s, guest MAC %s", p.Name, portIfs[i], tap, guest.PortMAC(i))
	}
	if o.mgmtNet != "" {
		if m.MgmtNet, err = netip.ParsePrefix(o.mgmtNet); err != nil {
			return fmt.Errorf("parse --mgmt-net %q: %w", o.mgmtNet, err)
		}
		for _, u := range used {
			if u.Overlaps(m.MgmtNet) {
				return fmt.Errorf("use --mgmt-net %s: it overlaps %s", m.MgmtNet, u)
			}
		}
	} else if m.MgmtNet, err = guest.PickMgmtNet(used); err != nil {
		return err
	}
	cfg.Mgmt = guest.Mgmt{MAC: guest.MgmtMAC, Addr: guest.MgmtGuestAddr(m.MgmtNet)}
	if o.guest == GuestVM {
		if m.Append, err = cfg.Cmdline(); err != nil {
			return err
		}
	}
	logf("management: %s:8728 and :22 (container %s) forward to guest %s (QEMU user network, restricted)", m.MgmtHost, mgmtIf.Name, cfg.Mgmt.Addr.Addr())

	var why string
	m.KVM, why = guest.KVMUsable()
	if !m.KVM {
		logf("no KVM (%s): QEMU emulates the CPU (TCG), boots take several times longer", why)
	}
	if err := os.MkdirAll(filepath.Dir(m.Console), 0o755); err != nil {
		return fmt.Errorf("create the console log folder: %w", err)
	}
	for _, f := range []struct{ port, to int }{{8728, fwdAPI}, {22, fwdSSH}} {
		if err := relay(ctx, netip.AddrPortFrom(m.MgmtHost, uint16(f.port)), netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(f.to))); err != nil {
			return err
		}
	}
	return boot(ctx, m, start)
}

// Console markers qemuboot times: the first line the guest's userland
// prints (the console prompt on CHR, vminit's first line on the vm guest)
// and rosemu's ready line.
var promptMarkers = []string{"MikroTik Login:", "Login:", "vminit: starting"}

const guestReady = "rosemu ready"

// consoleSocket is where QEMU serves the guest's serial console.
const consoleSocket = "/run/qemuboot/console.sock"

// firstBootWindow: a clean QEMU exit this soon after the first start is
// taken for the reboot old CHRs make once after installing themselves
// (QEMU runs with -no-reboot), and the guest is started once more.
const firstBootWindow = 3 * time.Minute

func boot(ctx context.Context, m machine, start time.Time) error {
	for attempt := 1; ; attempt++ {
		began := time.Now()
		rebooted, err := bootOnce(ctx, m, start)
		if err != nil || !rebooted {
			return err
		}
		if m.Guest != GuestCHR || attempt > 1 || time.Since(began) > firstBootWindow {
			logf("QEMU ended after %.1fs: the guest powered off (console log %s)", time.Since(began).Seconds(), m.Console)
			return nil
		}
		logf("QEMU ended %.1fs after start: taking it for CHR's first-boot reboot and starting the guest again", time.Since(began).Seconds())
	}
}

// bootOnce runs QEMU until it ends; rebooted says it ended cleanly (the
// guest powered off or rebooted).
func bootOnce(ctx context.Context, m machine, start time.Time) (rebooted bool, err error) {
	_ = os.Remove(consoleSocket)
	if err := os.MkdirAll(filepath.Dir(consoleSocket), 0o755); err != nil {
		return false, fmt.Errorf("create the console socket folder: %w", err)
	}
	m.ConsoleSocket = consoleSocket
	_ = os.Remove(qmpSocket)
	m.QMPSocket = qmpSocket
	args := qemuArgs(m)
	accel := "tcg"
	if m.KVM {
		accel = "kvm"
	}
	logf("exec qemu-system-x86_64 %s", strings.Join(args, " "))
	cmd := exec.Command("qemu-system-x86_64", args...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.Stdin = nil // /dev/null
	if err := cmd.Start(); err != nil {
		return false, fmt.Errorf("start QEMU: %w", err)
	}
	qemuStart := time.Now()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	ser, err := dialSerial(consoleSocket, 10*time.Second)
	if err != nil {
		_ = cmd.Process.Kill()
		<-done
		return false, err
	}
	defer ser.conn.Close()
	logf("%s (%s, %d MiB, guest %s, QEMU pid %d, setup %.2fs)", ReadyLine, accel, m.Memory, m.Guest, cmd.Process.Pid, qemuStart.Sub(start).Seconds())

	pr, pw := io.Pipe()
	go func() {
		ser.pump(pw)
		pw.Close()
	}()
	mirrored := make(chan struct{})
	go func() {
		defer close(mirrored)
		// The console is mirrored line by line, with the boot timings
		// noted as the markers appear.
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		first, prompt, ready := false, false, false
		for sc.Scan() {
			line := sc.Text()
			fmt.Println(line)
			switch {
			case !first:
				first = true
				logf("console: first output %.2fs after QEMU started", time.Since(qemuStart).Seconds())
			}
			if !prompt && containsAny(line, promptMarkers) {
				prompt = true
				logf("console: guest userland (prompt) %.2fs after QEMU started", time.Since(qemuStart).Seconds())
			}
			if !ready && strings.Contains(line, guestReady) {
				ready = true
				logf("console: guest router ready %.2fs after QEMU started", time.Since(qemuStart).Seconds())
			}
		}
	}()
	fctx, stopFallback := context.WithCancel(ctx)
	defer stopFallback()
	if m.ProvisionLine != "" {
		go fallback(fctx, m, ser, qemuStart)
	}
	select {
	case err := <-done:
		ser.conn.Close()
		<-mirrored
		if err != nil {
			return false, fmt.Errorf("QEMU ended after %.1fs: %w (console log %s)", time.Since(qemuStart).Seconds(), err, m.Console)
		}
		return true, nil
	case <-ctx.Done():
		_ = cmd.Process.Kill()
		<-done
		logf("stopped QEMU on signal")
		return false, nil
	}
}

// fallback waits for the guest's API; if it does not answer within
// m.FallbackAfter (rw/autorun.scr did not provision it), it logs in on the
// serial console and types the provisioning line.
func fallback(ctx context.Context, m machine, ser *serial, qemuStart time.Time) {
	api := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), fwdAPI).String()
	deadline := qemuStart.Add(m.FallbackAfter)
	for time.Now().Before(deadline) {
		if apiAnswers(ctx, api) == nil {
			logf("provisioning: the guest API answers %.1fs after QEMU started; no console dialogue needed", time.Since(qemuStart).Seconds())
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(2 * time.Second):
		}
	}
	logf("provisioning: no API answer %.0fs after QEMU started; logging in on the serial console to provision it", m.FallbackAfter.Seconds())
	dctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	t := ser.openTap()
	out, err := rosconsole.Run(dctx, t, rosconsole.Options{}, m.ProvisionLine)
	if err != nil {
		logf("provisioning through the console failed: %v", err)
		return
	}
	logf("provisioning: typed the provisioning line on the console (%d bytes of output)", len(out))
}

// apiAnswers sends one RouterOS API sentence (/login) and waits for a
// reply word: QEMU's forward accepts connections before the guest listens,
// so only a reply proves the guest's API.
func apiAnswers(ctx context.Context, addr string) error {
	actx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(actx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := conn.Write([]byte("\x06/login\x00")); err != nil {
		return err
	}
	b := make([]byte, 8)
	n, err := io.ReadAtLeast(conn, b, 2)
	if err != nil {
		return err
	}
	if b[1] != '!' || n < 2 {
		return errNoAnswer
	}
	return nil
}

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}
