package router

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/chrlab/chrlab/cmd/qemuboot/guest"
	"github.com/chrlab/chrlab/harness/chr"
	"github.com/chrlab/chrlab/harness/images"
	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/ros"
)

// qemuRouter is a router in the chr container's QEMU: real CHR, or the vm
// stand-in. Both take the same path: a CHR-layout disk, a cached copy of
// it provisioned with rw/autorun.scr, the same QEMU command line, and the
// same readiness checks.
type qemuRouter struct {
	guest    string // "vm" or "chr"
	version  string
	emulated bool
	note     string
	src      string // the CHR image; "" for the vm stand-in, made in Run
	cache    string
	memory   int
}

func (r *qemuRouter) Version() string { return r.version }
func (r *qemuRouter) Emulated() bool  { return r.emulated }
func (r *qemuRouter) NeedsQEMU() bool { return true }

func (r *qemuRouter) OnHostKernel() bool { return false }
func (r *qemuRouter) Note() string {
	kvm, _ := lab.KVMUsable()
	if r.note == "" {
		return accel(kvm)
	}
	return r.note + "; " + accel(kvm)
}

// Run provisions the disk (in the chr image, so the user needs nothing new)
// and returns how the lab runs the router.
func (r *qemuRouter) Run(ctx context.Context, imgs images.Images, spec *lab.Spec) (string, lab.RouterRun, error) {
	if imgs.Chr == "" {
		return "", lab.RouterRun{}, errors.New("run a QEMU router: the chr container image was not built")
	}
	tool := func(ctx context.Context, dir string, args []string) ([]byte, error) {
		return lab.RunTool(ctx, imgs.Chr, dir, args)
	}
	src := r.src
	if src == "" {
		var err error
		if src, err = chr.MakeStandin(ctx, r.cache, tool); err != nil {
			return "", lab.RouterRun{}, err
		}
	}
	mgmtNet, err := mgmtNetFor(spec)
	if err != nil {
		return "", lab.RouterRun{}, err
	}
	script := chr.Provision{MgmtMAC: guest.MgmtMAC, MgmtAddr: guest.MgmtGuestAddr(mgmtNet)}.Script(chr.AutorunMarker)
	d, err := chr.Derive(ctx, src, r.cache, script, tool)
	if err != nil {
		return "", lab.RouterRun{}, err
	}
	mem := r.memory
	if mem == 0 {
		mem = Memory(r.version, 1, len(spec.Router.Ports)+1)
	}
	prov := chr.Provision{MgmtMAC: guest.MgmtMAC, MgmtAddr: guest.MgmtGuestAddr(mgmtNet)}
	kvm, _ := lab.KVMUsable()
	run, _ := lab.QEMURouter(lab.QEMUGuest{Guest: r.guest, Disk: d.Path, Memory: mem, MgmtNet: mgmtNet,
		ProvisionLine: prov.Line(chr.ConsoleMarker), FallbackAfter: lab.FallbackAfter(kvm)})
	return imgs.Chr, run, nil
}

// mgmtNetFor picks the guest's user-mode management subnet away from every
// lab subnet, Docker's wiring range and the management networks'.
func mgmtNetFor(spec *lab.Spec) (netip.Prefix, error) {
	used := []netip.Prefix{netip.MustParsePrefix("10.200.0.0/13"), netip.MustParsePrefix("198.18.0.0/15"), netip.MustParsePrefix("172.16.0.0/12")}
	for _, n := range spec.Networks {
		used = append(used, n.Subnet)
	}
	return guest.PickMgmtNet(used)
}

// readyBudget bounds the readiness checks after the API first answered:
// ports that appear late, the autorun script still running.
const readyBudget = 30 * time.Second

// Ready checks what a provisioned CHR must show before the lab's
// configuration goes on: /system resource with a CHR board name, one
// ethernet port per lab port plus the management NIC, no DHCP client left,
// and the provisioning marker in /log, which says how it was provisioned.
func (r *qemuRouter) Ready(ctx context.Context, rc *ros.Client, spec *lab.Spec) (Readiness, error) {
	start := time.Now()
	var last error
	for {
		rd, err := checkReady(ctx, rc, len(spec.Router.Ports)+1)
		if err == nil {
			rd.Took = time.Since(start)
			return rd, nil
		}
		last = err
		if time.Since(start) > readyBudget || ctx.Err() != nil {
			return Readiness{}, fmt.Errorf("check the router is a provisioned CHR within %s: %w (the console log, router-console.txt, shows its boot)", readyBudget, last)
		}
		select {
		case <-ctx.Done():
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func checkReady(ctx context.Context, rc *ros.Client, ethernets int) (Readiness, error) {
	var rd Readiness
	res, err := rc.Print(ctx, "/system/resource")
	if err != nil || len(res) == 0 {
		return rd, fmt.Errorf("read /system/resource: %v", err)
	}
	rd.Board, rd.Version = res[0]["board-name"], res[0]["version"]
	if !strings.HasPrefix(rd.Board, "CHR") {
		return rd, fmt.Errorf("board-name is %q, not a CHR", rd.Board)
	}
	eth, err := rc.Print(ctx, "/interface/ethernet")
	if err != nil {
		return rd, fmt.Errorf("read /interface/ethernet: %w", err)
	}
	if len(eth) != ethernets {
		var names []string
		for _, e := range eth {
			names = append(names, e["name"])
		}
		return rd, fmt.Errorf("the router has %d ethernet ports (%s), want %d (the lab's and the management NIC)", len(eth), strings.Join(names, " "), ethernets)
	}
	dc, err := rc.Print(ctx, "/ip/dhcp-client")
	if err != nil {
		return rd, fmt.Errorf("read /ip/dhcp-client: %w", err)
	}
	if len(dc) != 0 {
		return rd, fmt.Errorf("a DHCP client is left on %s: the provisioning did not remove the default one", dc[0]["interface"])
	}
	logs, err := rc.Print(ctx, "/log")
	if err != nil {
		return rd, fmt.Errorf("read /log: %w", err)
	}
	for _, l := range logs {
		switch {
		case strings.Contains(l["message"], chr.AutorunMarker):
			rd.Provisioned = "autorun (rw/autorun.scr)"
		case strings.Contains(l["message"], chr.ConsoleMarker):
			rd.Provisioned = "console dialogue"
		}
	}
	if rd.Provisioned == "" {
		return rd, errors.New("no provisioning marker in /log")
	}
	return rd, nil
}

// accel says how the guest CPU runs, for the report.
func accel(kvm bool) string {
	if kvm {
		return "QEMU with KVM"
	}
	_, why := lab.KVMUsable()
	return "QEMU with TCG (" + why + ")"
}

func cacheDir(o Options) string {
	if o.CacheDir != "" {
		return o.CacheDir
	}
	d, err := chr.DefaultCacheDir()
	if err != nil {
		// Without a home folder there is no cache; a relative one keeps
		// the messages meaningful.
		return ".cache/chrlab"
	}
	return d
}

func chrAvailable(version, cache string) bool { return chr.Available(version, cache) }
