package config

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// ospfRecorder keeps the last configuration the engine handed the OSPF
// service.
type ospfRecorder struct{ last RoutingConfig }

func (o *ospfRecorder) Update(c RoutingConfig) { o.last = c }

// ospfSummary writes a resolved configuration as one line per instance,
// area and interface, for comparisons.
func ospfSummary(c RoutingConfig) string {
	var b strings.Builder
	for _, in := range c.OSPF {
		fmt.Fprintf(&b, "instance %s id %s ext", in.Name, in.RouterID)
		for _, e := range in.External {
			fmt.Fprintf(&b, " %s/E%d/%d", e.Prefix, e.Type, e.Metric)
		}
		b.WriteString("\n")
		for _, a := range in.Areas {
			fmt.Fprintf(&b, " area %s %s %s nosum=%v\n", a.Name, a.ID, a.Type, a.NoSummaries)
			for _, i := range a.Interfaces {
				fmt.Fprintf(&b, "  %s %v %s cost %d prio %d passive %v hello %s dead %s auth %q\n", i.Interface, i.Networks, i.Type, i.Cost, i.Priority, i.Passive, i.Hello, i.Dead, i.Auth)
			}
		}
	}
	return b.String()
}

// TestRoutingConfigV7: RouterOS 7's menus resolve as RouterOS does: each
// interface in the first template that matches it (by interface list or
// by network), the router id from /routing id, redistribution of
// connected networks and static routes, a default originated while one is
// installed. An OSPFv3 instance, an NBMA template, md5 with 1 s hellos
// (BIRD refuses it) and a disabled instance run nothing and the first
// three are reported.
func TestRoutingConfigV7(t *testing.T) {
	rec := &ospfRecorder{}
	r := New(Options{Ports: []string{"ether1", "ether2", "ether3", "ether4"}, Routing: rec})
	run(t, r, `/interface list add name=core
/interface list member add interface=ether2 list=core
/ip address
add address=203.0.113.2/24 interface=ether1
add address=10.1.0.1/30 interface=ether2
add address=192.168.88.1/24 interface=ether3
add address=192.168.89.1/24 interface=ether3
add address=10.9.0.1/24 interface=ether4
add address=10.255.255.1 interface=lo
/ip route add gateway=203.0.113.1
/ip route add dst-address=10.50.0.0/16 gateway=10.9.0.2
/routing id add id=10.255.255.1 name=rid
/routing ospf instance
add name=v2 router-id=rid redistribute=static,connected originate-default=if-installed
add name=v3 version=3
add name=off disabled=yes
/routing ospf area
add instance=v2 name=bb area-id=0.0.0.0
add instance=v2 name=a1 area-id=0.0.0.1 type=stub no-summaries
add instance=v3 name=bb6
/routing ospf interface-template
add area=bb interfaces=core type=ptp cost=10 hello-interval=5s dead-interval=20s auth=md5 auth-key=s3cret
add area=bb interfaces=ether1 auth=sha1 auth-key=x hello-interval=1s
add area=a1 networks=192.168.88.0/24 passive
add area=bb interfaces=lo passive
add area=bb interfaces=ether4 type=nbma
add area=bb6 interfaces=ether3`)
	got := ospfSummary(rec.last)
	want := `instance v2 id 10.255.255.1 ext 10.50.0.0/16/E2/1 203.0.113.0/24/E2/1 10.1.0.0/30/E2/1 192.168.88.0/24/E2/1 192.168.89.0/24/E2/1 10.9.0.0/24/E2/1 10.255.255.1/32/E2/1 0.0.0.0/0/E2/1
 area bb 0.0.0.0 default nosum=false
  ether2 [10.1.0.1/30] ptp cost 10 prio 128 passive false hello 5s dead 20s auth "md5"
  lo [10.255.255.1/32] broadcast cost 1 prio 128 passive true hello 10s dead 40s auth ""
 area a1 0.0.0.1 stub nosum=true
  ether3 [192.168.88.1/24] broadcast cost 1 prio 128 passive true hello 10s dead 40s auth ""
`
	if got != want {
		t.Errorf("resolved:\n%s\nwant:\n%s", got, want)
	}
	// Without the default route nothing is originated; without the
	// /routing id entry the lowest address is the id.
	run(t, r, `/ip route remove [find dst-address=0.0.0.0/0]
/routing id remove [find]
/routing ospf instance set [find name=v2] router-id=main`)
	if got := ospfSummary(rec.last); strings.Contains(got, "0.0.0.0/0") || !strings.Contains(got, "instance v2 id 10.1.0.1 ") {
		t.Errorf("after the default route and the id went:\n%s", got)
	}
	var reasons []string
	for _, n := range r.NotEnforced() {
		if strings.HasPrefix(n.Path, "/routing ospf") {
			reasons = append(reasons, n.String())
		}
	}
	joined := strings.Join(reasons, "\n")
	for _, want := range []string{"/routing ospf instance: 1 (" + ospfV3Reason, "/routing ospf area: 1 (" + ospfV3Reason, "/routing ospf interface-template: 1 (" + ospfTypeReason, "/routing ospf interface-template: 1 (" + ospfAuthReason} {
		if !strings.Contains(joined, want) {
			t.Errorf("NotEnforced lacks %q:\n%s", want, joined)
		}
	}
	v := New(Options{Ports: []string{"ether1"}}).Validate(context.Background(), `/routing ospf instance add name=x redistribute=connected,bgp`, time.Second)
	if len(v.Findings) != 1 || v.Findings[0].Verdict != NotEnforced || !strings.Contains(v.Findings[0].Msg, "redistribute=bgp: ") {
		t.Errorf("validate: %+v", v.Findings)
	}
}

// TestRoutingConfigV6: RouterOS 6's built-in instance and backbone, networks
// that put addresses in areas (the first network that holds an address
// wins), per-interface settings over those for all, and the v6
// redistribution and default settings with their types and metrics.
func TestRoutingConfigV6(t *testing.T) {
	rec := &ospfRecorder{}
	r := New(Options{Ports: []string{"ether1", "ether2", "ether3"}, Version: "6.49.18", Routing: rec})
	run(t, r, `/ip address
add address=203.0.113.2/24 interface=ether1
add address=10.1.0.1/30 interface=ether2
add address=192.168.88.1/24 interface=ether3
/ip route add gateway=203.0.113.1
/routing ospf instance set [find default=yes] router-id=10.255.255.1 redistribute-static=as-type-1 metric-static=30 distribute-default=always-as-type-2
/routing ospf area add area-id=0.0.0.1 name=a1
/routing ospf interface
add interface=all priority=5
add interface=ether2 network-type=point-to-point cost=5 authentication=simple authentication-key=pw
/routing ospf network
add area=backbone network=10.1.0.0/30
add area=a1 network=192.168.0.0/16
add area=backbone network=192.168.88.0/24`)
	got := ospfSummary(rec.last)
	want := `instance default id 10.255.255.1 ext 0.0.0.0/0/E2/1
 area backbone 0.0.0.0 default nosum=false
  ether2 [10.1.0.1/30] ptp cost 5 prio 1 passive false hello 10s dead 40s auth "simple"
 area a1 0.0.0.1 default nosum=false
  ether3 [192.168.88.1/24] broadcast cost 10 prio 5 passive false hello 10s dead 40s auth ""
`
	if got != want {
		t.Errorf("resolved:\n%s\nwant:\n%s", got, want)
	}
	// The static default route is not redistributed: distribute-default
	// announces it, once.
	if n := strings.Count(got, "0.0.0.0/0"); n != 1 {
		t.Errorf("%d default routes announced", n)
	}
	// A RouterOS 6 router without networks runs no OSPF: the built-in
	// instance alone starts nothing.
	bare := &ospfRecorder{}
	b := New(Options{Ports: []string{"ether1"}, Version: "6.49.18", Routing: bare})
	run(t, b, "/ip address add address=10.0.0.1/24 interface=ether1")
	if len(bare.last.OSPF) != 0 {
		t.Errorf("a router without networks runs OSPF: %+v", bare.last.OSPF)
	}
	if ne := r.NotEnforced(); len(ne) != 0 {
		for _, n := range ne {
			if strings.HasPrefix(n.Path, "/routing ospf") {
				t.Errorf("reported as stored: %s", n)
			}
		}
	}
	// A network entry without network= (as 6.49 exports write one) is
	// 0.0.0.0/0: every interface with an address joins the area.
	all := &ospfRecorder{}
	a := New(Options{Ports: []string{"ether1", "ether2"}, Version: "6.49.18", Routing: all})
	run(t, a, "/ip address add address=10.0.0.1/24 interface=ether1\n/ip address add address=10.0.1.1/24 interface=ether2\n/routing ospf network add area=backbone")
	if got := ospfSummary(all.last); strings.Count(got, "broadcast cost") != 2 {
		t.Errorf("an entry without network=:\n%s", got)
	}
}

// TestOSPFTemplatePlaceBefore (forum39 D9): a template added with
// place-before=0 goes first, so ether3 takes it (ptp, not passive) rather
// than the catch-all passive template added before it; it was refused as
// "bad parameter place-before". Control: added without place-before, the
// same template comes after the catch-all, which keeps ether3 passive.
func TestOSPFTemplatePlaceBefore(t *testing.T) {
	for _, tc := range []struct{ place, want string }{
		{" place-before=0", "ether3 [10.0.0.1/30] ptp cost 1 prio 128 passive false"},
		{"", "ether3 [10.0.0.1/30] broadcast cost 1 prio 128 passive true"},
	} {
		rec := &ospfRecorder{}
		r := New(Options{Ports: []string{"ether1", "ether2", "ether3"}, Routing: rec})
		run(t, r, `/ip address add address=10.0.0.1/30 interface=ether3
/routing ospf instance add name=v2 version=2 router-id=10.255.255.1
/routing ospf area add name=bb area-id=0.0.0.0 instance=v2
/routing ospf interface-template
add area=bb networks=0.0.0.0/0 passive
add area=bb interfaces=ether3 type=ptp`+tc.place)
		if got := ospfSummary(rec.last); !strings.Contains(got, tc.want) {
			t.Errorf("place-before %q: %s\nwant %s", tc.place, got, tc.want)
		}
	}
}
