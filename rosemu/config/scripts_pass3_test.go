package config

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/files"
	"github.com/chrlab/chrlab/rosemu/script"
)

// Scripts pass 3 (helper h20): DDNS updaters, dual-WAN failover,
// DHCP-lease-to-DNS, address lists from names, IP Cloud and PPPoE on-up
// NAT updaters, backups, log parsers and blocklist importers, written in
// the shapes of public ones, each run as RouterOS runs it and checked by
// the configuration it leaves.

func logHas(r *Router, sub string) bool {
	for _, l := range r.Log() {
		if strings.Contains(l.Msg, sub) {
			return true
		}
	}
	return false
}

func logCount(r *Router, sub string) int {
	n := 0
	for _, l := range r.Log() {
		if strings.Contains(l.Msg, sub) {
			n++
		}
	}
	return n
}

// A DHCP client's script given as a { } block (public Cloudflare DDNS and
// dual-WAN scripts are pasted so): the block is the script, with the
// client's event variables, and a second WAN's route in its own table
// follows the gateway the lease names. Was refused as a syntax error at
// $bound.
func TestH20DHCPClientScriptBlock(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Ports: ports})
	run(t, r, `/routing table add name=isp2 fib
/ip route add dst-address=0.0.0.0/0 gateway=198.51.100.1 routing-table=isp2 comment=isp2-default
/ip dhcp-client add interface=ether2 disabled=no add-default-route=no script={
  :if ($bound = 1) do={
    :local gw $"gateway-address"
    :local r [/ip route find where comment="isp2-default"]
    :if ([/ip route get $r gateway] != $gw) do={
      /ip route set $r gateway=$gw
      :log info "isp2: gateway $gw"
    }
  } else={
    /ip route set [find comment="isp2-default"] disabled=yes
  }
}`)
	var src string
	for _, c := range r.DHCPClients() {
		src = c.Script
	}
	if !strings.Contains(src, `$"gateway-address"`) {
		t.Fatalf("client script %q: want the block's text", src)
	}
	gw := func() string {
		return strings.TrimSpace(run(t, r, `:put [/ip route get [find comment=isp2-default] gateway]`))
	}
	vars := func(bound int64, gw string) map[string]script.Value {
		v := leaseVars(bound, "198.51.100.20")
		v["gateway-address"] = script.Str(gw)
		return v
	}
	// The lease names the gateway the route has: nothing changes (control).
	if err := r.RunScript(ctx, "dhcp-client ether2", src, vars(1, "198.51.100.1")); err != nil {
		t.Fatal(err)
	}
	if gw() != "198.51.100.1" || logHas(r, "isp2: gateway") {
		t.Fatalf("same gateway: route gateway %s, log %v; want nothing changed", gw(), r.Log())
	}
	if err := r.RunScript(ctx, "dhcp-client ether2", src, vars(1, "203.0.113.1")); err != nil {
		t.Fatal(err)
	}
	if gw() != "203.0.113.1" {
		t.Errorf("new gateway: route gateway %s, want 203.0.113.1", gw())
	}
	if err := r.RunScript(ctx, "dhcp-client ether2", src, vars(0, "203.0.113.1")); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(run(t, r, `:put [/ip route get [find comment=isp2-default] disabled]`)); got != "true" {
		t.Errorf("lease ended: route disabled=%s, want true", got)
	}
}

// The forum's method 5 as a scheduler script: the forward's dst-address
// follows IP Cloud's public address. Before the first update the address
// is nothing (the script leaves the rule); was "input does not match any
// value of value-name", which stopped the script.
func TestH20CloudAddressToNAT(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Ports: ports})
	run(t, r, `/ip cloud set ddns-enabled=yes
/ip firewall nat
add chain=dstnat action=dst-nat protocol=tcp dst-port=443 dst-address=203.0.113.1 to-addresses=192.168.88.10 comment=web-fwd
/system script add name=cloud-nat source={
  :local pub [/ip cloud get public-address]
  :if ([:len $pub] > 0) do={
    :local cur [/ip firewall nat get [find comment="web-fwd"] dst-address]
    :if ($cur != $pub) do={
      /ip firewall nat set [find comment="web-fwd"] dst-address=$pub
      :log info ("cloud-nat: web-fwd now " . $pub)
    }
  }
}
/system scheduler add name=cloud-nat interval=1m on-event=cloud-nat`)
	if got := run(t, r, `:put [:typeof [/ip cloud get public-address]]`); got != "nil\n" {
		t.Errorf("public-address before an update: typeof %q, want nil", got)
	}
	dst := func() string {
		return strings.TrimSpace(run(t, r, `:put [/ip firewall nat get [find comment=web-fwd] dst-address]`))
	}
	tick := func() {
		t.Helper()
		if err := r.RunScheduled(ctx, strings.TrimSpace(run(t, r, ":put [/system scheduler find name=cloud-nat]"))); err != nil {
			t.Fatalf("scheduled run: %v", err)
		}
	}
	tick()
	if dst() != "203.0.113.1" {
		t.Fatalf("no cloud address yet: dst-address %s, want the rule as it was", dst())
	}
	r.SetCloudStatus(CloudStatus{PublicAddress: netip.MustParseAddr("203.0.113.50"), DNSName: "abc.sn.example", Status: "updated"})
	tick()
	tick()
	if dst() != "203.0.113.50" {
		t.Errorf("after an update: dst-address %s, want 203.0.113.50", dst())
	}
	if n := logCount(r, "cloud-nat: web-fwd now"); n != 1 {
		t.Errorf("rule set %d times, want once (the second run finds it current)", n)
	}
}

// A DuckDNS updater: the public address from IP Cloud, /tool fetch to the
// provider, the result read from the file fetch wrote. rosemu sends
// nothing: the fetch fails, the script's on-error logs it, and the global
// that remembers the last address stays unset, so the next run tries
// again, as on RouterOS when the provider cannot be reached.
func TestH20DuckDNSNotSent(t *testing.T) {
	r := New(Options{Ports: ports, Files: &files.Store{}})
	run(t, r, `/system script add name=duckdns source={
  :global duckLastIP
  :local cur [/ip cloud get public-address]
  :if ([:typeof $cur] = "nil" || [:len $cur] = 0) do={ :log warning "duckdns: no public address yet"; :return "" }
  :if ($cur != $duckLastIP) do={
    :do {
      /tool fetch mode=https url="https://www.duckdns.example/update\?domains=labhome&token=x&ip=$cur" dst-path="duckdns.txt"
      :local res [/file get duckdns.txt contents]
      :if ($res = "OK") do={ :set duckLastIP $cur; :log info "duckdns: now $cur" }
    } on-error={ :log error "duckdns: update to $cur failed" }
  }
}`)
	run(t, r, "/system script run duckdns")
	if !logHas(r, "duckdns: no public address yet") {
		t.Fatalf("before an update: log %v", r.Log())
	}
	r.SetCloudStatus(CloudStatus{PublicAddress: netip.MustParseAddr("203.0.113.50"), Status: "updated"})
	run(t, r, "/system script run duckdns")
	if !logHas(r, "duckdns: update to 203.0.113.50 failed") || logHas(r, "duckdns: now") {
		t.Errorf("after an update: log %v; want the fetch failed and logged", r.Log())
	}
	if got := run(t, r, ":global duckLastIP; :put [:typeof $duckLastIP]"); got != "nothing\n" {
		t.Errorf("duckLastIP is %q; want it unset (nothing was sent)", got)
	}
	if out, err := r.Run(context.Background(), `/tool fetch url="https://www.duckdns.example/update"`); err == nil || !strings.Contains(err.Error(), "rosemu does not fetch") {
		t.Errorf("fetch: %q %v; want an error saying nothing was fetched", out, err)
	}
}

// A nightly export: the file name from the identity and the date (ISO on
// 7.10+, the month table on older dates), /export file=, old exports of
// the router removed. /export file= printed the export instead of writing
// it, so the removal found nothing and the e-mail had no file.
func TestH20ExportFile(t *testing.T) {
	store := &files.Store{}
	for name, data := range map[string]string{"gw1-20260101-0300.rsc": "old", "gw1-20260102-0300.rsc": "old", "keep.rsc": "/log info x"} {
		if err := store.WriteFile(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	r := New(Options{Ports: ports, Files: store})
	run(t, r, `/system identity set name=gw1
/ip address add address=192.168.88.1/24 interface=ether2
/system script add name=nightly-export source={
  :local id [/system identity get name]
  :local d [/system clock get date]
  :local t [/system clock get time]
  :local stamp $d
  :if ([:pick $d 4 5] = "-") do={
    :set stamp ([:pick $d 0 4] . [:pick $d 5 7] . [:pick $d 8 10])
  } else={
    :local months {"jan"="01";"feb"="02";"mar"="03";"apr"="04";"may"="05";"jun"="06";"jul"="07";"aug"="08";"sep"="09";"oct"="10";"nov"="11";"dec"="12"}
    :set stamp ([:pick $d 7 11] . ($months->[:pick $d 0 3]) . [:pick $d 4 6])
  }
  :local name ($id . "-" . $stamp . "-" . [:pick $t 0 2] . [:pick $t 3 5])
  /export file=$name
  :foreach f in=[/file find where name~"^$id-.*\\.rsc\$"] do={
    :if ([/file get $f name] != "$name.rsc") do={ /file remove $f }
  }
  :global exportName $name
}`)
	if out := run(t, r, "/system script run nightly-export"); out != "" {
		t.Errorf("the script printed %q; /export file= prints nothing", out)
	}
	name := strings.TrimSpace(run(t, r, ":global exportName; :put $exportName"))
	if len(name) != len("gw1-20261202-0507") || !strings.HasPrefix(name, "gw1-20") {
		t.Fatalf("export name %q: want gw1-YYYYMMDD-HHMM", name)
	}
	var got []string
	for _, n := range store.Names() {
		got = append(got, n)
	}
	want := []string{name + ".rsc", "keep.rsc"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("files %v, want %v (the old exports removed)", got, want)
	}
	data, err := store.ReadFile(name + ".rsc")
	if err != nil || !strings.Contains(string(data), "add address=192.168.88.1/24 interface=ether2") {
		t.Errorf("%s.rsc holds %q (%v); want the export", name, data, err)
	}
	// A name given with .rsc is not given a second one.
	run(t, r, "/export file=plain.rsc")
	if _, err := store.ReadFile("plain.rsc"); err != nil {
		t.Errorf("export file=plain.rsc: %v", err)
	}
}

// A WAN watcher that computes the network and the gateway from the
// interface's address with an address shifted by bits (a netmask from a
// prefix length), & and +. (255.255.255.255 << n) was "cannot apply << to
// ip and num".
func TestH20WANWatchMaskArithmetic(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/ip address add address=192.0.2.10/27 interface=ether1
/ip route add dst-address=0.0.0.0/0 gateway=192.0.2.254 comment=wan-default
/system script add name=wan-watch source={
  :global wanLast
  :local cidr [/ip address get [find interface=ether1] address]
  :local slash [:find $cidr "/"]
  :local ip [:toip [:pick $cidr 0 $slash]]
  :local bits [:tonum [:pick $cidr ($slash + 1) [:len $cidr]]]
  :local mask (255.255.255.255 << (32 - $bits))
  :local net ($ip & $mask)
  :local gw ($net + 1)
  :put ("ip=" . $ip . " net=" . $net . "/" . $bits . " mask=" . $mask . " gw=" . $gw . " type=" . [:typeof $ip])
  :if ($ip != $wanLast) do={
    :set wanLast $ip
    /ip firewall address-list remove [find list=my-wan]
    /ip firewall address-list add list=my-wan address=$ip
    /ip route set [find comment=wan-default] gateway=$gw
  }
}`)
	if got := run(t, r, "/system script run wan-watch"); got != "ip=192.0.2.10 net=192.0.2.0/27 mask=255.255.255.224 gw=192.0.2.1 type=ip\n" {
		t.Errorf("wan-watch printed %q", got)
	}
	if got := strings.TrimSpace(run(t, r, ":put [/ip route get [find comment=wan-default] gateway]")); got != "192.0.2.1" {
		t.Errorf("route gateway %s, want 192.0.2.1", got)
	}
	// The address changes: the list follows, one entry.
	run(t, r, "/ip address set [find interface=ether1] address=192.0.2.70/27")
	run(t, r, "/system script run wan-watch")
	if got := run(t, r, ":foreach i in=[/ip firewall address-list find list=my-wan] do={ :put [/ip firewall address-list get $i address] }"); got != "192.0.2.70\n" {
		t.Errorf("my-wan holds %q, want 192.0.2.70 alone", got)
	}
	if got := strings.TrimSpace(run(t, r, ":put [/ip route get [find comment=wan-default] gateway]")); got != "192.0.2.65" {
		t.Errorf("route gateway %s, want 192.0.2.65", got)
	}
}

// The wiki's "static DNS record for each DHCP lease" rebuild: entries it
// made (told by their TTL) are removed, then one is added per lease with a
// host name. Run twice: no duplicates; a lease without a host name gets
// none.
func TestH20LeaseDNSRebuild(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/ip address add address=192.168.88.1/24 interface=ether2
/ip pool add name=lan-pool ranges=192.168.88.100-192.168.88.200
/ip dhcp-server add address-pool=lan-pool interface=ether2 name=lan
/ip dhcp-server network add address=192.168.88.0/24 gateway=192.168.88.1
/ip dns static add name=router.lan.example address=192.168.88.1
/system script add name=lease2dns source={
  :local topdomain "lan.example"
  :local ttl "00:59:59"
  :local hostname
  :local hostip
  :local free
  /ip dns static
  :foreach a in=[find] do={
    :if ([get $a ttl] = $ttl) do={
      remove $a
    }
  }
  /ip dhcp-server lease
  :foreach i in=[find] do={
    /ip dhcp-server lease
    :if ([:len [get $i host-name]] > 0) do={
      :set free "true"
      :set hostname ([get $i host-name] . "." . $topdomain)
      :set hostip [get $i address]
      /ip dns static
      :foreach di in [find] do={
        :if ([get $di name] = $hostname) do={ :set free "false" }
      }
      :if ($free = true) do={
        /ip dns static add name=$hostname address=$hostip ttl=$ttl
      }
    }
  }
}`)
	for _, c := range []DHCPClientID{{MAC: "02:00:00:00:00:01", HostName: "nas"}, {MAC: "02:00:00:00:00:02", HostName: "printer"}, {MAC: "02:00:00:00:00:03"}} {
		o, err := r.Offer("lan", c, netip.Addr{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Request("lan", c, o.Address); err != nil {
			t.Fatal(err)
		}
	}
	names := func() string {
		return run(t, r, `:foreach i in=[/ip dns static find] do={ :put ([/ip dns static get $i name] . "=" . [/ip dns static get $i address]) }`)
	}
	run(t, r, "/system script run lease2dns")
	first := names()
	run(t, r, "/system script run lease2dns")
	if got := names(); got != first {
		t.Errorf("second run: %q, first %q; want the same entries", got, first)
	}
	if !strings.HasPrefix(first, "router.lan.example=192.168.88.1\n") || strings.Count(first, "\n") != 3 ||
		!strings.Contains(first, "nas.lan.example=192.168.88.") || !strings.Contains(first, "printer.lan.example=192.168.88.") {
		t.Errorf("entries %q: want the router's own and one per named lease", first)
	}
}

// A lease script (export quoting) keeping one static name per lease: the
// lease's host name, or one made from its MAC address; removed when the
// lease ends.
func TestH20LeaseScriptDNS(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Ports: ports})
	run(t, r, `/ip pool add name=lan-pool ranges=192.168.88.100-192.168.88.200
/ip address add address=192.168.88.1/24 interface=ether2
/ip dhcp-server add address-pool=lan-pool interface=ether2 name=lan lease-script=":local ttl 5m\r\
    \n:local domain \"home.example\"\r\
    \n:local host \$\"lease-hostname\"\r\
    \n:if ([:len \$host] = 0) do={ :set host (\"dhcp-\" . [:pick \$leaseActMAC 12 14] . [:pick \$leaseActMAC 15 17]) }\r\
    \n:local fqdn (\$host . \".\" . \$domain)\r\
    \n:if (\$leaseBound = \"1\") do={\r\
    \n  /ip dns static remove [find where name=\$fqdn]\r\
    \n  /ip dns static add name=\$fqdn address=\$leaseActIP ttl=\$ttl comment=(\"dhcp:\" . \$leaseActMAC)\r\
    \n} else={\r\
    \n  /ip dns static remove [find where comment=(\"dhcp:\" . \$leaseActMAC)]\r\
    \n}"`)
	src := strings.TrimSpace(run(t, r, ":put [/ip dhcp-server get lan lease-script]"))
	names := func() string {
		return run(t, r, `:foreach i in=[/ip dns static find] do={ :put ([/ip dns static get $i name] . "=" . [/ip dns static get $i address] . " " . [/ip dns static get $i ttl]) }`)
	}
	lease := func(mac, addr, host string, bound bool) {
		t.Helper()
		if err := r.RunScript(ctx, "dhcp-server lan", src, LeaseScriptVars("lan", mac, addr, host, bound)); err != nil {
			t.Fatal(err)
		}
	}
	lease("02:00:00:00:AB:CD", "192.168.88.150", "tv", true)
	lease("02:00:00:00:12:34", "192.168.88.151", "", true)
	lease("02:00:00:00:AB:CD", "192.168.88.150", "tv", true) // a renewal
	if got := names(); got != "tv.home.example=192.168.88.150 5m\ndhcp-1234.home.example=192.168.88.151 5m\n" &&
		got != "dhcp-1234.home.example=192.168.88.151 5m\ntv.home.example=192.168.88.150 5m\n" {
		t.Errorf("bound: %q", got)
	}
	lease("02:00:00:00:AB:CD", "192.168.88.150", "tv", false)
	if got := names(); got != "dhcp-1234.home.example=192.168.88.151 5m\n" {
		t.Errorf("after tv's lease ended: %q", got)
	}
}

// An address list kept from names by :resolve, one entry per name (its
// comment): added once, set when the name moves, a name that does not
// resolve skipped and logged.
func TestH20AddressListFromNames(t *testing.T) {
	r := New(Options{Ports: ports})
	addrs := map[string]string{"admin1.example.net": "198.51.100.7"}
	r.SetResolver(func(_ context.Context, name string) (netip.Addr, error) {
		if a, ok := addrs[name]; ok {
			return netip.MustParseAddr(a), nil
		}
		return netip.Addr{}, fmt.Errorf("failure: dns server failure")
	})
	run(t, r, `/system script add name=resolve-list source={
  :local listName "remote-admins"
  :local hosts {"admin1.example.net";"admin2.example.net"}
  :foreach h in=$hosts do={
    :local ip
    :do { :set ip [:resolve $h] } on-error={ :log warning "resolve-list: $h does not resolve" }
    :if ([:typeof $ip] = "ip") do={
      :local id [/ip firewall address-list find where list=$listName comment=$h]
      :if ([:len $id] = 0) do={
        /ip firewall address-list add list=$listName address=$ip comment=$h
      } else={
        :if ([/ip firewall address-list get $id address] != [:tostr $ip]) do={
          /ip firewall address-list set $id address=$ip
        }
      }
    }
  }
}`)
	list := func() string {
		return run(t, r, `:foreach i in=[/ip firewall address-list find list=remote-admins] do={ :put ([/ip firewall address-list get $i comment] . "=" . [/ip firewall address-list get $i address]) }`)
	}
	run(t, r, "/system script run resolve-list")
	run(t, r, "/system script run resolve-list")
	if got := list(); got != "admin1.example.net=198.51.100.7\n" {
		t.Errorf("two runs: %q, want one entry", got)
	}
	if !logHas(r, "admin2.example.net does not resolve") {
		t.Errorf("log %v: want the unresolved name logged", r.Log())
	}
	addrs["admin1.example.net"] = "198.51.100.8"
	addrs["admin2.example.net"] = "203.0.113.9"
	run(t, r, "/system script run resolve-list")
	if got := list(); got != "admin1.example.net=198.51.100.8\nadmin2.example.net=203.0.113.9\n" {
		t.Errorf("after the names moved: %q", got)
	}
}

// A PPPoE profile's on-up keeping a forward and an address list on the
// session's new address.
func TestH20PPPoEOnUpNAT(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Ports: ports})
	run(t, r, `/ppp profile add name=wan-prof on-up={
  :local newip $"local-address"
  /ip firewall nat set [find comment="pf-ssh"] dst-address=$newip
  /ip firewall address-list remove [find list=wan-ip]
  /ip firewall address-list add list=wan-ip address=$newip
  :log info "on-up: $interface has $newip"
}
/interface pppoe-client add name=pppoe-out1 interface=ether1 user=u password=p profile=wan-prof
/ip firewall nat add chain=dstnat action=dst-nat protocol=tcp dst-port=2222 to-addresses=192.168.88.20 to-ports=22 comment=pf-ssh`)
	up, _ := r.PPPoEProfileScripts("pppoe-out1")
	for _, a := range []string{"100.64.3.7", "100.64.9.1"} {
		vars := map[string]script.Value{"user": script.Str("u"), "interface": script.Str("pppoe-out1"),
			"local-address": script.Str(a), "remote-address": script.Str("100.64.0.1"), "caller-id": script.Str(""), "called-id": script.Str("")}
		if err := r.RunScript(ctx, "ppp profile on-up pppoe-out1", up, vars); err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSpace(run(t, r, ":put [/ip firewall nat get [find comment=pf-ssh] dst-address]")); got != a {
			t.Errorf("session %s: forward dst-address %s", a, got)
		}
		if got := run(t, r, ":foreach i in=[/ip firewall address-list find list=wan-ip] do={ :put [/ip firewall address-list get $i address] }"); got != a+"\n" {
			t.Errorf("session %s: wan-ip holds %q", a, got)
		}
	}
}

// A log parser: addresses of failed logins into a blocklist with a
// timeout, once each.
func TestH20LogBruteforce(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `:log warning "login failure for user admin from 203.0.113.5 via ssh"
:log warning "login failure for user root from 203.0.113.6 via ssh"
:log warning "login failure for user admin from 203.0.113.5 via ssh"
:log info "user admin logged in from 192.168.88.20 via winbox"
/system script add name=login-watch source={
  :foreach i in=[/log find where message~"login failure for user"] do={
    :local msg [/log get $i message]
    :local p [:find $msg " from "]
    :if ([:typeof $p] = "num") do={
      :local rest [:pick $msg ($p + 6) [:len $msg]]
      :local e [:find $rest " "]
      :if ([:typeof $e] = "nil") do={ :set e [:len $rest] }
      :local addr [:pick $rest 0 $e]
      :if ([:typeof [:toip $addr]] = "ip") do={
        :if ([:len [/ip firewall address-list find list=ssh-block address=$addr]] = 0) do={
          /ip firewall address-list add list=ssh-block address=$addr timeout=1d comment="login-watch"
        }
      }
    }
  }
}`)
	run(t, r, "/system script run login-watch")
	run(t, r, "/system script run login-watch")
	if got := run(t, r, `:foreach i in=[/ip firewall address-list find list=ssh-block] do={ :put ([/ip firewall address-list get $i address] . " " . [:typeof [/ip firewall address-list get $i timeout]]) }`); got != "203.0.113.5 time\n203.0.113.6 time\n" {
		t.Errorf("ssh-block holds %q; want the two failing sources once each, with a timeout", got)
	}
}

// A blocklist importer: the fetch fails in a lab (nothing is sent), the
// stored copy is split on newlines with :find and :pick, comment lines
// skipped, each network added. (:find searches after its start position,
// as the manual's [:find "abc" "a" -1] shows, so this shape of importer
// folds an empty line into the next one, on RouterOS too.)
func TestH20BlocklistImport(t *testing.T) {
	store := &files.Store{}
	if err := store.WriteFile("drop.txt", []byte("; drop list 2026-12-01\n203.0.113.0/24 ; SBL1\n198.51.100.128/25 ; SBL2\n192.0.2.64/26")); err != nil {
		t.Fatal(err)
	}
	r := New(Options{Ports: ports, Files: store})
	run(t, r, `/ip firewall address-list add list=drop-list address=10.9.9.0/24 comment=stale
/system script add name=bl-import source={
  :do { /tool fetch url="https://lists.example.net/drop.txt" dst-path=drop.txt } on-error={ :log warning "bl-import: fetch failed, using the stored copy" }
  :local content [/file get [/file find name=drop.txt] contents]
  :local len [:len $content]
  :local start 0
  :local end 0
  :local n 0
  /ip firewall address-list remove [find list=drop-list]
  :while ($start < $len) do={
    :set end [:find $content "\n" $start]
    :if ([:typeof $end] = "nil") do={ :set end $len }
    :local line [:pick $content $start $end]
    :if ([:len $line] > 0 && [:pick $line 0 1] != ";") do={
      :local sc [:find $line " ;"]
      :if ([:typeof $sc] = "num") do={ :set line [:pick $line 0 $sc] }
      :do { /ip firewall address-list add list=drop-list address=$line; :set n ($n + 1) } on-error={}
    }
    :set start ($end + 1)
  }
  :log info "bl-import: $n entries"
}`)
	run(t, r, "/system script run bl-import")
	if got := run(t, r, `:foreach i in=[/ip firewall address-list find list=drop-list] do={ :put [/ip firewall address-list get $i address] }`); got != "203.0.113.0/24\n198.51.100.128/25\n192.0.2.64/26\n" {
		t.Errorf("drop-list holds %q", got)
	}
	if !logHas(r, "bl-import: fetch failed") || !logHas(r, "bl-import: 3 entries") {
		t.Errorf("log %v", r.Log())
	}
}

// A Cloudflare updater run by the scheduler: the WAN address from the
// interface (mask cut at "/"), each record resolved and compared; only a
// record that differs reaches /tool fetch, which fails without sending.
func TestH20CloudflareCompare(t *testing.T) {
	r := New(Options{Ports: ports})
	// The script asks 192.0.2.53 (server=), which knows the records.
	r.SetServerResolver(func(_ context.Context, name string, server netip.Addr, _ int) (netip.Addr, error) {
		if server != netip.MustParseAddr("192.0.2.53") {
			return netip.Addr{}, errors.New("no answer")
		}
		if name == "a.example.net" {
			return netip.MustParseAddr("192.0.2.10"), nil
		}
		return netip.MustParseAddr("198.51.100.99"), nil
	})
	run(t, r, `/ip address add address=192.0.2.10/24 interface=ether1
/system script add name=cf-ddns source={
  :local DnsRecords {"a.example.net"; "b.example.net"}
  :local WanIp [/ip address get [find interface=ether1] address]
  :set WanIp [:pick $WanIp 0 [:find $WanIp "/"]]
  :foreach DnsRecord in=$DnsRecords do={
    :do {
      :local DnsIp [:resolve domain-name=$DnsRecord server=192.0.2.53]
      :if ($WanIp != $DnsIp) do={
        :local Resp [/tool fetch mode=https http-method=get url=("https://api.example.net/zones/z/dns_records?name=" . $DnsRecord) http-header-field="Authorization: Bearer x" as-value output=user]
        :local Data [:deserialize from=json value=($Resp->"data")]
        :if ($Data->"success" != true) do={ :error "Failed to retrieve record data." }
        :log info "cf-ddns: $DnsRecord updated"
      }
    } on-error={ :log warning ("cf-ddns: " . $DnsRecord . " not updated") }
  }
}`)
	run(t, r, "/system script run cf-ddns")
	if logHas(r, "a.example.net not updated") {
		t.Errorf("a.example.net resolves to the WAN address: it must not reach fetch (log %v)", r.Log())
	}
	if !logHas(r, "b.example.net not updated") || logHas(r, "updated\"") || logHas(r, "b.example.net updated") {
		t.Errorf("b.example.net differs: want its fetch failed, nothing sent (log %v)", r.Log())
	}
}

// Netwatch moving the primary route's distance: down raises it, up puts
// it back.
func TestH20NetwatchDistance(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Ports: ports})
	run(t, r, `/ip address add address=192.0.2.10/24 interface=ether1
/ip address add address=198.51.100.10/24 interface=ether2
/ip route
add dst-address=0.0.0.0/0 gateway=192.0.2.1 distance=1 comment=ISP1
add dst-address=0.0.0.0/0 gateway=198.51.100.1 distance=2 comment=ISP2
/tool netwatch
add host=192.0.2.77 interval=10s timeout=1s \
    down-script="/ip route set [find comment=\"ISP1\"] distance=3\r\
    \n:log warning \"ISP1 down, distance 3\"" \
    up-script="/ip route set [find comment=\"ISP1\"] distance=1\r\
    \n:log warning \"ISP1 up, distance 1\""`)
	key := r.NetwatchEntries()[0].Key()
	dist := func() string {
		return strings.TrimSpace(run(t, r, ":put [/ip route get [find comment=ISP1] distance]"))
	}
	at := time.Now()
	for i, st := range []struct {
		up   bool
		want string
	}{{true, "1"}, {false, "3"}, {false, "3"}, {true, "1"}} {
		if err := r.NetwatchResult(ctx, key, NetwatchProbe{Up: st.up}, at.Add(time.Duration(i)*time.Second)); err != nil {
			t.Fatal(err)
		}
		if dist() != st.want {
			t.Errorf("probe %d (up=%v): distance %s, want %s", i, st.up, dist(), st.want)
		}
	}
	if n := logCount(r, "ISP1 down, distance 3"); n != 1 {
		t.Errorf("down-script ran %d times, want once", n)
	}
}

// A Cloudflare DNS updater in the shape of a public one: settings in
// globals set by another script, helper functions with named arguments,
// a forced check when the uptime is short or the last check is old
// ((:totime "15m"), uptime compared and subtracted as a time), the
// globals shown with /system script environment print. Was refused as a
// syntax error at (:totime, then "bad command name environment"; the
// uptime compared as text.
func TestH20CloudflareUptimeEnv(t *testing.T) {
	r := New(Options{Ports: ports})
	r.sys.boot = time.Now().Add(-time.Hour)
	run(t, r, `/ip address add address=192.0.2.10/24 interface=ether1
/system script
add name=cfdns-settings source={
  :global cfdnsToken "lab-token"
  :global cfdnsMappings {{"interface"="ether1"; "records"={{"name"="gw.example.net"; "zoneid"="z1"; "recordid"="r1"}}}}
}
add name=cfdns source={
:local LogInfo do={ :log info ("cfdns: " . $msg) }
:local ifAddr do={
  :local o [/ip address find interface=$ifName]
  if ([:len $o] = 0) do={ return "none" }
  :local a [/ip address get $o address]
  return [:pick $a 0 [:find $a "/"]]
}
do {
  /system script run cfdns-settings
  :global cfdnsToken
  :global cfdnsMappings
  :global cfdnsForcedCheckInterval
  :global cfdnsPrev
  :global cfdnsLastCheck
  if ([:typeof $cfdnsForcedCheckInterval] = "nothing") do={ :set cfdnsForcedCheckInterval (:totime "15m") }
  if ([:typeof $cfdnsPrev] = "nothing") do={ :set cfdnsPrev [:toarray ""] }
  if ([:typeof $cfdnsLastCheck] = "nothing") do={ :set cfdnsLastCheck [:totime "00:00:00"] }
  /system script environment print terse where name~"^cfdns"
  :local force false
  if (([/system resource get uptime] < $cfdnsForcedCheckInterval) || (([/system resource get uptime] - $cfdnsLastCheck) > $cfdnsForcedCheckInterval)) do={ :set force true }
  :foreach m in=$cfdnsMappings do={
    :local cur [$ifAddr ifName=($m->"interface")]
    :local changed false
    if ($cur != ($cfdnsPrev->($m->"interface"))) do={
      :set changed true
      :set ($cfdnsPrev->($m->"interface")) $cur
    }
    if (($cur != "none") and ($force or $changed)) do={
      :foreach rec in=($m->"records") do={
        do {
          :local res [/tool fetch mode=https http-method=get http-header-field=("Authorization: Bearer " . $cfdnsToken) url=("https://api.example.net/zones/" . ($rec->"zoneid") . "/dns_records/" . ($rec->"recordid")) as-value output=user]
        } on-error={ $LogInfo msg=("API not reached for " . ($rec->"name") . " force=" . $force . " changed=" . $changed) }
      }
    }
  }
  :set cfdnsLastCheck [/system resource get uptime]
} on-error={ :log error "cfdns: unhandled error" }
}`)
	out := run(t, r, "/system script run cfdns")
	if !strings.Contains(out, `name="cfdnsMappings"`) || !strings.Contains(out, `name="cfdnsToken" user="admin" value="lab-token"`) {
		t.Errorf("environment print: %q", out)
	}
	if !logHas(r, "API not reached for gw.example.net force=true changed=true") {
		t.Fatalf("first run: log %v", r.Log())
	}
	if got := run(t, r, ":global cfdnsLastCheck; :put [:typeof $cfdnsLastCheck]"); got != "time\n" {
		t.Errorf("cfdnsLastCheck is %q; want the uptime, a time", got)
	}
	// Within the interval and the address unchanged: no check (control).
	run(t, r, "/system script run cfdns")
	if n := logCount(r, "API not reached"); n != 1 {
		t.Errorf("second run: %d checks, want none (log %v)", n-1, r.Log())
	}
	run(t, r, "/ip address set [find interface=ether1] address=192.0.2.11/24")
	run(t, r, "/system script run cfdns")
	if !logHas(r, "force=false changed=true") {
		t.Errorf("address changed: log %v; want a check", r.Log())
	}
	if logHas(r, "unhandled error") {
		t.Errorf("log %v", r.Log())
	}
	// The settings removed through the environment.
	run(t, r, `/system script environment remove [find name~"^cfdns"]`)
	if got := run(t, r, ":put [/system script environment print count-only where name~\"^cfdns\"]"); got != "0\n" {
		t.Errorf("after remove: %q globals left", got)
	}
}

// A DHCP client without a lease has no address: get gives nothing (was
// "input does not match any value of value-name").
func TestH20DHCPClientAddressAbsent(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, "/ip dhcp-client add interface=ether2 disabled=no")
	if got := run(t, r, `:local a [/ip dhcp-client get [find interface=ether2] address]; :put ([:typeof $a] . " " . [:len $a])`); got != "nil 0\n" {
		t.Errorf("address before a lease: %q", got)
	}
	if _, err := r.Run(context.Background(), `:put [/ip dhcp-client get [find interface=ether2] nonsense]`); err == nil {
		t.Errorf("an unknown value name: want refused")
	}
}

// A dual-WAN failover in the shape of a public one: settings and state
// in globals (unset ones found by [:typeof] = "nothing"), pings from each
// WAN's source address in a :do while= loop inside functions given as
// arguments, state counted back from (-$recover), routes switched by
// their distances. Before the global fix its defaults were never set
// (foTries stayed nil) and no ping was sent.
func TestH20FailoverDistanceGlobals(t *testing.T) {
	r := New(Options{Ports: ports})
	down := false
	var pings []string
	r.SetPinger(counted(func(_ context.Context, req PingRequest) int {
		pings = append(pings, req.Src.String()+">"+req.Host.String())
		if down && req.Src.String() == "192.0.2.10" {
			return 0
		}
		return req.Count
	}))
	run(t, r, `/ip address add address=192.0.2.10/24 interface=ether1
/ip address add address=198.51.100.10/24 interface=ether2
/ip route
add dst-address=0.0.0.0/0 gateway=192.0.2.1 distance=1 comment=wan1-default
add dst-address=0.0.0.0/0 gateway=198.51.100.1 distance=2 comment=wan2-default
/system script
add name=fo-settings source={
  :global foWan1Src 192.0.2.10
  :global foWan2Src 198.51.100.10
  :global foTargets {"203.0.113.7"; "203.0.113.8"}
  :global foWan1Route [/ip route find comment=wan1-default]
  :global foWan2Route [/ip route find comment=wan2-default]
}
add name=fo-check source={
:local doPing do={
  :global foTries
  :global foMinReplies
  :local n 0
  :local ok 0
  :do {
    :set ok ($ok + [/ping $target count=1 src-address=$src interval=$timeout])
    :set n ($n + 1)
  } while=($n < $foTries)
  :return ($ok >= $foMinReplies)
}
:local checkAll do={
  :global foTargets
  :local failed 0
  :foreach tgt in=$foTargets do={
    if (![$doPing target=$tgt src=$src timeout=$timeout]) do={ :set failed ($failed + 1) }
  }
  :return ($failed < 2)
}
:global foRunning
if ([:typeof $foRunning] = "nothing") do={ :set foRunning false }
if ($foRunning) do={ :error "already running" }
:set foRunning true
do {
  /system script run fo-settings
  :global foWan1Src
  :global foWan2Src
  :global foWan1Route
  :global foWan2Route
  :global foTries
  :global foMinReplies
  :global foRecover
  :global foTimeout
  if ([:typeof $foTries] = "nothing") do={ :set foTries 3 }
  if ([:typeof $foMinReplies] = "nothing") do={ :set foMinReplies 2 }
  if ([:typeof $foRecover] = "nothing") do={ :set foRecover 2 }
  if ([:typeof $foTimeout] = "nothing") do={ :set foTimeout (:totime 00:00:00.500) }
  :global foWan1Prev
  if ([:typeof $foWan1Prev] = "nothing") do={ :set foWan1Prev 0 }
  :local ok1 [$checkAll src=$foWan1Src timeout=$foTimeout doPing=$doPing]
  :local st1
  if ($ok1) do={
    if ($foWan1Prev = 0) do={ :set st1 0 } else={ :set st1 ($foWan1Prev + 1) }
  } else={ :set st1 (-$foRecover) }
  :global foWan1Up ($st1 = 0)
  :local d1 [/ip route get $foWan1Route distance]
  :local d2 [/ip route get $foWan2Route distance]
  if ($d1 < $d2) do={
    if (!$foWan1Up) do={
      /ip route set $foWan1Route distance=$d2
      /ip route set $foWan2Route distance=$d1
      :log warning "failover: switched to wan2"
    }
  } else={
    if ($foWan1Up) do={
      /ip route set $foWan1Route distance=$d2
      /ip route set $foWan2Route distance=$d1
      :log warning "failover: back to wan1"
    }
  }
  :set foWan1Prev $st1
} on-error={ :set foRunning false; :error "failover: unhandled error" }
:set foRunning false
}
`)
	dist := func() string {
		return strings.TrimSpace(run(t, r, ":put ([/ip route get [find comment=wan1-default] distance] . \"/\" . [/ip route get [find comment=wan2-default] distance])"))
	}
	run(t, r, "/system script run fo-check")
	if dist() != "1/2" || len(pings) != 6 || pings[0] != "192.0.2.10>203.0.113.7" {
		t.Fatalf("wan1 up: distances %s, pings %v; want nothing moved, 3 pings to each target from wan1", dist(), pings)
	}
	down = true
	run(t, r, "/system script run fo-check")
	if dist() != "2/1" {
		t.Errorf("wan1 down: distances %s, want 2/1", dist())
	}
	// Back up: the state counts back from -2 (-1 after one good run, 0
	// after two), so the routes return on the second good run.
	down = false
	run(t, r, "/system script run fo-check")
	if dist() != "2/1" {
		t.Errorf("wan1 back for one run: distances %s, want still 2/1", dist())
	}
	run(t, r, "/system script run fo-check")
	if dist() != "1/2" {
		t.Errorf("wan1 back for two runs: distances %s, want 1/2", dist())
	}
	if got := run(t, r, ":global foRunning; :put $foRunning"); got != "false\n" {
		t.Errorf("foRunning %q after the runs", got)
	}
}

type commandDHCP struct{ cmds []string }

func (f *commandDHCP) Update([]DHCPClient)                 {}
func (f *commandDHCP) DHCPClientCommand(iface, cmd string) { f.cmds = append(f.cmds, cmd+" "+iface) }

// /ip dhcp-client release and renew (failover scripts renew a WAN's lease
// after switching): the enabled clients the references name get the
// command; a disabled one does not; an empty [find] does nothing; a bad
// reference is refused. Was "bad command name release".
func TestH20DHCPClientReleaseRenew(t *testing.T) {
	svc := &commandDHCP{}
	r := New(Options{Ports: ports, DHCP: svc})
	run(t, r, `/ip dhcp-client add interface=ether1 disabled=no comment=wan1
/ip dhcp-client add interface=ether2 disabled=yes comment=wan2`)
	run(t, r, `/ip dhcp-client release [find comment=wan1]
/ip dhcp-client renew [find]
/ip dhcp-client renew [find comment=nothing]`)
	if got := strings.Join(svc.cmds, ","); got != "release ether1,renew ether1" {
		t.Errorf("commands %q", got)
	}
	if _, err := r.Run(context.Background(), "/ip dhcp-client renew 7"); err == nil {
		t.Errorf("a bad reference: want refused")
	}
	// A netwatch down-script releases and renews the WAN's lease.
	svc.cmds = nil
	run(t, r, `/tool netwatch add host=198.51.100.1 interval=30s timeout=2s \
    down-script="/ip dhcp-client release [find comment=\"wan1\"]\r\
    \n:delay 10ms\r\
    \n/ip dhcp-client renew [find comment=\"wan1\"]"`)
	if err := r.NetwatchResult(context.Background(), r.NetwatchEntries()[0].Key(), NetwatchProbe{Up: false}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(svc.cmds, ","); got != "release ether1,renew ether1" {
		t.Errorf("netwatch down: commands %q", got)
	}
	// Without the service (validate, offline) the log says nothing ran.
	r2 := New(Options{Ports: ports})
	run(t, r2, "/ip dhcp-client add interface=ether1 disabled=no\n/ip dhcp-client renew [find]")
	if !logHas(r2, "dhcp-client renew on ether1 not run") {
		t.Errorf("log %v", r2.Log())
	}
}

// /system clock get date is mmm/DD/YYYY before 7.10 and YYYY-MM-DD from
// 7.10, as export headers show; a backup script that handles both (the
// month table of v6 scripts, the ISO branch of newer ones) names its file
// the same on both. It was ISO on every version, so a v6 script's
// [:pick $date 0 3] month lookup found nothing.
func TestH20ClockDateByVersion(t *testing.T) {
	src := `:local d [/system clock get date]
:local stamp
:if ([:pick $d 4 5] = "-") do={
  :set stamp ([:pick $d 0 4] . [:pick $d 5 7] . [:pick $d 8 10])
} else={
  :local months {"jan"="01";"feb"="02";"mar"="03";"apr"="04";"may"="05";"jun"="06";"jul"="07";"aug"="08";"sep"="09";"oct"="10";"nov"="11";"dec"="12"}
  :set stamp ([:pick $d 7 11] . ($months->[:pick $d 0 3]) . [:pick $d 4 6])
}
:put ($d . " " . $stamp)`
	want := time.Now().UTC().Format("20060102")
	for v, format := range map[string]string{"6.49.18": "Jan/02/2006", "7.9.2": "Jan/02/2006", "7.10.1": "2006-01-02", "7.16.2": "2006-01-02"} {
		r := New(Options{Ports: ports, Version: v})
		got := strings.Fields(run(t, r, src))
		if len(got) != 2 || got[1] != want {
			t.Errorf("%s: %v, want the stamp %s", v, got, want)
			continue
		}
		if d, err := time.Parse(format, strings.ToUpper(got[0][:1])+got[0][1:]); err != nil || d.Format("20060102") != want {
			t.Errorf("%s: date %q is not %s", v, got[0], format)
		}
	}
}
