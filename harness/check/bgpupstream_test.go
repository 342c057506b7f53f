package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ispBGP is rc28 D3's shape: an ISP router with no default route of its
// own, eBGP sessions to AS %s on its main uplink (ether6) and its backup
// (ether4), one to a private AS on a metro link (ether9), DNS dropped
// from the main uplink only, and remote requests allowed.
const ispBGP = `# jan/02/2025 10:00:00 by RouterOS 6.40.8
/routing bgp instance
set default as=64512 router-id=10.1.1.1
add as=64589 name=internet
/ip address
add address=61.8.78.202/30 interface=ether6 network=61.8.78.200
add address=182.23.31.82/28 interface=ether4 network=182.23.31.80
add address=10.12.12.9/29 interface=ether9 network=10.12.12.8
add address=182.23.28.241/29 interface=ether5 network=182.23.28.240
/ip dns
set allow-remote-requests=yes servers=202.152.0.2
/ip firewall filter
add action=drop chain=input dst-port=53 in-interface=ether6 protocol=udp
add action=drop chain=input dst-port=53 in-interface=ether6 protocol=tcp
/routing bgp peer
add name=DC remote-address=10.12.12.10 remote-as=64514
add instance=internet name=INET remote-address=61.8.78.201 remote-as=%s
add instance=internet name=INET-BACKUP remote-address=182.23.31.81 remote-as=%s
`

// TestBGPUpstreams (rc28 D3): the links of eBGP sessions to a public AS
// are the WANs, the backup uplink included, and the resolver its input
// chain leaves open is warned of on it; the metro link to a private AS
// stays a LAN. Before, the export was refused ("cannot tell which port is
// the WAN") and, with --map naming ether6, ether4 was a LAN and its open
// resolver unsaid. Control: the same sessions to a private AS (64600)
// are refused as before.
func TestBGPUpstreams(t *testing.T) {
	p := importText(t, strings.ReplaceAll(ispBGP, "%s", "4800"))
	var wans []string
	for _, w := range p.WANs {
		wans = append(wans, w.Interface)
	}
	if strings.Join(wans, ",") != "ether6,ether4" {
		t.Errorf("WANs %v, want ether6,ether4", wans)
	}
	warns := strings.Join(p.OfflineServiceWarnings(), "\n")
	if !strings.Contains(warns, "the router's DNS (53) would answer queries from the internet on 182.23.31.82 (no input rule stops it)") ||
		!strings.Contains(warns, "that address is the WAN ether4"+secondWAN) || strings.Contains(warns, "DNS (53) would answer queries from the internet on 61.8.78.202") {
		t.Errorf("warnings:\n%s", warns)
	}
	if err := importErr(t, strings.ReplaceAll(ispBGP, "%s", "64600")); err == nil || !strings.Contains(err.Error(), "cannot tell which port is the WAN") {
		t.Errorf("private AS upstreams: %v, want the refusal", err)
	}
}

// TestBGPUpstreamsV7: RouterOS 7's /routing bgp connection names the
// router's AS (as=) and the peer's (remote.as=, remote.address=): an
// eBGP session to a public AS makes its link the WAN, an iBGP session
// (remote.as the router's own, here public too) does not.
func TestBGPUpstreamsV7(t *testing.T) {
	const v7 = `# jan/02/2025 10:00:00 by RouterOS 7.16.2
/ip address
add address=198.51.100.2/30 interface=ether1 network=198.51.100.0
add address=192.0.2.1/30 interface=ether3 network=192.0.2.0
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/routing bgp connection
add as=64999 local.role=ebgp name=up remote.address=198.51.100.1/32 remote.as=3356
add as=64999 local.role=ibgp name=core remote.address=192.0.2.2 remote.as=64999
`
	p := importText(t, v7)
	if len(p.WANs) != 1 || p.WANs[0].Interface != "ether1" {
		t.Errorf("WANs %+v, want ether1 alone", p.WANs)
	}
	// The router's AS from a template (review rev47): the core session
	// names no as= and no role, and is iBGP to the template's public AS.
	tmplAS := strings.Replace(v7, "/routing bgp connection\n", "/routing bgp template\nset default as=3320\nadd as=64999 name=edge\n/routing bgp connection\n", 1)
	tmplAS = strings.Replace(tmplAS, "add as=64999 local.role=ibgp name=core remote.address=192.0.2.2 remote.as=64999", "add name=core remote.address=192.0.2.2 remote.as=3320", 1)
	if p := importText(t, tmplAS); len(p.WANs) != 1 || p.WANs[0].Interface != "ether1" {
		t.Errorf("template's AS: WANs %+v, want ether1 alone", p.WANs)
	}
	// Control: a named template with another AS leaves the session eBGP.
	ebgp := strings.Replace(tmplAS, "add name=core remote.address=192.0.2.2 remote.as=3320", "add name=core remote.address=192.0.2.2 remote.as=3320 templates=edge", 1)
	if p := importText(t, ebgp); len(p.WANs) != 2 {
		t.Errorf("the edge template's session to AS 3320: WANs %+v, want ether1 and ether3", p.WANs)
	}
}

// TestLearntDefaultRoute (rc28 D3): the ISP router has no default route
// of its own (BGP gives it): the lab router gets one by the first WAN's
// eBGP peer, named in a note and kept out of the fix, so that the LANs'
// way out is not "unreachable" for want of a BGP neighbour in the lab.
// Its services, which the lab probes on ether4 (the lowest port) while the
// answers leave by ether6, keep the rules' warning with the lab's reason
// when the lab's ISP dropped the answers as spoofed. Control: the same
// router with a static default route gets no such line, and without
// spoofed drops no such warning.
func TestLearntDefaultRoute(t *testing.T) {
	const route = "/ip route add dst-address=0.0.0.0/0 gateway=61.8.78.201 distance=250"
	p := importText(t, strings.ReplaceAll(ispBGP, "%s", "4800"))
	if !strings.Contains(p.RSC, route) || !strings.Contains(strings.Join(p.Notes, "\n"), "learns its way to the internet by BGP from 61.8.78.201 (line 17)") {
		t.Errorf("no stand-in default route:\n%s\n%v", p.RSC, p.Notes)
	}
	found, _ := p.Diagnose()
	if fx := p.Propose(found); strings.Contains(strings.Join(fx.Lines, "\n"), "0.0.0.0/0") {
		t.Errorf("the stand-in route is in the fix: %v", fx.Lines)
	}
	outs := []Outcome{{Probe: Probe{Forward: -1, Path: "service:winbox@wan", Phase: "before", From: "peer", To: "router.wan:8291", Kind: "port"}, Result: "filtered"}}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "run"), 0o755); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(p.LabServiceWarnings(outs, dir), "\n"); strings.Contains(got, "WinBox") {
		t.Errorf("no spoofed drops, yet: %s", got)
	}
	nft := `iifname "eth0" ip saddr != { 61.8.78.0/24 } counter packets 15 bytes 926 drop comment "anti-spoofing: source not given to the customer on 61.8.78.0/24"`
	if err := os.WriteFile(filepath.Join(dir, "run", "access-isp1.nft"), []byte(nft), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(p.LabServiceWarnings(outs, dir), "\n"); !strings.Contains(got, "the router's WinBox (8291) would be open to the internet on 61.8.78.202") ||
		!strings.Contains(got, "the lab probes it on ether4, and the router's answers left by ether6") || !strings.Contains(got, "dropped 15 packet(s) as spoofed") {
		t.Errorf("lab warnings: %s", got)
	}
	q := importText(t, strings.ReplaceAll(ispBGP, "%s", "4800")+"/ip route\nadd gateway=61.8.78.201\n")
	if strings.Contains(q.RSC, "distance=250") || strings.Contains(strings.Join(q.Notes, "\n"), "learns its way") {
		t.Errorf("a stand-in beside the export's own default route:\n%s", q.RSC)
	}
}
