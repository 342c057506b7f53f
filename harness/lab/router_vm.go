package lab

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"strconv"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/chrlab/chrlab/cmd/qemuboot/guest"
)

// Readiness line and paths of the chr image (images/chr), whose main
// process is qemuboot.
const (
	QemubootReadyLine = "qemuboot ready"
	QemubootPath      = "/usr/local/bin/qemuboot"
	// ConsolePath is where qemuboot writes the guest's serial console.
	ConsolePath = "/var/log/chrlab/console.log"
)

// Readiness budgets of a lab whose router is a QEMU guest. Under KVM the
// vm guest answers its API about 2 s after QEMU starts and CHR in under
// 15 s, so the default budget holds. Under TCG QEMU interprets every guest
// instruction: the vm guest needs about 5 s on an idle machine and several
// times that while the lab's other containers start beside it on few
// CPUs, and CHR about a minute; guests booting at the same time share the
// CPU and slow each other down further, which is why TCG routers should
// boot one at a time and the budget grows.
const (
	VMBudgetKVM = 60 * time.Second
	VMBudgetTCG = 150 * time.Second
)

// FallbackAfter is how long a QEMU router's API may stay silent before
// qemuboot provisions it through the serial console: a CHR under KVM
// answers within about 20 s, under TCG within about a minute.
func FallbackAfter(kvm bool) time.Duration {
	if kvm {
		return 30 * time.Second
	}
	return 75 * time.Second
}

// QEMUGuest says what a QEMU router boots: the guest kind (vm or chr), the
// CHR-layout disk on this machine (mounted read-only into the container;
// QEMU keeps every write in a temporary overlay), its memory (0: MikroTik's
// guidance, computed by qemuboot) and the guest's user-mode management
// subnet, which the disk's provisioning script has addressed.
type QEMUGuest struct {
	Guest   string // "vm" or "chr"
	Disk    string
	Memory  int
	MgmtNet netip.Prefix
	// ProvisionLine is typed on the serial console when the guest's API
	// does not answer within FallbackAfter (rw/autorun.scr did not run).
	ProvisionLine string
	FallbackAfter time.Duration
}

// DiskPath is where the router container sees the guest's disk.
const DiskPath = "/chrlab/disk.img"

// QEMURouter returns how the router runs in the vm and chr backends: the
// chr image (images.Images.Chr as Options.RouterImage) with qemuboot
// booting the guest, wired like a CHR would be. Readiness is qemuboot's
// line and then an API answer from the guest on the management address;
// kvm says whether the guest will run under KVM, which decides the budget.
func QEMURouter(q QEMUGuest) (r RouterRun, kvm bool) {
	kvm, _ = KVMUsable()
	r = RouterRun{
		Entrypoint: []string{QemubootPath},
		Args: func(spec *Spec, mgmt netip.Prefix) []string {
			return QemubootArgs(spec, mgmt, q)
		},
		ReadyLine: QemubootReadyLine,
		APIAnswer: true,
		// qemuboot makes bridges and taps: NET_ADMIN; no SYS_ADMIN, since
		// rosemu's namespaces are inside the guest.
		Caps:    []string{"NET_ADMIN", "NET_RAW"},
		Devices: []string{"/dev/net/tun"},
		// The container only bridges: it forwards nothing itself, and its
		// bridges and taps send no IPv6 of their own into the lab.
		Sysctls: map[string]string{
			"net.ipv4.ip_forward":                "0",
			"net.ipv6.conf.all.disable_ipv6":     "1",
			"net.ipv6.conf.default.disable_ipv6": "1",
		},
		Console: ConsolePath,
		Budget:  VMBudgetTCG,
		Binds:   []string{q.Disk + ":" + DiskPath + ":ro"},
		LinkCmd: func(n int, up bool) []string {
			return []string{QemubootPath, "link", strconv.Itoa(n), map[bool]string{true: "up", false: "down"}[up]}
		},
	}
	if _, err := os.Stat("/dev/kvm"); err == nil {
		// Mapped even when KVM is unusable, so that qemuboot sees and
		// reports the same thing the harness does.
		r.Devices = append(r.Devices, "/dev/kvm")
	}
	if kvm {
		r.Budget = VMBudgetKVM
	}
	r.MemoryMiB = qemuContainerMemory(q.Memory)
	return r, kvm
}

// KVMUsable reports whether QEMU guests on this machine can use KVM, and
// if not why: the check qemuboot makes inside the container.
func KVMUsable() (bool, string) { return guest.KVMUsable() }

// QemubootArgs returns qemuboot's command line for spec's router: the
// guest and its disk, the ports in order by subnet, the management subnet,
// the identity, and (vm) the lab's extra rosemu flags after "--".
func QemubootArgs(spec *Spec, mgmt netip.Prefix, q QEMUGuest) []string {
	args := []string{"--guest", q.Guest, "--disk", DiskPath, "--identity", spec.Router.Name, "--console", ConsolePath}
	if q.Memory > 0 {
		args = append(args, "--memory", fmt.Sprint(q.Memory))
	}
	if q.MgmtNet.IsValid() {
		args = append(args, "--mgmt-net", q.MgmtNet.String())
	}
	if q.ProvisionLine != "" {
		args = append(args, "--provision-line", q.ProvisionLine)
		if q.FallbackAfter > 0 {
			args = append(args, "--fallback-after", q.FallbackAfter.String())
		}
	}
	for i, p := range spec.Router.Ports {
		nw, _ := spec.Network(p.Network)
		args = append(args, "--port", fmt.Sprintf("ether%d=%s", i+1, nw.Subnet))
	}
	args = append(args, "--mgmt", mgmt.String())
	if q.Guest == "vm" && len(spec.Router.Emulator) > 0 {
		args = append(append(args, "--"), spec.Router.Emulator...)
	}
	return args
}

// RouterConsole returns the router's serial console so far, for a QEMU
// router (empty and an error for rosemu, which has none).
func (l *Lab) RouterConsole(ctx context.Context) ([]byte, error) {
	m, ok := l.member(l.Spec.Router.Name)
	if !ok {
		return nil, fmt.Errorf("read the router console of lab %s: no router container", l.Spec.Name)
	}
	// The copy API works on a stopped container too, which is when the
	// console matters most (a guest that panicked or powered off).
	res, err := l.docker.CopyFromContainer(ctx, m.containerID, client.CopyFromContainerOptions{SourcePath: ConsolePath})
	if err != nil {
		return nil, fmt.Errorf("read the router console %s from %s: %w", ConsolePath, m.container, err)
	}
	defer res.Content.Close()
	tr := tar.NewReader(res.Content)
	if _, err := tr.Next(); err != nil {
		return nil, fmt.Errorf("read the router console %s from %s: %w", ConsolePath, m.container, err)
	}
	data, err := io.ReadAll(tr)
	if err != nil {
		return nil, fmt.Errorf("read the router console %s from %s: %w", ConsolePath, m.container, err)
	}
	return data, nil
}

// apiAnswers sends one RouterOS API sentence (/login without arguments)
// and waits for the first word of a reply. Any reply (!done or !trap)
// proves that the router's own API server reads and answers; a forward
// with nothing behind it closes the connection instead.
func apiAnswers(ctx context.Context, conn net.Conn) error {
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	word := "/login"
	sentence := append([]byte{byte(len(word))}, word...)
	sentence = append(sentence, 0)
	if _, err := conn.Write(sentence); err != nil {
		return fmt.Errorf("send an API sentence: %w", err)
	}
	buf := make([]byte, 8)
	n, err := io.ReadAtLeast(conn, buf, 2)
	if err != nil {
		return fmt.Errorf("read the API reply: %w", err)
	}
	if !bytes.HasPrefix(buf[1:n], []byte("!")) {
		return fmt.Errorf("read the API reply: got %q, not a reply word", buf[:n])
	}
	return nil
}

// deviceMappings maps each host device to the same path in the container.
func deviceMappings(paths []string) []container.DeviceMapping {
	var out []container.DeviceMapping
	for _, p := range paths {
		out = append(out, container.DeviceMapping{PathOnHost: p, PathInContainer: p, CgroupPermissions: "rwm"})
	}
	return out
}
