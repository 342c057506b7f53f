package config

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// bgpSummary writes the resolved sessions one per line.
func bgpSummary(c RoutingConfig) string {
	var b strings.Builder
	for _, p := range c.BGP {
		fmt.Fprintf(&b, "%s %d->%d %s local %v id %s multihop %v passive %v nhself %v ospf %v hold %s ka %s announce %v\n",
			p.Name, p.LocalAS, p.RemoteAS, p.Remote, p.Local, p.RouterID, p.Multihop, p.Passive, p.NextHopSelf, p.RedistOSPF, p.Hold, p.Keepalive, p.Announce)
	}
	return b.String()
}

// TestBGPConfigV7: a connection takes what it leaves unset from its
// template; output.network announces the list's prefixes the table has a
// route to; output.redistribute and default-originate add theirs; an
// asdot AS reads as its 32-bit number. Sessions of other address
// families, of a VRF or to a remote prefix are stored and reported.
func TestBGPConfigV7(t *testing.T) {
	rec := &ospfRecorder{}
	r := New(Options{Ports: []string{"ether1", "ether2"}, Routing: rec})
	run(t, r, `/ip address
add address=203.0.113.2/30 interface=ether1
add address=192.168.88.1/24 interface=ether2
/ip route add gateway=203.0.113.1
/ip firewall address-list
add list=out address=192.168.88.0/24
add list=out address=10.99.0.0/16
/routing bgp template set default as=64512.1 multihop=yes hold-time=90s
/routing bgp connection
add name=up templates=default remote.address=203.0.113.1/32 remote.as=65002 local.role=ebgp output.network=out output.default-originate=if-installed nexthop-choice=force-self local.address=203.0.113.2 router-id=10.255.0.1 input.filter=in-chain
add name=core as=65001 remote.address=10.255.0.9 local.role=ibgp output.redistribute=connected,ospf connect=no router-id=10.255.0.1
add name=vpn as=65001 remote.address=10.255.0.8 remote.as=65001 address-families=vpnv4 local.role=ibgp
add name=dyn as=65001 remote.address=10.0.0.0/24 remote.as=65003 local.role=ebgp
add name=cust as=65001 remote.address=10.0.1.1 remote.as=65004 local.role=ebgp vrf=cust
/routing filter rule add chain=in-chain rule="if (bgp-as-path .*65002.*) { reject }"`)
	got := bgpSummary(rec.last)
	want := `up 4227858433->65002 203.0.113.1 local 203.0.113.2 id 10.255.0.1 multihop true passive false nhself true ospf false hold 1m30s ka 1m0s announce [192.168.88.0/24 0.0.0.0/0]
core 65001->65001 10.255.0.9 local invalid IP id 10.255.0.1 multihop false passive true nhself false ospf true hold 3m0s ka 1m0s announce [203.0.113.0/30 192.168.88.0/24]
`
	if got != want {
		t.Errorf("resolved:\n%s\nwant:\n%s", got, want)
	}
	var reasons []string
	for _, n := range r.NotEnforced() {
		reasons = append(reasons, n.String())
	}
	joined := strings.Join(reasons, "\n")
	for _, want := range []string{bgpAFReason, bgpDynamicReason, bgpVRFReason, "/routing bgp connection input.filter: 1 (rosemu cannot apply the chain (chain in-chain, rule"} {
		if !strings.Contains(joined, want) {
			t.Errorf("NotEnforced lacks %q:\n%s", want, joined)
		}
	}
	v := New(Options{Ports: []string{"ether1"}}).Validate(context.Background(), `/routing bgp connection add name=x as=1 remote.address=10.0.0.0/24 remote.as=2 local.role=ebgp`, time.Second)
	if len(v.Findings) != 1 || v.Findings[0].Verdict != NotEnforced || v.Findings[0].Msg != bgpDynamicReason {
		t.Errorf("validate: %+v", v.Findings)
	}
}

// TestBGPConfigV6: RouterOS 6's built-in instance gives the AS and router
// id; a network with synchronize=yes is announced only while the table
// has a route to it, one with synchronize=no always; update-source names
// an interface whose address is the source; redistribute-connected adds
// the connected networks.
func TestBGPConfigV6(t *testing.T) {
	rec := &ospfRecorder{}
	r := New(Options{Ports: []string{"ether1", "ether2"}, Version: "6.49.18", Routing: rec})
	run(t, r, `/ip address
add address=203.0.113.2/30 interface=ether1
add address=192.168.88.1/24 interface=ether2
/routing bgp instance set default as=65001 router-id=10.255.0.1 redistribute-connected=yes
/routing bgp network
add network=198.51.100.0/24
add network=198.51.101.0/24 synchronize=no
/routing bgp peer add name=isp remote-address=203.0.113.1 remote-as=65002 update-source=ether1 default-originate=always`)
	got := bgpSummary(rec.last)
	want := "isp 65001->65002 203.0.113.1 local 203.0.113.2 id 10.255.0.1 multihop false passive false nhself false ospf false hold 3m0s ka 1m0s announce [198.51.101.0/24 203.0.113.0/30 192.168.88.0/24 0.0.0.0/0]\n"
	if got != want {
		t.Errorf("resolved:\n%s\nwant:\n%s", got, want)
	}
	run(t, r, `/ip route add dst-address=198.51.100.0/24 type=blackhole`)
	if got := bgpSummary(rec.last); !strings.Contains(got, "announce [198.51.100.0/24 198.51.101.0/24") {
		t.Errorf("with a route to the synchronized network:\n%s", got)
	}
}

// TestFilterRuleVerdicts: validate marks a filter rule of a chain no run
// session uses as stored, one a session uses as accepted (the session
// may come after the rules, as in exports), and a session whose chain
// does not translate as stored, naming what was not modelled.
func TestFilterRuleVerdicts(t *testing.T) {
	src := `/routing filter rule
add chain=in rule="if (dst-len > 24) { reject }"
add chain=in rule="accept"
add chain=unused rule="accept"
add chain=odd rule="if (dst in nolist) { accept }"
/routing bgp connection
add name=a as=65001 remote.address=10.0.0.2 remote.as=65002 local.role=ebgp router-id=10.255.0.1 input.filter=in
add name=b as=65001 remote.address=10.0.0.3 remote.as=65003 local.role=ebgp router-id=10.255.0.1 input.filter=odd
`
	v := New(Options{Ports: []string{"ether1"}}).Validate(context.Background(), src, time.Second)
	want := map[int]Verdict{2: Accepted, 3: Accepted, 4: NotEnforced, 5: NotEnforced, 7: Accepted, 8: NotEnforced}
	for _, f := range v.Findings {
		if w, ok := want[f.Line]; ok && f.Verdict != w {
			t.Errorf("line %d %q: %v %s, want %v", f.Line, f.Text, f.Verdict, f.Msg, w)
		}
		if f.Line == 8 && !strings.Contains(f.Msg, "input.filter: rosemu cannot apply the chain (chain odd") {
			t.Errorf("line 8: %s", f.Msg)
		}
	}
}

// TestOSPFFilterChains: an OSPF instance's in-filter-chain and
// out-filter-chain reach the service when they translate, and their rules
// count as applied; one that does not translate is reported on the
// instance's line and leaves its rules stored.
func TestOSPFFilterChains(t *testing.T) {
	src := `/routing filter rule
add chain=ospf-in rule="if (dst in 10.0.0.0/8) { reject }"
add chain=ospf-in rule="accept"
add chain=ospf-out rule="if (bgp-as-path .*) { accept }"
/routing ospf instance
add name=v2 router-id=10.255.0.1 in-filter-chain=ospf-in out-filter-chain=ospf-out
/routing ospf area add instance=v2 name=bb
/routing ospf interface-template add area=bb interfaces=ether1
/ip address add address=10.0.0.1/24 interface=ether1
`
	rec := &ospfRecorder{}
	r := New(Options{Ports: []string{"ether1"}, Routing: rec})
	run(t, r, src)
	if len(rec.last.OSPF) != 1 || rec.last.OSPF[0].Import == nil || rec.last.OSPF[0].Import.Entry != "ospf-in" || rec.last.OSPF[0].Export != nil {
		t.Fatalf("instances %+v", rec.last.OSPF)
	}
	v := New(Options{Ports: []string{"ether1"}}).Validate(context.Background(), src, time.Second)
	want := map[int]Verdict{2: Accepted, 3: Accepted, 4: NotEnforced, 6: NotEnforced}
	for _, f := range v.Findings {
		if w, ok := want[f.Line]; ok && f.Verdict != w {
			t.Errorf("line %d %q: %v %s, want %v", f.Line, f.Text, f.Verdict, f.Msg, w)
		}
		if f.Line == 6 && !strings.HasPrefix(f.Msg, "out-filter-chain: rosemu cannot apply the chain (chain ospf-out") {
			t.Errorf("line 6: %s", f.Msg)
		}
	}
}

// set's "!input.filter" returns a dotted property to its default, as
// "!tls-host" does a plain one (forum24: "expected end of command").
// The control is the value set before.
func TestBGPUnsetDotted(t *testing.T) {
	r := New(Options{Ports: ports, Version: "7.16.2"})
	run(t, r, "/routing bgp template add name=t1 as=65001\n/routing bgp connection add name=p1 remote.address=192.0.2.1 remote.as=65002 local.role=ebgp templates=t1 input.filter=f1")
	if got := strings.TrimSpace(run(t, r, ":put [/routing bgp connection get p1 input.filter]")); got != "f1" {
		t.Fatalf("input.filter before the unset: %q", got)
	}
	run(t, r, "/routing bgp connection set p1 !input.filter")
	if exp := run(t, r, "/routing bgp connection export"); strings.Contains(exp, "input.filter") {
		t.Errorf("input.filter after the unset:\n%s", exp)
	}
}

// TestBGPConnectionAFI: RouterOS 7's afi= names a session's families. A
// session without ip (afi=ipv6 over an IPv4 transport, or taken from its
// template) is stored, not run as IPv4 unicast; one of ip and evpn runs
// and its line says evpn is not negotiated (realcheck28: a 7.2x PE
// export's "afi=ip,evpn" was accepted as plain IPv4 unicast, and an
// afi=ipv6 session run as one).
func TestBGPConnectionAFI(t *testing.T) {
	src := `/ip address add address=203.0.113.2/30 interface=ether1
/routing bgp template add name=v6 as=65001 afi=ipv6
/routing bgp template add name=l3vpn as=65001 afi=vpnv4
/routing bgp connection
add name=both as=65001 afi=ip,evpn remote.address=203.0.113.1 remote.as=65002 local.role=ebgp router-id=10.255.0.1
add name=six templates=v6 remote.address=203.0.113.1 remote.as=65003 local.role=ebgp router-id=10.255.0.1
add name=vpn templates=l3vpn remote.address=203.0.113.1 remote.as=65004 local.role=ebgp router-id=10.255.0.1
add name=four as=65001 afi=ip remote.address=203.0.113.1 remote.as=65005 local.role=ebgp router-id=10.255.0.1
`
	rec := &ospfRecorder{}
	r := New(Options{Ports: []string{"ether1"}, Routing: rec})
	run(t, r, src)
	var names []string
	for _, p := range rec.last.BGP {
		names = append(names, p.Name)
	}
	if got := strings.Join(names, ","); got != "both,four" {
		t.Errorf("sessions run: %s, want both,four", got)
	}
	v := New(Options{Ports: []string{"ether1"}}).Validate(context.Background(), src, time.Second)
	checkVerdicts(t, v, map[int]string{5: "afi: " + bgpAFOthersReason, 6: bgpAFReason, 7: bgpAFReason, 8: ""})
	var reasons []string
	for _, n := range r.NotEnforced() {
		reasons = append(reasons, n.String())
	}
	if joined := strings.Join(reasons, "\n"); !strings.Contains(joined, "/routing bgp connection afi: 1 ("+bgpAFOthersReason) {
		t.Errorf("NotEnforced lacks the evpn session:\n%s", joined)
	}
}

// TestStoredSessionSaysSoFirst: a session rosemu stores whole is reported
// as stored even when one of its settings has a not-enforced reason of
// its own. A 7.16 terse export's IPv6 session (address-families=ipv6 to
// an IPv6 neighbour) with .remove-private-as=yes was reported by that
// setting alone, as if the session ran (realcheck29 D2); the same session
// to an IPv4 neighbour, run, keeps the setting's reason.
func TestStoredSessionSaysSoFirst(t *testing.T) {
	src := `/ip address add address=203.0.113.2/30 interface=ether1
/routing bgp connection add address-families=ipv6 as=207618 local.role=ebgp name=v6 output.remove-private-as=yes remote.address=2001:db8::1/128 .as=64515 router-id=10.255.0.1
/routing bgp connection add address-families=ip as=207618 local.role=ebgp name=v4 output.remove-private-as=yes remote.address=203.0.113.1/32 .as=64515 router-id=10.255.0.1
/routing bgp connection add as=207618 local.role=ebgp name=dyn output.remove-private-as=yes remote.address=198.51.100.0/24 .as=64515 router-id=10.255.0.1
`
	v := New(Options{Ports: []string{"ether1"}, Version: "7.16.1"}).Validate(context.Background(), src, time.Second)
	checkVerdicts(t, v, map[int]string{
		2: bgpAFReason,
		3: "output.remove-private-as: " + bgpAttrReason,
		4: bgpDynamicReason,
	})
}
