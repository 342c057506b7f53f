package check

import (
	"slices"
	"strings"
	"testing"
)

// offSubnetDHCP is realcheck19's mini of D5: a defconf whose LAN address
// was renumbered to 192.168.70.1/24 while its pool and DHCP network stayed
// on 192.168.66.0/24.
const offSubnetDHCP = `# 2024-10-01 10:00:00 by RouterOS 7.16.2
/interface bridge add name=bridge
/interface bridge port add bridge=bridge interface=ether2
/interface list add name=WAN
/interface list add name=LAN
/interface list member add interface=ether1 list=WAN
/interface list member add interface=bridge list=LAN
/ip pool add name=dhcp ranges=192.168.66.10-192.168.66.254
/ip dhcp-server add address-pool=dhcp interface=bridge name=defconf
/ip address add address=192.168.70.1/24 interface=bridge
/ip dhcp-server network add address=192.168.66.0/24 gateway=192.168.66.1
/ip dhcp-client add interface=ether1
/ip firewall nat add action=masquerade chain=srcnat out-interface-list=WAN
`

// dhcpFindings runs the diagnosis and the fix of text: its DHCP findings
// (notes too) and the fix's lines.
func dhcpFindings(t *testing.T, text string) ([]Finding, []string) {
	t.Helper()
	p := loadText(t, text)
	found, _ := p.Diagnose()
	var out []Finding
	for _, f := range found {
		if strings.HasPrefix(f.Path, dhcpPrefix) {
			out = append(out, f)
		}
	}
	return out, p.Propose(found).Lines
}

// TestDHCPOffSubnet: the pool and the network (with its gateway) of the
// mini are findings on their lines, and the fix moves both onto the
// bridge's subnet. Before, "no problem found".
func TestDHCPOffSubnet(t *testing.T) {
	found, lines := dhcpFindings(t, offSubnetDHCP)
	if len(found) != 2 || found[0].Line != 8 || found[1].Line != 11 || found[0].Cause != DHCPOffSubnet || found[1].Cause != DHCPOffSubnet {
		t.Fatalf("want findings on the pool (line 8) and the network (line 11), got %v", found)
	}
	for _, want := range []string{"server defconf on bridge", "pool dhcp (192.168.66.10-192.168.66.254) lies outside", "192.168.70.0/24"} {
		if !strings.Contains(found[0].Detail, want) {
			t.Errorf("the pool's finding lacks %q: %s", want, found[0].Detail)
		}
	}
	for _, want := range []string{"network 192.168.66.0/24", "gateway 192.168.66.1"} {
		if !strings.Contains(found[1].Detail, want) {
			t.Errorf("the network's finding lacks %q: %s", want, found[1].Detail)
		}
	}
	for _, want := range []string{
		"/ip pool set [ find where name=dhcp ] ranges=192.168.70.10-192.168.70.254",
		"/ip dhcp-server network set [ find where address=192.168.66.0/24 ] address=192.168.70.0/24 gateway=192.168.70.1",
	} {
		if !slices.Contains(lines, want) {
			t.Errorf("the fix lacks %q: %q", want, lines)
		}
	}
}

// TestDHCPOnSubnetControls: a pool and network on the subnet are no
// finding; beside a second LAN whose pool is right, only the wrong LAN's
// lines are named and fixed; a gateway the router routes by itself (a
// router that only serves DHCP there) is none either.
func TestDHCPOnSubnetControls(t *testing.T) {
	good := strings.NewReplacer("192.168.66.10-192.168.66.254", "192.168.70.10-192.168.70.254",
		"address=192.168.66.0/24 gateway=192.168.66.1", "address=192.168.70.0/24 gateway=192.168.70.1 dns-server=192.168.70.1").Replace(offSubnetDHCP) +
		// The router it names as DNS server answers its LAN (else that
		// is a finding of its own, DHCPResolverOff).
		"/ip dns set allow-remote-requests=yes\n"
	if found, lines := dhcpFindings(t, good); len(found) != 0 || len(lines) != 0 {
		t.Errorf("a pool on the subnet: findings %v, fix %q", found, lines)
	}

	two := offSubnetDHCP + `/ip address add address=192.168.80.1/24 interface=ether3
/ip pool add name=guest ranges=192.168.80.10-192.168.80.200
/ip dhcp-server add address-pool=guest interface=ether3 name=guest
/ip dhcp-server network add address=192.168.80.0/24 gateway=192.168.80.1
`
	found, lines := dhcpFindings(t, two)
	if len(found) != 2 || found[0].Line != 8 || found[1].Line != 11 {
		t.Errorf("two LANs, one wrong: want the wrong one's two findings, got %v", found)
	}
	for _, l := range lines {
		if strings.Contains(l, "guest") || strings.Contains(l, "192.168.80.") {
			t.Errorf("the fix touches the right LAN: %q", l)
		}
	}

	routed := strings.Replace(good, "gateway=192.168.70.1 ", "gateway=192.168.70.254 ", 1) + "/ip route add gateway=192.168.70.254\n"
	if found, _ := dhcpFindings(t, routed); len(found) != 0 {
		t.Errorf("a gateway the router routes by: %v", found)
	}
}

// TestDHCPOffSubnetParts: only the gateway, only the network, or part of
// the pool off the subnet is a finding too, each with its own fix; a
// server RouterOS 6 created disabled gets a note with the fix, no finding.
func TestDHCPOffSubnetParts(t *testing.T) {
	good := strings.Replace(offSubnetDHCP, "192.168.66.10-192.168.66.254", "192.168.70.10-192.168.70.254", 1)

	gw := strings.Replace(good, "address=192.168.66.0/24 gateway=192.168.66.1", "address=192.168.70.0/24 gateway=192.168.70.254", 1)
	// A gateway on the subnet that the router does not hold is another
	// host of the LAN (realcheck27 D3: a VPN box): a note, no finding,
	// no fix that moves the clients back to the router. TestDHCPGatewayOtherHost.
	found, lines := dhcpFindings(t, gw)
	if len(found) != 0 || len(lines) != 0 {
		t.Errorf("a gateway that is another host of the subnet: %v %q", found, lines)
	}
	gw = strings.Replace(good, "address=192.168.66.0/24 gateway=192.168.66.1", "address=192.168.70.0/24 gateway=192.168.71.254", 1)
	found, lines = dhcpFindings(t, gw)
	if len(found) != 1 || found[0].Line != 11 || !strings.Contains(found[0].Detail, "gateway 192.168.71.254 (none of the router's addresses there)") ||
		!slices.Contains(lines, "/ip dhcp-server network set [ find where address=192.168.70.0/24 ] gateway=192.168.70.1") {
		t.Errorf("only the gateway wrong: %v %q", found, lines)
	}

	found, lines = dhcpFindings(t, good)
	if len(found) != 1 || found[0].Line != 11 || !strings.Contains(found[0].Detail, "network 192.168.66.0/24") ||
		!slices.Contains(lines, "/ip dhcp-server network set [ find where address=192.168.66.0/24 ] address=192.168.70.0/24 gateway=192.168.70.1") {
		t.Errorf("only the network wrong: %v %q", found, lines)
	}

	part := strings.NewReplacer("192.168.66.10-192.168.66.254", "192.168.70.100-192.168.71.50",
		"address=192.168.66.0/24 gateway=192.168.66.1", "address=192.168.70.0/24 gateway=192.168.70.1").Replace(offSubnetDHCP)
	found, lines = dhcpFindings(t, part)
	if len(found) != 1 || found[0].Line != 8 || !strings.Contains(found[0].Detail, "lies partly outside") ||
		!slices.Contains(lines, "/ip pool set [ find where name=dhcp ] ranges=192.168.70.100-192.168.70.254") {
		t.Errorf("a pool partly outside: %v %q", found, lines)
	}

	v6 := strings.Replace(offSubnetDHCP, "RouterOS 7.16.2", "RouterOS 6.48.6", 1)
	found, lines = dhcpFindings(t, v6)
	if len(found) != 2 || found[0].Cause != "" || found[1].Cause != "" || !strings.Contains(found[1].Detail, "is disabled") ||
		!strings.Contains(found[1].Detail, "address=192.168.70.0/24 gateway=192.168.70.1") || slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, "dhcp") }) {
		t.Errorf("a server created disabled: want two notes with the fix in their text and no fix line, got %v %q", found, lines)
	}
}

// TestDHCPOffSubnetVerdict: the lab, whose clients have fixed addresses,
// carries the finding (exit 1) and says why it did not probe it.
func TestDHCPOffSubnetVerdict(t *testing.T) {
	found, _ := dhcpFindings(t, offSubnetDHCP)
	word, text, code := verdict(0, found, Fix{}, []Outcome{{Probe: Probe{Forward: -1, Path: "service:www@bridge", Phase: "before", Kind: "http"}, Result: "ok"}})
	if word != "broken" || code != 1 || !strings.Contains(text, "(dhcp:bridge); the lab's LAN clients have fixed addresses") {
		t.Errorf("verdict %s %d %q", word, code, text)
	}
}

// TestDHCPNotesVerdict: notes alone (a server RouterOS 6 created disabled)
// are no finding "the lab did not confirm": the verdict is the plain one.
func TestDHCPNotesVerdict(t *testing.T) {
	found, _ := dhcpFindings(t, strings.Replace(offSubnetDHCP, "RouterOS 7.16.2", "RouterOS 6.48.6", 1))
	word, text, code := verdict(0, found, Fix{}, []Outcome{{Probe: Probe{Forward: -1, Path: "service:www@bridge", Phase: "before", Kind: "http"}, Result: "ok"}})
	if len(found) != 2 || word != "ok" || code != 0 || strings.Contains(text, "did not confirm") {
		t.Errorf("%d notes: verdict %s %d %q", len(found), word, code, text)
	}
}
