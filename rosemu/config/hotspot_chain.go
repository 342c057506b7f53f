package config

// hotspotChainReason: RouterOS's hotspot adds dynamic rules that send its
// clients' packets into chains of these names (filter: input to hs-input,
// which jumps to pre-hs-input first; forward to hs-unauth and
// hs-unauth-to; NAT: dstnat to pre-hotspot and hotspot, hotspot to
// hs-unauth and hs-auth, hs-unauth to hs-smtp), so a rule the user adds
// there runs for the hotspot's clients (Manual:Customizing Hotspot,
// https://wiki.mikrotik.com/wiki/Manual:Customizing_Hotspot, "packet
// filter rules" and "NAT rules"; [verify] the list on a 7.x router).
// rosemu's hotspot (hotspot.go) adds those jumps but the one to hs-smtp:
// it redirects no SMTP, so a rule there never runs (realcheck29 D5 was
// the same for every chain before the hotspot ran).
const hotspotChainReason = "chain: a chain RouterOS's hotspot jumps to for its clients' SMTP; rosemu's hotspot redirects no SMTP, so nothing jumps to it: the rule is stored"

// hotspotChains are the chains of the hotspot that rosemu does not jump
// to, by firewall table.
var hotspotChains = map[string]map[string]bool{
	"ip firewall nat": {"hs-smtp": true},
}

// hotspotChainStored says why a rule of table tbl is stored: it sits in a
// hotspot chain while a hotspot server is enabled, and no rule of the
// user's jumps there (a jump rosemu runs). Without an enabled hotspot
// RouterOS does not jump there either, and the rule is as inert on both.
func hotspotChainStored(m *model, tbl string) func(*item) string {
	return func(it *item) string {
		chain := it.props["chain"]
		if !hotspotChains[tbl][chain] || it.disabled() {
			return ""
		}
		running := false
		for _, h := range m.tables["ip hotspot"] {
			running = running || !h.disabled()
		}
		if !running {
			return ""
		}
		for _, r := range m.tables[tbl] {
			if !r.disabled() && r.props["action"] == "jump" && r.props["jump-target"] == chain {
				return ""
			}
		}
		return hotspotChainReason
	}
}
