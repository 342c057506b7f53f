package check

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// LabServiceWarnings are ServiceWarnings of the run, with the offline
// prediction of a service the lab found filtered kept where the lab could
// not show it: the router's answers from the WAN the probes address left
// by another WAN, whose default route shares the least distance
// (realcheck20 D7: a PPPoE WAN and a DHCP client's route of distance 1 on
// a 6.48 router with no input filter; the lab router's SYN-ACKs left by
// the DHCP WAN with the PPPoE address, the lab's ISP there dropped them
// as spoofed, and the lab read WinBox, SSH and WebFig "filtered", no
// warning, while the rules leave them open). dir is the check's results
// directory, whose run holds the ISPs' anti-spoofing counters.
func (p *Plan) LabServiceWarnings(outs []Outcome, dir string) []string {
	out := append(ServiceWarnings(outs, "before"), fixOpensWarnings(outs)...)
	out = append(out, fixBreaksFailoverWarnings(outs)...)
	// The lab does not probe the SOCKS server or the web proxy (rosemu,
	// the usual lab router, runs neither; its verdict says so), nor the
	// Telnet, FTP and API services an export turns on, nor the SNMP
	// agent: the rules' prediction is the only word on them, marked as
	// such.
	unprobed := []string{"the router's SOCKS proxy ", "the router's web proxy ", "the router's bandwidth-test server (", "the router's SNMP agent ("}
	for _, e := range explicitServices {
		unprobed = append(unprobed, "the router's "+e.label+" (")
	}
	preds := p.OfflineServiceWarnings() // the rules' reading, once for the three uses below
	for _, pred := range preds {
		// The lab's peer connects from ephemeral ports: the back door
		// of a src-port accept is predicted, not probed.
		if strings.Contains(pred, " by their source port (src-port=") || strings.Contains(pred, " lets the hosts of the WAN's own subnet ") || strings.Contains(pred, secondWAN) ||
			slices.ContainsFunc(unprobed, func(prefix string) bool { return strings.HasPrefix(pred, prefix) }) {
			out = append(out, strings.TrimSuffix(pred, " (predicted)")+" (predicted from the rules: the lab does not probe it)")
		}
	}
	if why := p.learntAsymmetric(dir); why != "" {
		for _, pred := range preds {
			rest, ok := strings.CutPrefix(pred, "the router's ")
			label, _, would := strings.Cut(rest, " would ")
			if !ok || !would {
				continue
			}
			if slices.ContainsFunc(outs, func(o Outcome) bool {
				return o.Probe.Phase == "before" && o.Probe.Forward < 0 && strings.HasSuffix(o.Probe.Path, "@wan") && o.Probe.Kind == "port" && o.Result == "filtered" && serviceLabel(o) == label
			}) {
				out = append(out, strings.TrimSuffix(pred, " (predicted)")+"; "+why+" (predicted)")
			}
		}
	}
	wans, _ := p.equalDefaults()
	if len(wans) < 2 || !slices.Contains(wans, 0) || len(p.WANs) == 0 {
		return out
	}
	var others []string
	for _, wi := range wans {
		if wi != 0 {
			others = append(others, p.WANs[wi].Interface)
		}
	}
	words, _ := p.equalWords()
	dropped := spoofDrops(dir)
	for _, pred := range preds {
		label, _, ok := strings.Cut(strings.TrimPrefix(pred, "the router's "), " would ")
		if !ok || !strings.HasPrefix(pred, "the router's ") {
			continue
		}
		// The lab's row of the same service from the internet.
		filtered := slices.ContainsFunc(outs, func(o Outcome) bool {
			return o.Probe.Phase == "before" && o.Probe.Forward < 0 && strings.HasSuffix(o.Probe.Path, "@wan") && o.Probe.Kind == "port" && o.Result == "filtered" && serviceLabel(o) == label
		})
		if !filtered {
			continue
		}
		why := fmt.Sprintf("the lab found it filtered, which the rules do not: the main table's default routes share the least distance (%s), and the lab router's answers may leave by %s with %s's address", words, strings.Join(others, ", "), p.WANs[0].Interface)
		if dropped > 0 {
			why = fmt.Sprintf("the lab found it filtered, which the rules do not: the main table's default routes share the least distance (%s), and the lab router's answers left by %s with %s's address, where the lab's ISP dropped %d packet(s) as spoofed", words, strings.Join(others, ", "), p.WANs[0].Interface, dropped)
		}
		out = append(out, strings.TrimSuffix(pred, " (predicted)")+"; "+why+"; on the router the answers leave by whichever of those routes is active, so the service is open as the rules say whenever that is "+p.WANs[0].Interface+"'s (predicted)")
	}
	return out
}

// fixOpensWarnings warns of each router service the proposed fix opens
// to the internet: a probe from the WAN that the lab found open (or a
// resolver that answered) with the fix, and not so as the export has it.
// check --offline warns of them ("would be open ... once a default route
// leads back"); the lab's report kept only the "before" phase's warnings,
// and a fix that gave back the default route of a router accepting all
// input showed WinBox, SSH, WebFig and an open resolver in its table and
// warned of none (realcheck26 D5).
func fixOpensWarnings(outs []Outcome) []string {
	open := func(o Outcome) bool {
		return o.Result == "open" || o.Probe.Kind == "dns" && dnsAnswered(o)
	}
	var out []string
	for _, o := range outs {
		if o.Probe.Phase != "fixed" || o.Probe.Forward >= 0 || !strings.HasSuffix(o.Probe.Path, "@wan") || o.Probe.Wanted ||
			strings.Contains(o.Probe.Path, "-by-") || !open(o) {
			continue
		}
		if slices.ContainsFunc(outs, func(b Outcome) bool {
			return b.Probe.Phase == "before" && b.Probe.Path == o.Probe.Path && b.Probe.To == o.Probe.To && open(b)
		}) {
			continue // open already: warned of as the export has it
		}
		label := serviceLabel(o)
		if o.Probe.Kind == "dns" {
			out = append(out, fmt.Sprintf("the router's %s answers queries from the internet once the fix is applied (%s answered the peer with %s in the lab with the fix): an open resolver, usable for DNS amplification; drop udp and tcp 53 on input from the WAN", label, o.Probe.To, o.Result))
			continue
		}
		out = append(out, fmt.Sprintf("the router's %s is open to the internet once the fix is applied (%s answered the peer in the lab with the fix)", label, o.Probe.To))
	}
	return out
}

// serviceLabel is the label OfflineServiceWarnings gives the service a
// probe is for: "WinBox (8291)".
func serviceLabel(o Outcome) string {
	svc, _, _ := strings.Cut(strings.TrimPrefix(o.Probe.Path, "service:"), "@")
	name := serviceLabels[svc]
	_, port, _ := strings.Cut(o.Probe.To, ":")
	return name + " (" + port + ")"
}

var spoofCounter = regexp.MustCompile(`counter packets (\d+) bytes \d+ drop comment "anti-spoofing`)

// spoofDrops sums the packets the lab's ISPs dropped as spoofed (their
// access-<isp>.nft, which the run saves beside its report).
func spoofDrops(dir string) int {
	if dir == "" {
		return 0
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*", "access-*.nft"))
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, m := range spoofCounter.FindAllSubmatch(b, -1) {
			k, _ := strconv.Atoi(string(m[1]))
			n += k
		}
	}
	return n
}
