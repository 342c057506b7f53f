package config

import (
	"context"
	"testing"
)

// TestFifthCorpusShapes: lines of a fifth corpus of public exports that
// rosemu refused and RouterOS takes: a bond's arp-timeout (7.19.4), BGP
// add-path-out on templates and connections (7.21), an IPv6 address-list
// entry without address (7.18 to 7.21), a firewall priority above the
// manual's 63 (7.16), a RouterOS 6 BGP peer without remote-as (6.48.4).
// Each is taken, exported and taken again; the BGP settings and the peer
// that opens no session are reported.
func TestFifthCorpusShapes(t *testing.T) {
	for _, c := range []struct{ version, src, path, prop string }{
		{"7.19.4", "/interface bonding add arp-timeout=4h lacp-rate=1sec mode=802.3ad name=LAG1 slaves=ether1 transmit-hash-policy=layer-3-and-4\n/interface vlan add interface=LAG1 name=v911 vlan-id=911", "/interface bonding", ""},
		{"7.21", "/routing bgp template add add-path-out=all afi=ip as=65000 name=RR\n/routing bgp connection add add-path-out=none as=65000 local.role=ibgp name=c1 remote.address=10.0.0.2 .as=65000", "/routing bgp template", "add-path-out"},
		{"7.21", `/ipv6 firewall address-list add comment="Default route for iBGP" list=all-addresses-v6`, "", ""},
		{"7.16", "/ip firewall nat add action=masquerade chain=srcnat out-interface=ether1 priority=100", "/ip firewall nat", "priority"},
		{"6.48.4", "/routing bgp peer add name=CERES remote-address=10.12.12.9 ttl=default", "/routing bgp peer", ""},
	} {
		r := New(Options{Ports: []string{"ether1"}, Version: c.version})
		if _, err := r.Run(context.Background(), c.src); err != nil {
			t.Errorf("%s %q: %v", c.version, c.src, err)
			continue
		}
		exp := body(r.Export())
		r2 := New(Options{Ports: []string{"ether1"}, Version: c.version})
		if _, err := r2.Run(context.Background(), exp); err != nil {
			t.Errorf("%s re-import: %v\n%s", c.version, err, exp)
		}
		if c.path != "" && !hasNotEnforced(r, c.path, c.prop) {
			t.Errorf("%s: %s %s not reported: %v", c.version, c.path, c.prop, r.NotEnforced())
		}
	}
}

// TestSeventhCorpusShapes: a forum post's 7.16.1 queue type with CAKE's
// ingress capacity estimation (refused before as bad parameter
// cake-autorate-ingress, and with it the queues that name the type); taken,
// exported, taken again and reported as a queue type rosemu does not
// shape with. On RouterOS 6 the property does not exist (the control).
func TestSeventhCorpusShapes(t *testing.T) {
	src := "/queue type add cake-autorate-ingress=yes kind=cake name=cake\n/queue simple add max-limit=90M/20M name=q queue=cake/cake target=ether1"
	r := New(Options{Ports: []string{"ether1"}, Version: "7.16.1"})
	if _, err := r.Run(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	exp := body(r.Export())
	if _, err := New(Options{Ports: []string{"ether1"}, Version: "7.16.1"}).Run(context.Background(), exp); err != nil {
		t.Errorf("re-import: %v\n%s", err, exp)
	}
	if !hasNotEnforced(r, "/queue type", "") {
		t.Errorf("queue type not reported: %v", r.NotEnforced())
	}
	if _, err := New(Options{Ports: []string{"ether1"}, Version: "6.49.10"}).Run(context.Background(), "/queue type add cake-autorate-ingress=yes kind=pcq name=x"); err == nil {
		t.Error("RouterOS 6 took cake-autorate-ingress")
	}
}
