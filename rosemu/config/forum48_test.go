package config

import (
	"context"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// TestForum48ListNameWithComma (D1): the Bruteforce prevention page's
// "src-address-list=connection2,!secured", which a RouterOS 7.14.3 export
// carries, is taken as the name of one list, so the rule matches the
// addresses of a list of that very name (none can exist) and not those of
// connection2; it was refused as "invalid value for argument
// src-address-list". Controls: an entry's list= still refuses a comma,
// and a plain negated list still renders as before.
func TestForum48ListNameWithComma(t *testing.T) {
	r := hairpin(t)
	src := `/ip firewall filter add action=add-src-to-address-list address-list=connection3 address-list-timeout=1h chain=input comment="Third attempt" connection-state=new dst-port=22 protocol=tcp src-address-list=connection2,!secured
/ip firewall filter add action=accept chain=input dst-port=22 protocol=tcp src-address-list=!bruteforce_blacklist`
	if _, err := r.Run(context.Background(), src); err != nil {
		t.Fatalf("the page's rules: %v", err)
	}
	out, err := kernel.Render(r.State())
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	// "connection2,!secured" escaped as one identifier: , is _2c, ! is _21.
	if !strings.Contains(out, "ip saddr @al_connection2_2c_21secured") {
		t.Errorf("the rule does not match the list named connection2,!secured:\n%s", out)
	}
	if strings.Contains(out, "@al_connection2 ") || strings.Contains(out, "@ald_connection2 ") {
		t.Errorf("the rule matches connection2 itself:\n%s", out)
	}
	if !strings.Contains(out, "ip saddr != @al_bruteforce_5fblacklist") {
		t.Errorf("the negated list is not rendered as before:\n%s", out)
	}
	if _, err := r.Run(context.Background(), "/ip firewall address-list add list=a,b address=198.51.100.50"); err == nil || !strings.Contains(err.Error(), "invalid value for argument list") {
		t.Errorf("an entry's list= with a comma: %v, want invalid value for argument list", err)
	}
}

// TestForum48IPv6AddToList: the Port knocking page's rules under /ipv6
// firewall filter are enforced, as on IPv4: add-src-to-address-list puts
// the source in the list's dynamic ip6 set with the rule's timeout, and a
// matcher of that list reads its static and dynamic sets. They were
// stored and never matched ("address-list: rosemu's IPv6 firewall does not
// model it"). Control: a list no rule adds to stays one static set.
func TestForum48IPv6AddToList(t *testing.T) {
	r := hairpin(t)
	src := `/ipv6 address add address=3fff:113::2/64 interface=ether1 advertise=no
/ipv6 firewall address-list add address=3fff:100::60 list=admins
/ipv6 firewall filter
add action=add-src-to-address-list address-list=k1 address-list-timeout=30s chain=input dst-port=888 protocol=tcp
add action=add-src-to-address-list address-list=secured address-list-timeout=30m chain=input dst-port=555 protocol=tcp src-address-list=k1
add action=accept chain=input src-address-list=secured comment=knocked
add action=accept chain=input src-address-list=admins comment=admins`
	if _, err := r.Run(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	if ne := r.NotEnforced(); len(ne) != 0 {
		t.Errorf("reported as not enforced: %v", ne)
	}
	out, err := kernel.Render6(r.State().IPv6, r.State().InterfaceLists)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"set ald_k1 {\n\t\ttype ipv6_addr\n\t\tflags dynamic, timeout\n",
		// An address the list holds statically is not added (forum59 D7).
		"th dport 888 counter ip6 saddr != @al_k1 update @ald_k1 { ip6 saddr timeout 30s }",
		"ip6 saddr != @al_k1 ip6 saddr @ald_k1 counter ip6 saddr != @al_secured update @ald_secured { ip6 saddr timeout 1800s }",
		"ip6 saddr != @al_secured ip6 saddr @ald_secured counter accept",
		"ip6 saddr @al_admins counter accept",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("ruleset lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "ald_admins") {
		t.Errorf("a list no rule adds to has a dynamic set:\n%s", out)
	}
}
