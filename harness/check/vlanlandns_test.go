package check

import (
	"strings"
	"testing"
)

// TestVLANDNSJoinsLANList (chk63 b): a VLAN added beside defconf whose
// clients cannot resolve, defconf's "drop all not coming from LAN" input
// rule dropping their queries to the router. The fix proposed two input
// accepts for its DNS; the usual answer, and what makes the VLAN a LAN
// like the rest, is the VLAN in the LAN list. Controls: a guest VLAN (the
// list would open the router's services to it), and a drop that matches
// more than the list, keep the narrow DNS accepts.
func TestVLANDNSJoinsLANList(t *testing.T) {
	const rsc = `# by RouterOS 7.17
/interface bridge add name=bridge vlan-filtering=yes
/interface vlan add interface=bridge name=vlan30 vlan-id=30
/interface list add name=WAN
/interface list add name=LAN
/interface bridge port add bridge=bridge interface=ether2
/interface bridge port add bridge=bridge interface=ether4 pvid=30
/interface list member add interface=ether1 list=WAN
/interface list member add interface=bridge list=LAN
/ip address add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip address add address=192.168.30.1/24 interface=vlan30 network=192.168.30.0
/ip dhcp-server network add address=192.168.88.0/24 dns-server=192.168.88.1 gateway=192.168.88.1
/ip dhcp-server network add address=192.168.30.0/24 dns-server=192.168.30.1 gateway=192.168.30.1
/ip dhcp-client add interface=ether1
/ip dns set allow-remote-requests=yes
/ip firewall filter add action=accept chain=input connection-state=established,related,untracked
/ip firewall filter add action=drop chain=input comment="defconf: drop all not coming from LAN" in-interface-list=!LAN
/ip firewall nat add action=masquerade chain=srcnat out-interface-list=WAN
`
	fix := func(rsc string) string {
		t.Helper()
		p := loadText(t, rsc)
		found, _ := p.Diagnose()
		if len(withCause(found, LANResolverDropped)) != 1 {
			t.Fatalf("findings %+v, want one %q", found, LANResolverDropped)
		}
		return strings.Join(p.Propose(found).Lines, "\n")
	}
	if got := fix(rsc); !strings.Contains(got, "/interface list member add interface=vlan30 list=LAN") || strings.Contains(got, "dst-port=53") {
		t.Errorf("the fix does not add vlan30 to the LAN list:\n%s", got)
	}
	for name, rsc := range map[string]string{
		"guest VLAN":     strings.ReplaceAll(rsc, "vlan30", "guest30"),
		"drop of a port": strings.Replace(rsc, `in-interface-list=!LAN`, `in-interface-list=!LAN protocol=udp`, 1),
	} {
		if got := fix(rsc); strings.Contains(got, "/interface list member") || !strings.Contains(got, "dst-port=53") {
			t.Errorf("control %s: want the DNS accepts, not the list:\n%s", name, got)
		}
	}
}
