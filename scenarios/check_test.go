package scenarios_test

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/chrlab/chrlab/harness/check"
	"github.com/chrlab/chrlab/harness/export"
	"github.com/chrlab/chrlab/harness/runner"
)

// planOf imports one of the exports the check's unit tests use.
func planOf(file string) *check.Plan {
	data, err := os.ReadFile(filepath.Join(root, file))
	Expect(err).NotTo(HaveOccurred())
	f, err := export.Read(file, data)
	Expect(err).NotTo(HaveOccurred())
	p, err := check.Import(f, check.Options{})
	Expect(err).NotTo(HaveOccurred())
	return p
}

var _ = Describe("chrlab check", func() {
	It("finds a home router's broken forwards and proves the fix in the lab", func(ctx SpecContext) {
		p := planOf("harness/export/testdata/hap-ac2.rsc")
		res, err := check.Run(ctx, root, p, string(backend()), GinkgoWriter)
		Expect(err).NotTo(HaveOccurred())
		causes := map[check.Cause]bool{}
		for _, f := range res.Found {
			causes[f.Cause] = true
		}
		Expect(causes).To(HaveKey(check.BoundToWAN))
		Expect(causes).To(HaveKey(check.NoHairpin))
		// The internet gets in, the LAN does not: the forwards are bound to
		// the WAN interface.
		before := check.Broken(res.Outcomes, "before")
		Expect(before).NotTo(BeEmpty())
		for _, o := range before {
			Expect(o.Probe.Path).To(HavePrefix("hairpin:"), "%+v", o)
		}
		// With the fix every forward works from everywhere.
		Expect(check.Broken(res.Outcomes, "fixed")).To(BeEmpty())
		Expect(leftovers(res.Report.LabRun)).To(BeEmpty())
	}, NodeTimeout(8*time.Minute))

	It("finds a PPPoE router's forward bound to the port under the PPPoE client, and proves the fix", func(ctx SpecContext) {
		p := planOf("harness/check/testdata/pppoe-bound.rsc")
		res, err := check.Run(ctx, root, p, string(backend()), GinkgoWriter)
		Expect(err).NotTo(HaveOccurred())
		// Traffic from the internet arrives on pppoe-out1, not on ether1:
		// the forward is broken from everywhere, and fixed everywhere.
		paths := map[string]bool{}
		for _, o := range check.Broken(res.Outcomes, "before") {
			paths[o.Probe.Path] = true
		}
		Expect(paths).To(HaveKey("internet"))
		Expect(check.Broken(res.Outcomes, "fixed")).To(BeEmpty())
	}, NodeTimeout(6*time.Minute))

	It("finds nothing wrong with a router whose forwards all work", func(ctx SpecContext) {
		p := planOf("harness/check/testdata/all-good.rsc")
		res, err := check.Run(ctx, root, p, string(backend()), GinkgoWriter)
		Expect(err).NotTo(HaveOccurred())
		Expect(res.Found).To(BeEmpty())
		Expect(res.Fix.Lines).To(BeEmpty())
		Expect(check.Broken(res.Outcomes, "before")).To(BeEmpty())
		Expect(res.Outcomes).NotTo(BeEmpty())
	}, NodeTimeout(6*time.Minute))

	It("finds a dual-WAN router's per-WAN forwards unreachable from the LAN, tells hairpin by name from by address, and proves the fix", func(ctx SpecContext) {
		p := planOf("harness/check/testdata/dual-wan.rsc")
		res, err := check.Run(ctx, root, p, string(backend()), GinkgoWriter)
		Expect(err).NotTo(HaveOccurred())
		// From the internet every forward works on the WAN it is bound
		// to, the fibre ones answered out of the fibre (the mangle rules).
		seen := map[string]string{}
		for _, o := range res.Outcomes {
			seen[o.Probe.Phase+" "+o.Probe.Path+" "+o.Probe.To+" "+o.Probe.Name] = o.Result
		}
		Expect(seen).To(HaveKeyWithValue("before internet router.wan:8443 ", "ok"))
		Expect(seen).To(HaveKeyWithValue("before internet router.wan2:27015 ", "ok"))
		Expect(seen).To(HaveKeyWithValue("before internet router.wan2:25 ", "ok"))
		Expect(seen).To(HaveKeyWithValue("before internet router.wan:25 ", "ok"))
		// From the LAN nothing works by address; by name, the router's
		// static entry for the mail server leads to it directly (method
		// 1), while the IP Cloud name leads to the WAN and fails as the
		// address does.
		Expect(seen).To(HaveKeyWithValue("before hairpin:bridge router.wan:8443 ", Not(Equal("ok"))))
		Expect(seen).To(HaveKeyWithValue("before hairpin:bridge router.wan:25 ", Not(Equal("ok"))))
		Expect(seen).To(HaveKeyWithValue("before byname:bridge 192.168.50.1:53 mail.office.example", "ok"))
		Expect(seen).To(HaveKeyWithValue("before byname:bridge 192.168.50.1:53 c4ec4ec4ec4e.sn.mynetname.net", Not(Equal("ok"))))
		Expect(check.ByName(res.Outcomes, p, "before")).To(ContainElement(ContainSubstring("method 1")))
		// With the fix every path works, by address and by name.
		Expect(check.Broken(res.Outcomes, "fixed")).To(BeEmpty())
		Expect(seen).To(HaveKeyWithValue("fixed byname:bridge 192.168.50.1:53 c4ec4ec4ec4e.sn.mynetname.net", "ok"))
		Expect(leftovers(res.Report.LabRun)).To(BeEmpty())
	}, NodeTimeout(8*time.Minute))

	// The RB5009 puts its LAN segments on VLANs of a filtering bridge, its
	// ports untagged access ports with a PVID; one VLAN's forward filter
	// drops what another VLAN hairpins to the server. rosemu builds the
	// VLANs with the host kernel's 802.1Q and bridge VLAN filtering: where
	// either is missing the run says so and the spec is skipped with the
	// reason, on rosemu only (ROUTER=vm boots a kernel that has both).
	It("finds an RB5009's VLAN forward filter dropping the hairpin, and proves the fix", func(ctx SpecContext) {
		p := planOf("harness/check/testdata/rb5009-vlans.rsc")
		res, err := check.Run(ctx, root, p, string(backend()), GinkgoWriter)
		Expect(err).NotTo(HaveOccurred())
		if res.Report.Skipped {
			// 802.1Q VLANs or bridge VLAN filtering, whichever the kernel
			// misses first.
			Expect(backend()).To(Equal(runner.Rosemu), "only rosemu on a kernel without VLANs may skip: %s", res.Report.SkipReason)
			Expect(res.Report.SkipReason).To(MatchRegexp(`the router's kernel lacks [^(]*VLAN`))
			Skip(res.Report.SkipReason)
		}
		var drop *check.Finding
		for i, f := range res.Found {
			if f.Cause == check.ForwardDrops {
				drop = &res.Found[i]
			}
		}
		Expect(drop).NotTo(BeNil(), "%v", res.Found)
		Expect(drop.Line).To(Equal(33))
		Expect(drop.Rule).To(ContainSubstring(`comment="iot stays out of home"`))
		Expect(strings.Join(res.Fix.Lines, "\n")).To(ContainSubstring("connection-nat-state=dstnat"))
		// Before the fix the IoT VLAN's hairpin is dropped, and only it:
		// the internet and the home VLAN reach the server in the same lab.
		// Paths by name (the lab's public DNS) are counted apart: they
		// are the hairpin by address once resolved.
		byName := func(o check.Outcome) bool { return strings.HasPrefix(o.Probe.Path, "byname:") }
		var broken []string
		for _, o := range check.Broken(res.Outcomes, "before") {
			if !byName(o) {
				broken = append(broken, o.Probe.Path)
			}
		}
		Expect(broken).To(ConsistOf("hairpin:vlan20-iot"))
		worked := map[string]bool{}
		for _, o := range res.Outcomes {
			if o.Probe.Phase == "before" && o.Probe.Forward == 0 && o.Result == "ok" {
				worked[o.Probe.Path] = true
			}
		}
		Expect(worked).To(HaveKey("internet"))
		Expect(worked).To(HaveKey("hairpin:vlan10-home"))
		// With the accept of DSTNATed connections before the drop, every
		// path works.
		fixed := 0
		for _, o := range res.Outcomes {
			if o.Probe.Phase == "fixed" && o.Probe.Forward == 0 && !byName(o) {
				fixed++
			}
		}
		Expect(fixed).To(Equal(3))
		Expect(check.Broken(res.Outcomes, "fixed")).To(BeEmpty())
		Expect(leftovers(res.Report.LabRun)).To(BeEmpty())
	}, NodeTimeout(25*time.Minute))
})
