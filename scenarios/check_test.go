package scenarios_test

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	. "github.com/onsi/gomega/gstruct"

	"github.com/chrlab/chrlab/harness/check"
	"github.com/chrlab/chrlab/harness/export"
	"github.com/chrlab/chrlab/harness/runner"
)

// gapFailed are the paths of the hairpin gaps' probes (Probe.Gap) that
// failed in phase: a forward bound to the WAN with no hairpin, a warning
// and not a broken path (chk54).
func gapFailed(outs []check.Outcome, phase string) map[string]bool {
	paths := map[string]bool{}
	for _, o := range outs {
		if o.Probe.Gap && o.Probe.Phase == phase && o.Result != "ok" {
			paths[o.Probe.Path] = true
		}
	}
	return paths
}

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

var _ = Describe("chrlab check", SpecPriority(1), func() {
	It("finds a home router's forwards bound to the WAN without hairpin, confirms the hairpin gaps and proves their lines in the lab", func(ctx SpecContext) {
		p := planOf("harness/export/testdata/hap-ac2.rsc")
		res, err := check.Run(ctx, root, p, string(backend()), GinkgoWriter)
		Expect(err).NotTo(HaveOccurred())
		// The forwards are bound to the WAN interface with no hairpin:
		// hairpin gaps, a warning as offline (chk54), not findings.
		causes := map[check.Cause]bool{}
		for _, f := range res.HairpinGaps {
			causes[f.Cause] = true
		}
		Expect(causes).To(HaveKey(check.BoundToWAN))
		Expect(causes).To(HaveKey(check.NoHairpin))
		// The internet gets in, the LAN does not: the gaps' LAN probes
		// fail, marked and not counted broken.
		Expect(check.Broken(res.Outcomes, "before")).To(BeEmpty())
		gaps := 0
		for _, o := range res.Outcomes {
			if o.Probe.Gap && o.Probe.Phase == "before" && o.Result != "ok" {
				Expect(o.Probe.Path).To(HavePrefix("hairpin:"), "%+v", o)
				gaps++
			}
		}
		Expect(gaps).To(BeNumerically(">", 0))
		// With the hairpin lines every forward works from everywhere, the
		// warning says the lab confirmed the gap and that the lines work,
		// and the verdict is the warning's (exit 4), not broken.
		Expect(check.Broken(res.Outcomes, "fixed")).To(BeEmpty())
		Expect(res.Outcomes).To(ContainElement(MatchFields(IgnoreExtras, Fields{
			"Probe":  MatchFields(IgnoreExtras, Fields{"Gap": BeTrue(), "Phase": Equal("fixed")}),
			"Result": Equal("ok"),
		})))
		Expect(p.LabWarnings(res)).To(ContainElement(And(ContainSubstring("hairpin gap: forward"), ContainSubstring("the lab confirmed it"), ContainSubstring("with the hairpin lines its LAN path(s) worked"))))
		Expect(res.Doc.Verdict).To(Equal("ok"))
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
		// The hairpin masquerade logs (log=yes log-prefix=HAIRPIN): the
		// LAN's hairpin connections are in the report, and no other rule
		// logs.
		Expect(res.Doc.Logged).To(HaveLen(1))
		Expect(res.Doc.Logged[0].Rule).To(Equal("HAIRPIN srcnat:"))
		Expect(res.Doc.Logged[0].First).To(MatchRegexp(`^HAIRPIN srcnat: in:ether2 out:ether2, connection-state:new .*proto (TCP \(SYN\)|UDP), 192\.168\.88\.\d+:\d+->192\.168\.88\.1[01]:\d+, .*len \d+$`))
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

	// A backup WAN (distance 2) with forwards on it and no policy routing:
	// the connections that come in on the backup are answered through the
	// primary, whose ISP drops them; the main line keeps working. The fix's
	// connection and routing marks send the answers back the way they came.
	It("finds a backup WAN's forwards answered through the primary line, and proves the policy-routing fix", func(ctx SpecContext) {
		p := planOf("harness/check/testdata/rb4011-failover-wan2-forward.rsc")
		res, err := check.Run(ctx, root, p, string(backend()), GinkgoWriter)
		Expect(err).NotTo(HaveOccurred())
		seen := map[string]string{}
		for _, o := range res.Outcomes {
			seen[o.Probe.Phase+" "+o.Probe.Path+" "+o.Probe.To] = o.Result
		}
		Expect(seen).To(HaveKeyWithValue("before internet router.wan:80", "ok"))
		Expect(seen).To(HaveKeyWithValue("before internet router.wan2:80", "timeout"))
		Expect(seen).To(HaveKeyWithValue("before internet router.wan2:8443", "timeout"))
		Expect(seen).To(HaveKeyWithValue("fixed internet router.wan2:80", "ok"))
		Expect(seen).To(HaveKeyWithValue("fixed internet router.wan2:8443", "ok"))
		Expect(check.Broken(res.Outcomes, "fixed")).To(BeEmpty())
		// With the fibre's cable pulled the LAN leaves by the radio link,
		// masqueraded to its address (the masquerade is on the WAN list).
		Expect(res.Outcomes).To(ContainElement(MatchFields(IgnoreExtras, Fields{
			"Probe":  MatchFields(IgnoreExtras, Fields{"Path": Equal("failover:bridge")}),
			"Result": Equal("ok"), "By": Equal("peer"), "Saw": Equal("198.18.20.10"),
		})))
		Expect(check.ServiceWarnings(res.Outcomes, "before")).NotTo(ContainElement(ContainSubstring("cable pulled")))
		// With the fibre's ISP silent behind a live link, check-gateway=ping
		// takes its route out of use and the radio link carries the LAN;
		// once the ISP answers again the LAN is back on the fibre.
		Expect(res.Outcomes).To(ContainElement(MatchFields(IgnoreExtras, Fields{
			"Probe":  MatchFields(IgnoreExtras, Fields{"Path": Equal("silent:bridge")}),
			"Result": Equal("ok"), "By": Equal("peer"), "Saw": Equal("198.18.20.10"),
		})))
		Expect(res.Outcomes).To(ContainElement(MatchFields(IgnoreExtras, Fields{
			"Probe":  MatchFields(IgnoreExtras, Fields{"Path": Equal("failback:bridge")}),
			"Result": Equal("ok"), "By": Equal("peer"), "Saw": Equal("203.0.113.10"),
		})))
		Expect(check.ServiceWarnings(res.Outcomes, "before")).NotTo(ContainElement(ContainSubstring("ISP silent")))
		Expect(leftovers(res.Report.LabRun)).To(BeEmpty())
	}, NodeTimeout(8*time.Minute))

	// The same failover with the masquerade written for the main line only:
	// with its cable pulled, the LAN's connections leave the backup with
	// their private addresses and the ISP drops them. The note says so
	// from the rules; the lab shows it.
	It("pulls the main WAN's cable and finds the backup line carries nothing when the masquerade names the main line only", func(ctx SpecContext) {
		p := planOf("harness/check/testdata/failover-masq-isp1.rsc")
		Expect(p.Notes).To(ContainElement(ContainSubstring("bridge-lan (192.168.50.0/24) leaving by ether2")))
		res, err := check.Run(ctx, root, p, string(backend()), GinkgoWriter)
		Expect(err).NotTo(HaveOccurred())
		Expect(res.Outcomes).To(ContainElement(MatchFields(IgnoreExtras, Fields{
			"Probe":  MatchFields(IgnoreExtras, Fields{"Path": Equal("failover:bridge-lan")}),
			"Result": Not(Equal("ok")),
		})))
		Expect(check.ServiceWarnings(res.Outcomes, "before")).To(ContainElement(ContainSubstring("main WAN's cable pulled, LAN bridge-lan does not reach")))
		// Nothing watches ISP1's gateway (no check-gateway): silent behind a
		// live link, it keeps the LAN; the note gives the line that would
		// watch it.
		Expect(p.Notes).To(ContainElement(ContainSubstring("check-gateway=ping")))
		Expect(res.Outcomes).To(ContainElement(MatchFields(IgnoreExtras, Fields{
			"Probe":  MatchFields(IgnoreExtras, Fields{"Path": Equal("silent:bridge-lan")}),
			"Result": Not(Equal("ok")),
		})))
		Expect(check.ServiceWarnings(res.Outcomes, "before")).To(ContainElement(ContainSubstring("works on a dead link only")))
		Expect(leftovers(res.Report.LabRun)).To(BeEmpty())
	}, NodeTimeout(6*time.Minute))

	// A WireGuard server on the NAS, its forward bound to the WAN list and
	// no hairpin: the phones at home use the IP Cloud name as endpoint.
	// The by-name probe resolves it through the router and exchanges UDP
	// datagrams with whoever answers at 51820, as the TCP forward's
	// by-name probe connects: broken before the fix, working after.
	It("tries a UDP forward (WireGuard) by name from the LAN, confirms its hairpin gap, and proves the hairpin lines", func(ctx SpecContext) {
		p := planOf("harness/check/testdata/wireguard-home.rsc")
		res, err := check.Run(ctx, root, p, string(backend()), GinkgoWriter)
		Expect(err).NotTo(HaveOccurred())
		const name = "c4ec4ec4ec4e.sn.mynetname.net"
		type row struct{ result, saw, by string }
		seen := map[string]row{}
		for _, o := range res.Outcomes {
			seen[strings.Join([]string{o.Probe.Phase, o.Probe.Path, o.Probe.Kind, o.Probe.Name, o.Probe.Connect, o.Probe.To}, " ")] = row{o.Result, o.Saw, o.By}
		}
		// The control: from the internet the WireGuard forward works.
		Expect(seen).To(HaveKeyWithValue("before internet udp   router.wan:51820", row{"ok", "198.51.100.50", "server1"}))
		// By name from the LAN, over UDP: nothing answers before the fix
		// (the forward ignores the LAN, and the router itself refuses
		// 51820), the NAS answers after it, seeing the router's address
		// (the hairpin masquerade).
		udpByName := "byname:bridge resolve-then-connect " + name + " udp 192.168.88.1:53"
		Expect(seen).To(HaveKey("before " + udpByName))
		Expect(seen["before "+udpByName].result).NotTo(Equal("ok"))
		Expect(seen).To(HaveKeyWithValue("fixed "+udpByName, row{"ok", "192.168.88.1", "server1"}))
		// The TCP forward's by-name probe is there too, and connects.
		Expect(seen).To(HaveKeyWithValue("fixed byname:bridge resolve-then-connect "+name+"  192.168.88.1:53", row{"ok", "192.168.88.1", "server1"}))
		Expect(check.Broken(res.Outcomes, "fixed")).To(BeEmpty())
		// The forward is bound to the WAN list with no hairpin: a hairpin
		// gap, a warning as offline (chk54), which the lab confirmed.
		Expect(res.Doc.Verdict).To(Equal("ok"))
		Expect(res.Doc.Warnings).To(ContainElement(ContainSubstring("the lab confirmed it")))
		// The reports carry the UDP by-name row.
		var byName *check.PathDoc
		for i, pd := range res.Doc.Forwards[0].Paths {
			if pd.Path == "byname:bridge" {
				byName = &res.Doc.Forwards[0].Paths[i]
			}
		}
		Expect(byName).NotTo(BeNil(), "%+v", res.Doc.Forwards[0].Paths)
		Expect(byName.What).To(ContainSubstring("exchanging UDP datagrams"))
		Expect(byName.Before.OK).To(BeFalse())
		Expect(byName.Fixed.OK).To(BeTrue())
		md, err := os.ReadFile(filepath.Join(res.Dir, "check.md"))
		Expect(err).NotTo(HaveOccurred())
		Expect(string(md)).To(ContainSubstring(name + ":51820/udp (resolved by 192.168.88.1)"))
		js, err := os.ReadFile(filepath.Join(res.Dir, "check.json"))
		Expect(err).NotTo(HaveOccurred())
		Expect(string(js)).To(ContainSubstring(`"path": "byname:bridge"`))
		Expect(leftovers(res.Report.LabRun)).To(BeEmpty())
	}, NodeTimeout(8*time.Minute))

	// A WAN address of 100.64.0.0/10: the lab's ISP is a carrier-grade
	// NAT, which lets nothing from the internet in. The peer tries the
	// forward at the public address the internet sees (the ISP's shared
	// one) and fails, and the report says why and that the remedy is
	// outside the router; the LAN's hairpin to the router's own WAN
	// address works through the export's hairpin masquerade.
	It("finds a router behind CGNAT unreachable from the internet, says no rule on it can change that, and proves its hairpin", func(ctx SpecContext) {
		p := planOf("harness/check/testdata/cgnat.rsc")
		res, err := check.Run(ctx, root, p, string(backend()), GinkgoWriter)
		Expect(err).NotTo(HaveOccurred())
		Expect(res.Case.YAML).To(ContainSubstring("isp: {kind: cgnat, customer: wan, public: 198.51.100.1}"))
		Expect(res.Found).To(HaveLen(1))
		Expect(res.Found[0].Cause).To(Equal(check.NoPublicAddress))
		Expect(res.Found[0].Detail).To(ContainSubstring("100.64.0.0/10"))
		Expect(res.Fix.Lines).To(BeEmpty())
		Expect(res.Fix.None).To(And(ContainSubstring("carrier-grade NAT"), ContainSubstring("public address"), ContainSubstring("tunnel")))
		// The internet does not get in, at the shared public address; the
		// only broken path is that one.
		broken := check.Broken(res.Outcomes, "before")
		Expect(broken).To(HaveLen(1))
		Expect(broken[0].Probe.Path).To(Equal("internet"))
		Expect(broken[0].Probe.To).To(Equal("isp1.public:25565"))
		Expect(broken[0].Probe.NoPublic).To(BeTrue())
		// The hairpin from the LAN to the router's own WAN address works.
		var hairpin *check.Outcome
		for i, o := range res.Outcomes {
			if o.Probe.Path == "hairpin:ether2" {
				hairpin = &res.Outcomes[i]
			}
		}
		Expect(hairpin).NotTo(BeNil())
		Expect(*hairpin).To(MatchFields(IgnoreExtras, Fields{"Result": Equal("ok"), "Saw": Equal("192.168.50.1"), "By": Equal("server1")}))
		// No fix phase: there is nothing to paste.
		for _, o := range res.Outcomes {
			Expect(o.Probe.Phase).To(Equal("before"))
		}
		Expect(res.Doc.Verdict).To(Equal("unfixable"))
		Expect(res.Doc.Summary).To(ContainSubstring("no public address"))
		md, err := os.ReadFile(filepath.Join(res.Dir, "check.md"))
		Expect(err).NotTo(HaveOccurred())
		Expect(string(md)).To(And(ContainSubstring("#### No fix on this router"), ContainSubstring("nothing from the internet gets in")))
		Expect(leftovers(res.Report.LabRun)).To(BeEmpty())
	}, NodeTimeout(6*time.Minute))

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
	}, NodeTimeout(25*time.Minute), Label(guest))
})

var _ = Describe("chrlab check of a RouterOS 6 RouterBOARD", SpecPriority(1), func() {
	It("runs a forum-shaped export (unused port with PoE off, a forward to port 80, a default route via the PPPoE client) and proves the hairpin lines", func(ctx SpecContext) {
		p := planOf("harness/check/testdata/rb951-v6-pppoe.rsc")
		Expect(p.LabVersion()).To(Equal("6.49.18"))
		res, err := check.Run(ctx, root, p, string(backend()), GinkgoWriter)
		Expect(err).NotTo(HaveOccurred())
		Expect(strings.Join(p.Notes, "\n")).To(ContainSubstring("nearest version"))
		var params []string
		for _, a := range p.Aside {
			params = append(params, a.Param)
		}
		Expect(params).To(ContainElement("poe-out"))
		// The forward to the NAS's port 80 answers from the internet; the
		// LAN cannot use it by the public address until the hairpin
		// lines: the forward is bound to the PPPoE client, a hairpin gap
		// (chk54), whose LAN probe fails uncounted before and works with
		// the lines.
		Expect(check.Broken(res.Outcomes, "before")).To(BeEmpty())
		Expect(gapFailed(res.Outcomes, "before")).To(HaveKey("hairpin:bridge"))
		Expect(gapFailed(res.Outcomes, "fixed")).To(BeEmpty())
		Expect(check.Broken(res.Outcomes, "fixed")).To(BeEmpty())
		Expect(leftovers(res.Report.LabRun)).To(BeEmpty())
	}, NodeTimeout(6*time.Minute))
})

var _ = Describe("chrlab check of an export with VLANs on its wires", SpecPriority(1), func() {
	// A fibre ISP's PPPoE in VLAN 7 on ether1 and an IoT VLAN tagged on the
	// bridge towards a switch: the lab puts the ISP in VLAN 7 and a host
	// of the IoT VLAN behind the trunk. With the router backend left to
	// chrlab (auto), a kernel without 802.1Q (this project's machines)
	// runs the router in the vm backend and the report says why.
	It("runs the PPPoE WAN in VLAN 7 and the IoT VLAN behind a trunk, and proves the hairpin lines", func(ctx SpecContext) {
		p := planOf("harness/check/testdata/vlan-fibre-home.rsc")
		router := string(backend())
		if r := os.Getenv("ROUTER"); r == "" || r == "auto" { // make exports ROUTER=auto
			router = "auto"
		}
		res, err := check.Run(ctx, root, p, router, GinkgoWriter)
		Expect(err).NotTo(HaveOccurred())
		Expect(res.Report.Skipped).To(BeFalse(), res.Report.SkipReason)
		if router == "auto" && res.Report.Router == "vm" {
			Expect(res.Report.Note).To(ContainSubstring("this machine's kernel lacks"))
		}
		// The internet reaches the IoT server through the PPPoE session
		// in VLAN 7; both LANs fail before the fix and work after it.
		// The forward is bound to the PPPoE client: the LANs' paths are
		// a hairpin gap (chk54), failing uncounted before and working
		// with the hairpin lines.
		paths := map[string]bool{}
		for p := range gapFailed(res.Outcomes, "before") {
			if !strings.HasPrefix(p, "byname:") {
				paths[p] = true
			}
		}
		Expect(paths).To(Equal(map[string]bool{"hairpin:bridge": true, "hairpin:vlan20-iot": true}))
		Expect(check.Broken(res.Outcomes, "before")).To(BeEmpty())
		Expect(gapFailed(res.Outcomes, "fixed")).To(BeEmpty())
		Expect(check.Broken(res.Outcomes, "fixed")).To(BeEmpty())
		Expect(leftovers(res.Report.LabRun)).To(BeEmpty())
	}, NodeTimeout(8*time.Minute), Label(guest))
})
