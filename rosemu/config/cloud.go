package config

import (
	"net/netip"
	"time"

	"github.com/chrlab/chrlab/rosemu/script"
)

// The /ip cloud menu (docs/routeros.md), with v7.16 semantics: ddns-enabled is
// yes|no (default no), not the later yes|no|auto. The engine keeps the
// settings; the cloud service (rosemu/service/cloud) talks to the cloud
// stand-in and reports what it learnt through SetCloudStatus, which changes
// runtime state only: public-address, dns-name, status and warning are never
// exported.

// CloudConfig is the /ip cloud configuration the cloud service works with.
type CloudConfig struct {
	// DDNSEnabled makes the router register its address with the cloud.
	DDNSEnabled bool
	// UpdateInterval forces an update this often even when the router's
	// outgoing address did not change; 0 means none.
	UpdateInterval time.Duration
	// UpdateTime is accepted and kept; rosemu never sets its clock from the
	// cloud.
	UpdateTime bool
}

// CloudStatus is what the cloud service reports: the read-only properties
// of /ip cloud. Zero values are not shown.
type CloudStatus struct {
	PublicAddress netip.Addr
	DNSName       string
	// Status is "updating...", "updated" or "Error: ...".
	Status  string
	Warning string
}

// CloudService is told the /ip cloud configuration after every committed
// change and asked for /ip cloud force-update: package rosemu/service/cloud
// implements it. Both are called with the router's lock held, so they must
// return quickly and must not call back into the Router.
type CloudService interface {
	Update(CloudConfig)
	ForceUpdate()
}

// cloudStatusTable holds the one runtime status item; no menu shows it as
// a table, so it is neither printed as items nor exported.
const cloudStatusTable = "ip cloud status"

// minUpdateInterval is the shortest ddns-update-interval RouterOS accepts
// (docs/routeros.md: "none | time >= 60s").
const minUpdateInterval = 60 * time.Second

var cloudMenu = &menu{
	path: "ip cloud", single: true,
	props: []*prop{
		{name: "ddns-enabled", parse: pBool, def: "no", show: true, isBool: true},
		{name: "ddns-update-interval", parse: pUpdateInterval, def: "none", show: true},
		// update-time is accepted for compatibility and has no effect:
		// rosemu keeps the host's clock.
		{name: "update-time", parse: pBool, def: "yes", show: true, isBool: true},
		// Back To Home (7.12): a VPN through MikroTik's relay servers.
		// Off (disabled, or revoked-and-disabled, which verbose exports
		// write) asks for nothing, so only enabled is reported.
		{name: "back-to-home-vpn", parse: pEnum("enabled", "disabled", "revoked-and-disabled"), def: "disabled", show: true,
			major: 7, sinceMinor7: 12, notEnforced: bthReason, inert: bthOff},
		// The relay regions Back To Home prefers (a 7.22.2 export:
		// vpn-prefer-relay-code="EUR1 / USA1"). [verify] the version.
		{name: "vpn-prefer-relay-code", parse: pString, def: "", show: true, major: 7, sinceMinor7: 15, notEnforced: bthReason, inert: bthOff},
	},
	readonly: cloudStatusProps,
	// A script reads the public address before the first update (the
	// forum's method 5 schedulers, DuckDNS updaters): RouterOS gives
	// nothing, which the scripts test with [:len] or [:typeof] [verify].
	maybeAbsent: []string{"public-address", "dns-name", "warning"},
	commands: map[string]menuCommand{
		"force-update": {syntax: &script.Syntax{}, run: cloudForceUpdate},
	},
}

// bthOff: Back To Home is off, so its settings ask for nothing.
func bthOff(p map[string]string) bool { return p["back-to-home-vpn"] != "enabled" }

// bthReason says why Back To Home is stored only.
const bthReason = "the lab has no MikroTik relay server: Back To Home is stored and makes no tunnel"

// cloudMoreMenus are the IP Cloud menus of RouterOS 7 that the lab cannot
// act on: the advanced settings and Back To Home's users.
var (
	cloudAdvancedMenu = &menu{
		path: "ip cloud advanced", single: true,
		notEnforced: "rosemu's IP Cloud publishes the address the cloud server saw: use-local-address is stored",
		props:       []*prop{bProp("use-local-address", "no")},
	}
	// Back To Home's own users came with 7.14 under
	// back-to-home-users ("Since RouterOS 7.14 there is a new back to
	// home specific user manager available in the menu
	// /ip/cloud/back-to-home-users", Back To Home page), which 7.18
	// renamed back-to-home-user (the community.routeros Ansible
	// collection's table of API paths: -users up to 7.17, -user from
	// 7.18). One path for every version accepted the 7.18 menu on 6.x and
	// refused the 7.14-7.17 one on its own version (ver46 D4).
	bthUsersMenu = bthUserMenuAt("ip cloud back-to-home-users", 14, 18)
	bthUserMenu  = bthUserMenuAt("ip cloud back-to-home-user", 18, 0)
)

// bthUserMenuAt is the Back To Home user list at path, from 7.since7 up to
// (not including) 7.before7 when before7 is set.
func bthUserMenuAt(path string, since7, before7 int) *menu {
	return &menu{
		path: path, nameProp: "name", notEnforced: bthReason, since7: since7, before7: before7,
		props: []*prop{
			sProp("name", ""),
			bProp("allow-lan", "no"),
			sProp("public-key", ""),
			sProp("private-key", ""),
			sProp("expires", "never"),
			sProp("comment", ""),
			bProp("disabled", "no"),
			// A user's access to the router's files: a 7.23.1
			// RB4011's export writes "file-access=full
			// file-access-path=/" (realcheck32 D4). [verify] the
			// other values of file-access and the version that
			// brought them; rosemu stores any.
			sProp("file-access", ""),
			sProp("file-access-path", ""),
		},
		// No check of unique names: that export holds three users
		// named "Naprava A54 uporabnika Domen" (the name the app gives
		// each device it pairs), which RouterOS took (realcheck32 D4).
	}
}

func init() { insertMenus("ip cloud", cloudAdvancedMenu, bthUsersMenu, bthUserMenu) }

// pUpdateInterval is none or a time of at least 60 s. [verify] RouterOS's
// wording for a shorter time: rosemu uses RouterOS's range message with the
// limits of a 32-bit count of seconds.
func pUpdateInterval(_ *tx, name, v string) (string, error) {
	if v == "none" {
		return v, nil
	}
	d, ok := script.ParseTime(v)
	if !ok {
		return "", errInvalid(name)
	}
	if d < minUpdateInterval || d > (1<<32-1)*time.Second {
		return "", &Error{Msg: "value of " + name + " out of range (60s..4294967295s)", Category: 1, arg: name}
	}
	return script.FormatTimeCompact(d), nil
}

// cloudStatusProps shows public-address and dns-name only once an update
// succeeded, as RouterOS does, status always and warning when there is one.
func cloudStatusProps(t *tx, _ *item) []Prop {
	var out []Prop
	st := t.m.tables[cloudStatusTable]
	if len(st) == 0 {
		return []Prop{{"status", ""}}
	}
	p := st[0].props
	if p["public-address"] != "" {
		out = append(out, Prop{"public-address", p["public-address"]})
	}
	if p["dns-name"] != "" {
		out = append(out, Prop{"dns-name", p["dns-name"]})
	}
	out = append(out, Prop{"status", p["status"]})
	if p["warning"] != "" {
		out = append(out, Prop{"warning", p["warning"]})
	}
	return out
}

// cloudForceUpdate asks the service for an update now. It changes no
// configuration; without a service (unit tests) it does nothing.
func cloudForceUpdate(t *tx, _ *request) (result, error) {
	if t.r.opts.Cloud != nil {
		t.r.opts.Cloud.ForceUpdate()
	}
	return result{}, nil
}

// cloudConfig builds the snapshot; values were validated when they were set.
func cloudConfig(m *model) CloudConfig {
	c := CloudConfig{UpdateTime: true}
	items := m.tables[cloudMenu.tableName()]
	if len(items) == 0 {
		return c
	}
	p := items[0].props
	c.DDNSEnabled = p["ddns-enabled"] == "yes"
	c.UpdateTime = p["update-time"] != "no"
	if v := p["ddns-update-interval"]; v != "" && v != "none" {
		c.UpdateInterval, _ = script.ParseTime(v)
	}
	return c
}

// Cloud returns the committed /ip cloud configuration.
func (r *Router) Cloud() CloudConfig {
	r.mu.Lock()
	defer r.mu.Unlock()
	return cloudConfig(r.m)
}

// SetCloudStatus records what the cloud service learnt. Status is not
// configuration: it changes the committed model without a transaction and
// without touching the kernel.
func (r *Router) SetCloudStatus(s CloudStatus) {
	props := map[string]string{"status": s.Status}
	if s.PublicAddress.IsValid() {
		props["public-address"] = s.PublicAddress.String()
	}
	if s.DNSName != "" {
		props["dns-name"] = s.DNSName
	}
	if s.Warning != "" {
		props["warning"] = s.Warning
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.m.tables[cloudStatusTable] = []*item{{props: props}}
}
