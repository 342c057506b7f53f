package config

import (
	"context"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/rosemu/script"
)

// /interface lists every interface, VPN clients and tunnels too, with
// RouterOS's type words, so a PPP on-up script's "[/interface get
// $interface name]" finds the L2TP client it runs for (a public on-up
// script that moves a src-nat rule to the new local address). Was "no
// such item": /interface held only ports, bridges, VLANs and PPPoE
// clients, and typed a PPPoE client "ether".
func TestInterfaceListsEveryType(t *testing.T) {
	r := New(Options{Ports: []string{"ether1", "ether2"}})
	ctx := context.Background()
	if _, err := r.Run(ctx, `/interface l2tp-client add name=l2tp-out1 connect-to=192.0.2.1 user=u password=p
/interface pppoe-client add name=pppoe-out1 interface=ether2 user=u password=p
/interface wireguard add name=wg1 listen-port=13231
/ip firewall nat add chain=srcnat out-interface=l2tp-out1 action=src-nat to-addresses=10.9.9.1`); err != nil {
		t.Fatal(err)
	}
	out, err := r.Run(ctx, `:foreach n in={"ether1";"l2tp-out1";"pppoe-out1";"wg1"} do={ :put ($n . "=" . [/interface get [find name=$n] type]) }`)
	if err != nil {
		t.Fatal(err)
	}
	if want := "ether1=ether\nl2tp-out1=l2tp-out\npppoe-out1=pppoe-out\nwg1=wg\n"; out != want {
		t.Errorf("types:\n%s\nwant\n%s", out, want)
	}
	id, err := r.Run(ctx, `:put [/interface find name=l2tp-out1]`)
	if err != nil {
		t.Fatal(err)
	}
	onUp := `:local interfaceName [/interface get $interface name]
:local newaddress $"local-address"
:local curaddress [ /ip firewall nat get [/ip firewall nat find out-interface=$interfaceName] to-addresses ]
:if ($curaddress != $newaddress) do={
    /ip firewall nat set [ /ip firewall nat find out-interface=$interfaceName ] to-addresses=$newaddress
}`
	vars := map[string]script.Value{"interface": script.ID(strings.TrimSpace(id)), "local-address": script.Str("10.9.9.7")}
	if err := r.RunScript(ctx, "on-up", onUp, vars); err != nil {
		t.Fatal(err)
	}
	if out, _ := r.Run(ctx, `:put [/ip firewall nat get [find out-interface=l2tp-out1] to-addresses]`); out != "10.9.9.7\n" {
		t.Errorf("to-addresses after on-up: %q", out)
	}
}

// Policy routing rules are /routing rule on RouterOS 7 and /ip route rule
// on 6, each refused on the other as RouterOS refuses a menu it lacks: a
// PPPoE on-up script written for 6 ("/ip rou rule set [find
// comment=\"INET1\"] src-address=$\"local-address\"") stops on a 7 router.
// Was: both menus on both versions, so the v6 line did nothing on 7.
func TestRouteRuleMenuPerVersion(t *testing.T) {
	checkVersionCases(t, []versionCase{
		{"7.16.2", "/routing rule add src-address=10.0.0.0/8 table=main", ""},
		{"7.16.2", "/ip route rule add src-address=10.0.0.0/8 table=main", "bad command name rule (line 1 column 11)"},
		{"7.16.2", `/ip rou rule set [find comment="INET1"] src-address=1.2.3.4`, "bad command name rule (line 1 column 9)"},
		{"6.49.10", "/ip route rule add src-address=10.0.0.0/8 table=main", ""},
		{"6.49.10", "/routing rule add src-address=10.0.0.0/8 table=main", "bad command name rule (line 1 column 10)"},
	})
}
