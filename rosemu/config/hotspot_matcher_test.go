package config

import (
	"strings"
	"testing"
)

// TestHotspotMatcherRendered (f77): a NAT rule's hotspot=from-client,auth
// was stored and never matched though rosemu runs the hotspot. With one
// server it is rendered as the server's interface and the authorised
// list, and not reported. Controls: http cannot be rendered, a second
// server makes from-client ambiguous, no hotspot leaves nothing to match:
// those rules keep hotspot= (never match) and are reported.
func TestHotspotMatcherRendered(t *testing.T) {
	rule := "/ip firewall nat add chain=srcnat action=masquerade comment=u hotspot=from-client,auth\n" +
		"/ip firewall filter add chain=forward action=drop comment=v hotspot=!auth in-interface=ether2\n"
	r := hotspotRouter(t, rule)
	st := r.State()
	find := func(rules []map[string]string, c string) map[string]string {
		for _, p := range rules {
			if p["comment"] == c {
				return p
			}
		}
		return nil
	}
	var nat, filter []map[string]string
	for _, x := range st.NAT {
		nat = append(nat, x.Props)
	}
	for _, x := range st.Filter {
		filter = append(filter, x.Props)
	}
	if p := find(nat, "u"); p == nil || p["hotspot"] != "" || p["in-interface"] != "ether2" || p["src-address-list"] != HotspotAuthList {
		t.Errorf("nat rule: %v", p)
	}
	// in-interface already ether2 clashes with nothing from !auth.
	if p := find(filter, "v"); p == nil || p["hotspot"] != "" || p["src-address-list"] != "!"+HotspotAuthList || p["in-interface"] != "ether2" {
		t.Errorf("filter rule: %v", p)
	}
	for _, ne := range r.NotEnforced() {
		if ne.Property == "hotspot" {
			t.Errorf("a rendered hotspot matcher is reported: %v", ne)
		}
	}
	if !strings.Contains(renderOf(t, r), "masquerade") {
		t.Errorf("no masquerade rendered")
	}
	for name, src := range map[string]string{
		"http":       hotspotLAN + "/ip firewall nat add chain=dstnat action=accept comment=u hotspot=http\n",
		"two":        hotspotLAN + "/ip address add address=10.6.50.1/24 interface=ether3\n/ip hotspot add name=hs2 interface=ether3 profile=hsprof1\n" + rule,
		"no hotspot": rule,
	} {
		r := New(Options{Ports: ports})
		run(t, r, src)
		for _, x := range r.State().NAT {
			if x.Props["comment"] == "u" && x.Props["hotspot"] == "" {
				t.Errorf("%s: rendered: %v", name, x.Props)
			}
		}
		n := 0
		for _, ne := range r.NotEnforced() {
			if ne.Property == "hotspot" {
				n += ne.Count
			}
		}
		if n == 0 {
			t.Errorf("%s: not reported", name)
		}
	}
}
