package config

import (
	"context"
	"net/netip"
	"testing"
)

// An address-list entry that has a timeout takes a new timeout: public
// scripts refresh their entries so (a DNS-to-address-list script for 7.x
// sets the timeout of the entries it added with timeout=; a nested
// address-list script sets it on the dynamic entries it finds). Was
// "cannot change dynamic or builtin item", which stopped them. Other
// changes of such an entry, and a timeout on a dynamic=yes entry without
// one, stay refused.
func TestAddressListTimeoutRefresh(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}})
	ctx := context.Background()
	if _, err := r.Run(ctx, `/ip firewall address-list add list=acl address=192.0.2.7 timeout=1m
/ipv6 firewall address-list add list=acl6 address=2001:db8::7/128 timeout=1m
/ip firewall address-list add list=dyn address=192.0.2.8 dynamic=yes`); err != nil {
		t.Fatal(err)
	}
	out, err := r.Run(ctx, `:local e [/ip firewall address-list find list=acl address=192.0.2.7]
:if ([/ip firewall address-list get $e dynamic]) do={ /ip firewall address-list set $e timeout=[:totime "1h"] }
/ip firewall address-list set numbers=$e timeout=2h
/ipv6 firewall address-list set [find list=acl6] timeout=30m
:put [/ip firewall address-list get $e timeout]
:put [/ipv6 firewall address-list get [find list=acl6] timeout]`)
	if err != nil {
		t.Fatal(err)
	}
	if out != "02:00:00\n00:30:00\n" {
		t.Errorf("timeouts: %q", out)
	}
	for _, line := range []string{
		`/ip firewall address-list set [find list=acl] comment=x`,
		`/ip firewall address-list set [find list=acl] timeout=1h comment=x`,
		`/ip firewall address-list set [find list=dyn] timeout=1h`,
	} {
		if _, err := r.Run(ctx, line); err == nil || err.Error() != "failure: cannot change dynamic or builtin item (line 1 column 1)" {
			t.Errorf("%s: err = %v", line, err)
		}
	}
}

// /ppp active remove ends sessions; rosemu runs no PPP server, so there
// is none: "remove [find]" removes nothing and a console number is "no
// such item" (a public script disconnects every session with
// "/ppp active remove numbers=$i"). Was "bad command name remove", which
// refused the whole script.
func TestPPPActiveRemove(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}})
	ctx := context.Background()
	if out, err := r.Run(ctx, "/ppp active remove [find]\n:put [/ppp active print count-only]"); err != nil || out != "0\n" {
		t.Errorf("remove [find]: %q, %v", out, err)
	}
	if _, err := r.Run(ctx, "/ppp active remove numbers=0"); err == nil || err.Error() != "no such item (line 1 column 1)" {
		t.Errorf("remove numbers=0: err = %v", err)
	}
}

// /system clock get time is a time, as uptime is: scripts time themselves
// with "([/system clock get time] - $start)" and keep a timestamp only
// while ":typeof" says "time" (public scripts: a BLE-to-MQTT forwarder, a
// blocklist loader, a bot library's cleanup timer, an execution-time
// function). Was a string: the subtraction failed with "cannot apply -
// to str and str". :pick, :find and :len still see HH:MM:SS, so the date
// and file-name scripts that cut it up are unchanged.
func TestClockTimeIsTime(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}})
	out, err := r.Run(context.Background(), `:local start [/system clock get time]
:put [:typeof $start]
:put [:typeof ([/system clock get time] - $start)]
:put ([/system clock get time] >= $start)
:put [:len $start]
:put [:find $start ":"]
:put ([:pick $start 2 3] . [:pick $start 5 6])`)
	if err != nil {
		t.Fatal(err)
	}
	if out != "time\ntime\ntrue\n8\n2\n::\n" {
		t.Errorf("got %q", out)
	}
}

// A dynamic DHCP server lease takes a comment: eworm-de's
// dhcp-lease-comment sets one on "find where dynamic=yes status=bound",
// and a lease-tagging script comments each new bound lease. Was "cannot
// change dynamic or builtin item". The comment outlives a renewal; other
// changes of a dynamic lease stay refused.
func TestDynamicLeaseComment(t *testing.T) {
	r := New(Options{Ports: []string{"ether1", "ether2"}})
	ctx := context.Background()
	if _, err := r.Run(ctx, `/ip address add address=192.168.88.1/24 interface=ether2
/ip pool add name=p ranges=192.168.88.10-192.168.88.20
/ip dhcp-server add name=lan interface=ether2 address-pool=p
/ip dhcp-server network add address=192.168.88.0/24 gateway=192.168.88.1`); err != nil {
		t.Fatal(err)
	}
	id := DHCPClientID{MAC: "02:00:00:00:00:10", HostName: "phone"}
	bind := func() netip.Addr {
		o, err := r.Offer("lan", id, netip.Addr{})
		if err == nil {
			_, err = r.Request("lan", id, o.Address)
		}
		if err != nil {
			t.Fatal(err)
		}
		return o.Address
	}
	bind()
	if _, err := r.Run(ctx, `:foreach l in=[/ip/dhcp-server/lease/find where dynamic=yes status=bound] do={
  :if ([/ip dhcp-server lease get $l comment] = "") do={ /ip/dhcp-server/lease/set comment="LAN-phone" $l }
}`); err != nil {
		t.Fatal(err)
	}
	bind()
	out, err := r.Run(ctx, `:put [/ip dhcp-server lease get [find mac-address=02:00:00:00:00:10] comment]
:put [/ip dhcp-server lease get [find mac-address=02:00:00:00:00:10] dynamic]`)
	if err != nil || out != "LAN-phone\ntrue\n" {
		t.Errorf("after renewal: %q, %v", out, err)
	}
	if _, err := r.Run(ctx, `/ip dhcp-server lease set [find dynamic] comment=x address=192.168.88.30`); err == nil || err.Error() != "failure: cannot change dynamic or builtin item (line 1 column 1)" {
		t.Errorf("address of a dynamic lease: err = %v", err)
	}
}
