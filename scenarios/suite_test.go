package scenarios_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"
	tclog "github.com/testcontainers/testcontainers-go/log"

	"github.com/chrlab/chrlab/harness/images"
	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/report"
	"github.com/chrlab/chrlab/harness/runner"
	"github.com/chrlab/chrlab/harness/scenario"
)

// TestScenarios runs every scenario end to end: real containers, real
// packets, the router emulator enforcing the configuration. It needs a
// Docker engine, so -short skips it (make unit); make test runs it.
func TestScenarios(t *testing.T) {
	if testing.Short() {
		t.Skip("the scenario suite needs a Docker engine and takes minutes; run it with make test")
	}
	RegisterFailHandler(Fail)
	sc, rc := GinkgoConfiguration()
	filter, why, err := vmScope(backend(), os.Getenv("SUITE_VM_SCOPE"))
	if err != nil {
		t.Fatal(err)
	}
	if filter != "" {
		if sc.LabelFilter != "" {
			filter = "(" + sc.LabelFilter + ") && (" + filter + ")"
		}
		sc.LabelFilter = filter
	}
	scopeNote = why
	RunSpecs(t, "chrlab scenarios", sc, rc)
}

// guest labels the specs whose outcome depends on what only the vm backend
// brings: the guest's own kernel (802.1Q VLANs and bridge VLAN filtering,
// which this project's machines lack; PPP), the router's services and DHCP
// client behind QEMU's NICs, the boot and teardown of the QEMU container,
// and the main method with its negative control. The other specs run the
// same rosemu on the same nftables rules; on vm they differ from rosemu's
// run only in the kernel that carries the packets.
const guest = "guest"

// scopeNote says, at the suite's start, which specs the vm backend runs and why.
var scopeNote string

// vmScope is the label filter of a vm run. SUITE_VM_SCOPE=all (make
// suite-vm) runs every spec; guest runs the specs labelled guest; rest runs
// the others (a CI run adds them after make test); auto (make test) runs
// every spec with KVM and the guest specs under TCG, where a guest costs 15
// s of a core per spec and the whole vm pass alone took 9 to 11 minutes of
// make test's 10-minute target on a 2-core machine.
func vmScope(b runner.Backend, scope string) (filter, why string, err error) {
	switch scope {
	case "", "all", "guest", "rest", "auto":
	default:
		return "", "", fmt.Errorf("SUITE_VM_SCOPE=%q: it must be all, guest, rest or auto", scope)
	}
	if b != runner.VM {
		return "", "", nil
	}
	switch scope {
	case "guest":
		return guest, "vm: the specs labelled guest (SUITE_VM_SCOPE=guest)", nil
	case "rest":
		return "!" + guest, "vm: the specs not labelled guest (SUITE_VM_SCOPE=rest)", nil
	case "auto":
		if kvm, reason := lab.KVMUsable(); !kvm {
			return guest, "vm under TCG (" + reason + "): the specs labelled guest only; make suite-vm runs every spec, and CI runs the rest after make test", nil
		}
		return "", "vm with KVM: every spec", nil
	}
	return "", "vm: every spec (SUITE_VM_SCOPE=all)", nil
}

var root string

// The images are built once, by the first of the suite's processes (make
// test runs the suite in parallel with the ginkgo CLI); the others wait for
// it and then find them present.
var _ = SynchronizedBeforeSuite(func(ctx SpecContext) []byte {
	r, err := scenario.Root()
	Expect(err).NotTo(HaveOccurred())
	tclog.SetDefault(tclog.NewNoopLogger())
	if scopeNote != "" {
		By(scopeNote)
	}
	By("building or finding the lab images")
	_, err = images.Ensure(ctx, images.Options{Root: r, Progress: GinkgoWriter, VM: backend() == runner.VM || backend() == runner.CHR})
	Expect(err).NotTo(HaveOccurred())
	return nil
}, func(ctx SpecContext, _ []byte) {
	var err error
	root, err = scenario.Root()
	Expect(err).NotTo(HaveOccurred())
	tclog.SetDefault(tclog.NewNoopLogger())
}, NodeTimeout(15*time.Minute))

// The suite's log is long and CI shows its end: the reasons of the failed
// specs are repeated there, so a failure reads without the whole log.
var _ = ReportAfterSuite("failure reasons", func(r Report) {
	for _, sp := range r.SpecReports {
		if sp.Failed() {
			GinkgoWriter.Printf("FAILED %s: %s\n", sp.FullText(), sp.Failure.Message)
		}
	}
})

// runScenario runs s and prints its table into the spec's output.
func runScenario(ctx context.Context, s *scenario.Scenario) (*report.Report, error) {
	By("running scenario " + s.Name)
	routerOS := os.Getenv("ROUTEROS")
	if routerOS == "" {
		// A RouterOS 6 case (its range leaves the default out) runs a
		// version of its range, as make lab runs it, not a skip.
		routerOS = s.RangeVersion()
	}
	rep, err := runner.Run(ctx, runner.Options{Root: root, Scenario: s, Router: backend(), Progress: GinkgoWriter,
		RouterOS: routerOS, CHRImage: os.Getenv("CHR_IMAGE")})
	rep.Table(GinkgoWriter)
	if rep.Skipped {
		Skip(rep.SkipReason)
	}
	return rep, err
}

// backend is the router the suite runs on: ROUTER from the environment
// (make test ROUTER=vm), rosemu by default.
func backend() runner.Backend {
	if b := os.Getenv("ROUTER"); b != "" && b != "auto" {
		return runner.Backend(b)
	}
	return runner.Rosemu
}

// leftovers lists containers and networks of one run that still exist.
func leftovers(run string) string {
	var out bytes.Buffer
	for _, args := range [][]string{
		{"ps", "-aq", "--filter", "label=chrlab.run=" + run},
		{"network", "ls", "-q", "--filter", "label=chrlab.run=" + run},
	} {
		b, err := exec.Command("docker", args...).Output()
		Expect(err).NotTo(HaveOccurred())
		out.Write(b)
	}
	return strings.TrimSpace(out.String())
}

// guestScenarios are the scenarios labelled guest (see guest): VLANs on
// the router's own bridge (bridge-vlans, vlan-trunk, ipv6-vlan-pd: rosemu
// skips them on a kernel without 802.1Q, so that without the label make
// test would run them nowhere on such a machine), the DHCP client and its lease script renumbered
// under QEMU (dhcp-script), the router's own services (router-services),
// a port's cable pulled, which QEMU's NIC must pass on to the guest as a
// lost link (failover-linkdown), and the forum post's main method (srcnat).
var guestScenarios = map[string]bool{"bridge-vlans": true, "vlan-trunk": true, "ipv6-vlan-pd": true, "dhcp-script": true, "router-services": true, "failover-linkdown": true, "srcnat": true}

// scenarioEntries has one table entry per scenario folder, so that a new
// scenario runs in the suite without anyone remembering to list it.
func scenarioEntries() []TableEntry {
	r, err := scenario.Root()
	if err != nil {
		panic(err)
	}
	names, err := scenario.Names(r)
	if err != nil {
		panic(err)
	}
	if names, err = suiteOrder(r, names); err != nil {
		panic(err)
	}
	var entries []TableEntry
	for i, name := range names {
		args := []any{name, NodeTimeout(4 * time.Minute), orderLocation(r, i, name)}
		if guestScenarios[name] {
			args = append(args, Label(guest))
		}
		entries = append(entries, Entry(name, args...))
	}
	return entries
}

// suiteOrder is the order in which the suite hands the scenarios to its
// processes: alphabetical, except that the scenarios with load steps (see
// runner.LoadSteps) are spread evenly through it, those with the most load
// steps first. The load steps of all labs on the host take turns
// (harness/runner/loadlock.go), and alphabetically the queue scenarios,
// probes, srcnat and static-wan sit next to one another: in the CI run of
// 2026-12-05 (make test 17 min 31 s) the rosemu suite's processes waited
// 114.5 s in all for the lock, 96 s of it in those neighbours in its last
// two and a half minutes (static-wan 33.7 s, simple-queue-pcq 27.9 s for
// one step of 1 s and one of 3 s), while they held it about 130 s in all.
func suiteOrder(root string, names []string) ([]string, error) {
	load := map[string]int{}
	for _, name := range names {
		// Read, not Load: the order needs the steps only, and every
		// process of the suite builds it; each spec's Load checks its
		// configuration.
		s, err := scenario.Read(filepath.Join(root, "scenarios", name, "scenario.yaml"))
		if err != nil {
			return nil, err
		}
		load[name] = runner.LoadSteps(s)
	}
	return spreadLoad(names, load), nil
}

// orderLocation is the code location of the i-th entry of suiteOrder.
// Ginkgo orders the specs of a container by code location, then by text,
// whatever order they were declared in; every entry is declared on the
// same line, so without this they would run in alphabetical order. The
// line number is the entry's place in the order; what ginkgo prints is
// the scenario's file and that place.
func orderLocation(root string, i int, name string) types.CodeLocation {
	cl := types.NewCodeLocation(1)
	cl.LineNumber = i + 1
	cl.CustomMessage = fmt.Sprintf("%s (place %d in the suite's order, scenarios/suite_test.go suiteOrder)", filepath.Join(root, "scenarios", name, "scenario.yaml"), i+1)
	return cl
}

// spreadLoad puts the names with load (load[name] > 0), most first, at
// even intervals among the others, which keep their order: with 13 of 73
// scenarios, one in every five or six. The heaviest go first so that the
// longest waits for the lock, if any, fall early, while there are other
// specs to run beside them, rather than at the suite's end.
func spreadLoad(names []string, load map[string]int) []string {
	var heavy, light []string
	for _, n := range names {
		if load[n] > 0 {
			heavy = append(heavy, n)
		} else {
			light = append(light, n)
		}
	}
	sort.SliceStable(heavy, func(i, j int) bool { return load[heavy[i]] > load[heavy[j]] })
	out := make([]string, 0, len(names))
	h := 0 // heavy names placed so far
	for i := range names {
		// The h-th heavy name goes to position h*len(names)/len(heavy).
		if h < len(heavy) && (i >= h*len(names)/len(heavy) || len(light) == 0) {
			out = append(out, heavy[h])
			h++
			continue
		}
		out = append(out, light[0])
		light = light[1:]
	}
	return out
}

var _ = Describe("scenarios", func() {
	DescribeTable("every expectation of the scenario holds",
		func(ctx SpecContext, name string) {
			s, err := scenario.Load(root, name)
			Expect(err).NotTo(HaveOccurred())
			rep, err := runScenario(ctx, s)
			Expect(err).NotTo(HaveOccurred())
			for _, st := range rep.Steps {
				Expect(st.OK).To(BeTrue(), "step %d (%s:%d): %s", st.Index, s.File, st.Line, st.Why)
			}
			Expect(rep.Passed).To(BeTrue())
			Expect(leftovers(rep.LabRun)).To(BeEmpty(), "the lab must be gone after the run")
		},
		scenarioEntries(),
	)

	It("fails the srcnat scenario when its hairpin rule is removed", func(ctx SpecContext) {
		s, err := scenario.Load(root, "srcnat")
		Expect(err).NotTo(HaveOccurred())
		var kept []string
		for _, line := range strings.Split(string(s.RSC), "\n") {
			if !strings.Contains(line, "action=masquerade") {
				kept = append(kept, line)
			}
		}
		Expect(len(kept)).To(BeNumerically("<", len(strings.Split(string(s.RSC), "\n"))), "the rule to remove must exist")
		s.RSC = []byte(strings.Join(kept, "\n"))
		// A deliberate negative run reports under a name of its own, so
		// that results/ never shows a FAIL of the real srcnat scenario.
		s.Name = "srcnat-without-hairpin-rule"
		rep, err := runScenario(ctx, s)
		Expect(err).NotTo(HaveOccurred())
		Expect(rep.Passed).To(BeFalse())
		// The LAN client's connection through the WAN address is what
		// breaks; the WAN peer's still works.
		Expect(rep.Steps[0].Seen.Result).To(Equal("timeout"))
		Expect(rep.Steps[2].OK).To(BeTrue())
	}, NodeTimeout(3*time.Minute), Label(guest))

	It("rejects a configuration error with file, line and column and leaves no lab behind", func(ctx SpecContext) {
		dir := GinkgoT().TempDir()
		src, err := os.ReadFile(filepath.Join(root, "scenarios", "srcnat", "scenario.yaml"))
		Expect(err).NotTo(HaveOccurred())
		Expect(os.WriteFile(filepath.Join(dir, "scenario.yaml"), src, 0o644)).To(Succeed())
		bad := "/ip firewall nat\nadd chain=dstnat action=dst-nat to-addresses=192.168.88.10\nadd chain=srcnat action=masquerade out-interfaze=ether2\n"
		Expect(os.WriteFile(filepath.Join(dir, "router.rsc"), []byte(bad), 0o644)).To(Succeed())
		// The loader's offline check refuses it before any container starts.
		_, err = scenario.LoadFile(filepath.Join(dir, "scenario.yaml"))
		Expect(err).To(HaveOccurred())
		Expect(err.Error()).To(ContainSubstring("router.rsc:3:36: the router would refuse the configuration: expected end of command"))
		// A router is the last word (a CHR may refuse what the emulator
		// takes): the run rejects it too, from the router's own answer.
		s, err := scenario.Parse(filepath.Join(dir, "scenario.yaml"), src)
		Expect(err).NotTo(HaveOccurred())
		s.Name = "srcnat-with-a-typo"
		s.RSC = []byte(bad)
		rep, err := runScenario(ctx, s)
		Expect(err).To(HaveOccurred())
		// Column 36 is where out-interfaze starts on line 3.
		Expect(err.Error()).To(ContainSubstring("router.rsc:3:36: "))
		Expect(rep.Passed).To(BeFalse())
		Expect(leftovers(rep.LabRun)).To(BeEmpty())
	}, NodeTimeout(3*time.Minute), Label(guest))
})
