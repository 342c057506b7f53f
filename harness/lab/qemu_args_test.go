package lab

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"
)

// Both QEMU kinds boot the CHR-layout disk read-only with the same
// command line; only the vm guest gets rosemu's extra flags.
func TestQEMURouterArgs(t *testing.T) {
	spec := &Spec{Router: Router{Name: "router", Ports: []Interface{{Network: "isp"}, {Network: "lan"}}, Emulator: []string{"--cloud-check", "5s"}},
		Networks: []Network{{Name: "isp", Subnet: netip.MustParsePrefix("10.200.0.0/24")}, {Name: "lan", Subnet: netip.MustParsePrefix("10.200.2.0/24")}}}
	q := QEMUGuest{Guest: "chr", Disk: "/cache/chr-7.16.2.chrlab-abc.img", Memory: 528, MgmtNet: netip.MustParsePrefix("10.0.2.0/24"),
		ProvisionLine: "{ :log info x }", FallbackAfter: 75 * time.Second}
	run, _ := QEMURouter(q)
	if !slices.Contains(run.Binds, "/cache/chr-7.16.2.chrlab-abc.img:"+DiskPath+":ro") {
		t.Errorf("binds %v", run.Binds)
	}
	args := strings.Join(run.Args(spec, netip.MustParsePrefix("172.31.255.0/24")), " ")
	for _, want := range []string{"--guest chr", "--disk " + DiskPath, "--memory 528", "--mgmt-net 10.0.2.0/24",
		"--provision-line { :log info x }", "--fallback-after 1m15s", "--port ether1=10.200.0.0/24", "--port ether2=10.200.2.0/24", "--mgmt 172.31.255.0/24"} {
		if !strings.Contains(args, want) {
			t.Errorf("qemuboot args %q lack %q", args, want)
		}
	}
	if strings.Contains(args, "--cloud-check") {
		t.Errorf("rosemu flags passed to a CHR: %q", args)
	}
	q.Guest = "vm"
	run, _ = QEMURouter(q)
	if args := strings.Join(run.Args(spec, netip.MustParsePrefix("172.31.255.0/24")), " "); !strings.HasSuffix(args, "-- --cloud-check 5s") {
		t.Errorf("vm args %q lack rosemu's flags", args)
	}
}
