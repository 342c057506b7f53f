package check

import (
	"slices"
	"strings"
	"testing"
)

// staticListBase is a router whose forward of tcp/65000-65050 is bound to
// ether1 (no hairpin), beside a disabled all-ports dst-nat for the LAN on
// the address list influx; each case gives influx its entry.
const staticListBase = `# 2024-10-01 10:00:00 by RouterOS 7.16.2
/interface bridge add name=bridge
/interface bridge add name=lo-map
/interface bridge port add bridge=bridge interface=ether2
/interface list add name=WAN
/interface list member add interface=ether1 list=WAN
/ip address add address=192.168.90.1/24 interface=bridge
/ip address add address=172.16.0.17/30 interface=lo-map
/ip address add address=203.0.113.10/24 interface=ether1
/ip route add gateway=203.0.113.1
%s/ip firewall nat add action=masquerade chain=srcnat out-interface-list=WAN
/ip firewall nat add action=dst-nat chain=dstnat comment="redirect to influx" disabled=yes dst-address-list=influx src-address=192.168.90.0/24 to-addresses=192.168.90.40
/ip firewall nat add action=dst-nat chain=dstnat comment="FTP PASV" dst-port=65000-65050 in-interface=ether1 protocol=tcp to-addresses=192.168.90.40
`

// TestListNameResolvedByStaticDNS: an address-list entry that is a DNS
// name holds what the router's own resolver answers, its static entries
// first (Address-lists and DNS pages of the manual). influxdb.home is
// 172.16.0.17 in the router's static DNS, an address of its lo-map, so
// the disabled dst-nat on that list does not take the hairpin to the
// public address; before, the name read "unknown" and the fix enabled
// the rule, which sends every LAN connection to 172.16.0.17, all ports,
// to the server, and did not open the hairpin (realcheck19 D2). The fix
// is the one the literal address gets. The controls: the literal
// 172.16.0.17 (the same fix, as before), a static name for the public
// address (the rule takes the hairpin: enabling it is the fix), and a
// name the static DNS does not decide (unknown, as before).
func TestListNameResolvedByStaticDNS(t *testing.T) {
	const local = "/ip firewall nat set [ find where comment=\"FTP PASV\" ] !in-interface dst-address-type=local"
	const enable = "/ip firewall nat enable [ find where comment=\"redirect to influx\" ]"
	for _, tt := range []struct {
		name, lines, want string
	}{
		{"name of the router's lo-map address", "/ip dns static add address=172.16.0.17 name=influxdb.home type=A\n/ip firewall address-list add address=influxdb.home list=influx\n", local},
		{"the literal address", "/ip firewall address-list add address=172.16.0.17 list=influx\n", local},
		{"through a static CNAME", "/ip dns static add cname=influxdb.home name=influx.home type=CNAME\n/ip dns static add address=172.16.0.17 name=influxdb.home\n/ip firewall address-list add address=influx.home list=influx\n", local},
		{"name of the public address", "/ip dns static add address=203.0.113.10 name=home.example.net\n/ip firewall address-list add address=home.example.net list=influx\n", enable},
		{"name asked upstream", "/ip firewall address-list add address=influxdb.example.net list=influx\n", enable},
		// chk57 D8: the AAAA line first does not answer the A query; the
		// name's A line does. An AAAA entry alone decides no A answer.
		{"AAAA line before the A line", "/ip dns static add address=2001:db8::17 name=influxdb.home type=AAAA\n/ip dns static add address=fd00::17 name=influxdb.home\n/ip dns static add address=172.16.0.17 name=influxdb.home type=A\n/ip firewall address-list add address=influxdb.home list=influx\n", local},
		{"AAAA line alone", "/ip dns static add address=2001:db8::17 name=influxdb.home type=AAAA\n/ip firewall address-list add address=influxdb.home list=influx\n", enable},
	} {
		p := importText(t, strings.Replace(staticListBase, "%s", tt.lines, 1))
		found, _ := p.Diagnose()
		lines := p.Propose(found).Lines
		if !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, tt.want) }) {
			t.Errorf("%s: fix, want a line %q:\n%s", tt.name, tt.want, strings.Join(lines, "\n"))
		}
		enables := slices.ContainsFunc(found, func(f Finding) bool { return f.Enable != 0 })
		if enables != (tt.want == enable) {
			t.Errorf("%s: a finding names the disabled rule: %v, want %v (%+v)", tt.name, enables, tt.want == enable, found)
		}
	}
}
