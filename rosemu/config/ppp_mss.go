package config

import (
	"strconv"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// A PPP profile's change-tcp-mss=yes clamps the MSS of TCP connections
// through the session to what its MTU carries (PPP AAA page of the manual:
// "modifies connection MSS settings (applies only for IPv4)"). The built-in
// profiles default and default-encryption have it on, and "default" in
// another profile takes the default profile's value, so a PPPoE WAN clamps
// without a mangle rule of the user's (the forum's "https loads, then
// hangs" behind PPPoE is a router where someone turned it off).

// profileClamps resolves a profile's change-tcp-mss.
func profileClamps(m *model, profile string) bool {
	// The default profile by the name it has now (a renamed one too).
	def := m.refName("", "ppp profile", "default")
	name := orDefault(profile, def)
	v := "default"
	if p := pppProfileNamed(m, name); p != nil {
		v = effective(pppProfileMenu, p.props, "change-tcp-mss")
	}
	if v == "default" && name != def {
		return profileClamps(m, def)
	}
	return v != "no"
}

func pppProfileNamed(m *model, name string) *item {
	for _, p := range m.tables[pppProfileMenu.tableName()] {
		if p.props["name"] == name {
			return p
		}
	}
	return nil
}

// mssClamps are the up PPP sessions whose profile clamps the MSS: the
// PPPoE clients' (with the session's MTU) and the PPP server's.
func mssClamps(t *tx) []kernel.MSSClamp {
	var out []kernel.MSSClamp
	for _, c := range pppClientItems(t.m) {
		s, ok := upSession(t.m, c)
		if !ok || !profileClamps(t.m, c.props["profile"]) {
			continue
		}
		mtu, _ := strconv.Atoi(s.props["mtu"])
		out = append(out, kernel.MSSClamp{Link: c.props["name"], MTU: mtu})
	}
	for _, a := range upPPPSessions(t.m) {
		if a.props["~change-tcp-mss"] != "no" {
			out = append(out, kernel.MSSClamp{Link: a.props["~interface"]})
		}
	}
	return out
}

// clampsOf is change-tcp-mss of a server session's profiles, highest
// first: the first that says yes or no decides; "default" passes on.
func clampsOf(m *model, profiles []*item) bool {
	for _, p := range profiles {
		switch effective(pppProfileMenu, p.props, "change-tcp-mss") {
		case "yes":
			return true
		case "no":
			return false
		}
	}
	return profileClamps(m, "default")
}

func yesNoWord(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
