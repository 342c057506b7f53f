package config

import (
	"regexp"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/script"
	_ "time/tzdata" // /system clock time-zone-name is checked against the IANA names on any host
)

// The /system settings menus a lab does not exercise: stored with
// RouterOS's property names, defaults and value checks, printed and
// exported, and reported as not enforced.

// pTimeZone is "manual" or an IANA zone name RouterOS knows.
func pTimeZone(_ *tx, name, v string) (string, error) {
	if v == "manual" {
		return v, nil
	}
	if v == "" || strings.HasPrefix(v, "/") || strings.Contains(v, "..") {
		return "", errNoMatch(name)
	}
	if _, err := time.LoadLocation(v); err != nil || v == "Local" {
		return "", errNoMatch(name)
	}
	return v, nil
}

// pHosts is a comma list of addresses or DNS names (v7 /system ntp client
// servers=).
func pHosts(t *tx, name, v string) (string, error) {
	if v == "" {
		return "", nil
	}
	var out []string
	for _, h := range strings.Split(v, ",") {
		c, err := pHost(t, name, h)
		if err != nil {
			return "", err
		}
		out = append(out, c)
	}
	return strings.Join(out, ","), nil
}

// logTopic is one word of /system logging topics, "!" negating it.
var logTopic = regexp.MustCompile(`^!?[a-z0-9][a-z0-9-]*$`)

// pTopics is a comma list of logging topics (info,!debug).
func pTopics(_ *tx, name, v string) (string, error) {
	for _, w := range strings.Split(v, ",") {
		if !logTopic.MatchString(w) {
			return "", errInvalid(name)
		}
	}
	return v, nil
}

// pLogAction names an existing /system logging action.
func pLogAction(t *tx, name, v string) (string, error) {
	if t.findByName("system logging action", v) == nil {
		return "", errNoMatch(name)
	}
	return v, nil
}

// pIP4OrZero is an IPv4 address (0.0.0.0 for none).
var pIP4OrZero = pIP

const (
	clockDSTReason = "rosemu keeps the manual zone's offset all year: its daylight-saving rule is stored"
	ntpReason      = "the lab has no time servers and rosemu keeps the host's clock"
	ntpSrvReason   = "rosemu runs no NTP server"
	watchReason    = "rosemu never reboots itself"
	updateReason   = "the lab has no internet: rosemu checks and downloads no packages"
	certReason     = "no service of rosemu uses a certificate (scripts read and make them)"
	// certStoreReason is /certificate's: the SSTP server serves the
	// entry it names; nothing checks trust, revocation or expiry.
	certStoreReason = "only rosemu's SSTP and OpenVPN servers and clients use certificates (the one a server or client names, the trusted ones as a client's roots); rosemu checks no revocation, and the other TLS services serve their own"
)

// clockDate is /system clock's date as the router's version writes it:
// mmm/DD/YYYY ("dec/02/2026") before 7.10, YYYY-MM-DD from 7.10, as the
// date of every export's first line shows (public 7.9.2 exports begin
// "# jun/07/2023 23:47:16 by RouterOS 7.9.2", 7.10.1 ones "# 2023-07-08
// 19:33:27 by RouterOS 7.10.1"; the wiki's Manual:System/Time: "date
// (mmm/DD/YYYY ...)"). v6 backup scripts pick the month with [:pick $date
// 0 3] and the year with [:pick $date 7 11]. [verify] that get date
// follows the export header's format in every 7.10+ release.
// pUpdateChannel is /system package update's channel. RouterOS 6.3x
// named them bugfix, current and release-candidate (a 6.34.6 export sets
// "channel=bugfix"); the 6.40.9 stand-in for exports older than 6.41
// takes those too. [verify] the release that renamed them.
func pUpdateChannel(t *tx, name, v string) (string, error) {
	switch v {
	case "stable", "long-term", "testing", "development", "upgrade":
		return v, nil
	case "bugfix", "current", "release-candidate":
		if t != nil && t.v6() && !versionAtLeast(t.r.opts.Version, 6, 41) {
			return v, nil
		}
	}
	return "", errInvalid(name)
}

// clockReason says why /system clock set date= time= is not enforced.
const clockReason = "rosemu keeps the machine's clock (a lab router's time is the host's): the date and time are checked, not set"

// clockSet is /system clock set. date= and time= set the router's clock
// (System/Time page of the manual), which is no setting: RouterOS does
// not export them. rosemu's clock is the machine's, so they are checked
// (RouterOS 6's "apr/24/2023" or 7's "2023-04-24"; "12:00:00") and
// reported as not enforced; the rest is an ordinary set.
func clockSet(t *tx, req *request) (result, error) {
	var rest []namedArg
	for _, a := range req.args {
		switch a.name {
		case "date":
			if _, err := parseClockDate(a.value); err != nil {
				return result{}, errInvalid("date")
			}
		case "time":
			if _, err := time.Parse("15:04:05", a.value); err != nil {
				return result{}, errInvalid("time")
			}
		default:
			rest = append(rest, a)
			continue
		}
		t.r.sys.scriptGap = a.name + ": " + clockReason
	}
	req.args = rest
	if len(rest) == 0 {
		return result{}, nil
	}
	return t.set(menuByPath("system clock"), req)
}

// parseClockDate reads a date as RouterOS 6 ("apr/24/2023") or 7.10+
// ("2023-04-24") writes it.
func parseClockDate(v string) (time.Time, error) {
	if d, err := time.Parse("2006-01-02", v); err == nil {
		return d, nil
	}
	if len(v) > 0 {
		v = strings.ToUpper(v[:1]) + v[1:]
	}
	return time.Parse("Jan/02/2006", v)
}

func clockDate(t *tx) string {
	d := t.localNow()
	if !versionAtLeast(t.r.opts.Version, 7, 10) {
		return strings.ToLower(d.Format("Jan")) + d.Format("/02/2006")
	}
	return d.Format("2006-01-02")
}

var (
	clockMenu = &menu{
		path: "system clock", single: true,
		props: []*prop{
			withParse("time-zone-name", "manual", pTimeZone),
			// Autodetection asks MikroTik's cloud where the router's
			// public address is; a lab has no internet, so a router
			// there keeps time-zone-name, as rosemu does.
			bProp("time-zone-autodetect", "yes"),
		},
		readonly: func(t *tx, _ *item) []Prop {
			now := t.localNow()
			return []Prop{{"time", now.Format("15:04:05")}, {"date", clockDate(t)}, {"gmt-offset", gmtOffset(now)}, {"dst-active", boolAPI(now.IsDST())}}
		},
		commands: map[string]menuCommand{
			"set": {syntax: &script.Syntax{Params: map[string]bool{"time-zone-name": true, "time-zone-autodetect": true, "date": true, "time": true}},
				run: clockSet},
		},
	}
	ntpClientMenu = &menu{
		path: "system ntp client", single: true, notEnforced: ntpReason,
		props: []*prop{
			bProp("enabled", "no"),
			// RouterOS 6's client has the same modes (a 6.47.8 export:
			// "/system ntp client set enabled=yes mode=broadcast").
			eProp("mode", "unicast", "unicast", "broadcast", "multicast", "manycast"),
			onlyV7(withParse("servers", "", pHosts)),
			onlyV7(sProp("vrf", "main")),
			onlyV6(withParse("primary-ntp", "0.0.0.0", pIP4OrZero)),
			onlyV6(withParse("secondary-ntp", "0.0.0.0", pIP4OrZero)),
			onlyV6(withParse("server-dns-names", "", pHosts)),
		},
	}
	ntpClientServersMenu = &menu{
		path: "system ntp client servers", notEnforced: ntpReason,
		props: []*prop{
			{name: "address", parse: pNTPHost, required: true},
			sProp("auth-key", "none"),
			bProp("iburst", "yes"),
			iProp("max-poll", "10", 3, 17),
			iProp("min-poll", "6", 3, 17),
			comment, disabled,
		},
		columns: []string{"address", "iburst", "auth-key"},
	}
	ntpServerMenu = &menu{
		path: "system ntp server", single: true, notEnforced: ntpSrvReason,
		props: []*prop{
			bProp("enabled", "no"),
			bProp("broadcast", "no"),
			bProp("multicast", "no"),
			bProp("manycast", "no"),
			withParse("broadcast-addresses", "", pAddrList4),
			onlyV7(sProp("vrf", "main")),
			onlyV7(bProp("use-local-clock", "no")),
			onlyV7(iProp("local-clock-stratum", "5", 1, 15)),
			onlyV7(sProp("auth-key", "none")),
		},
	}
	noteMenu = &menu{
		path: "system note", single: true,
		props: []*prop{
			sProp("note", ""),
			bProp("show-at-login", "yes"),
			onlyV7(bProp("show-at-cli-login", "no")),
		},
	}
	loggingActionMenu = &menu{
		path: "system logging action", nameProp: "name",
		props: []*prop{
			{name: "name", parse: pChain, required: true},
			{name: "target", parse: pEnum("memory", "disk", "echo", "remote", "email"), required: true, show: true},
			// RouterOS 7 is held to 65535 as before, but a 6.49.6 CHR
			// export writes "add memory-lines=100000
			// name=IpsecOnScreenLog target=memory": RouterOS 6 took more.
			// No bound for 6 is documented; [verify] it is 4294967295 (a
			// 32-bit count) as taken here.
			onlyV7(iProp("memory-lines", "1000", 1, 65535)),
			onlyV6(iProp("memory-lines", "1000", 1, 1<<32-1)),
			bProp("memory-stop-on-full", "no"),
			sProp("disk-file-name", "log"),
			iProp("disk-lines-per-file", "1000", 1, 65535),
			iProp("disk-file-count", "2", 1, 65535),
			bProp("disk-stop-on-full", "no"),
			withParse("remote", "0.0.0.0", pHost),
			withParse("remote-port", "514", pPortNum),
			withParse("src-address", "0.0.0.0", pIP),
			bProp("bsd-syslog", "no"),
			eProp("syslog-facility", "daemon", "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"),
			eProp("syslog-severity", "auto", "auto", "emergency", "alert", "critical", "error", "warning", "notice", "info", "debug"),
			eProp("syslog-time-format", "bsd-syslog", "bsd-syslog", "iso8601"),
			bProp("remember", "yes"),
			sProp("email-to", ""),
			bProp("email-start-tls", "no"),
			onlyV7(eProp("remote-log-format", "default", "default", "cef", "syslog")),
			onlyV7(eProp("remote-protocol", "udp", "udp", "tcp", "tls")),
			// CEF output: the delimiter between the events of one batch
			// (exports write cef-event-delimiter="\n" or ""), TLS's
			// certificate check.
			onlyV7(sProp("cef-event-delimiter", "\r\n")),
			onlyV7(bProp("check-certificate", "no")),
			onlyV7(sProp("vrf", "main")),
			comment,
		},
		defaults: []map[string]string{
			{"name": "memory", "target": "memory"},
			{"name": "disk", "target": "disk"},
			{"name": "echo", "target": "echo"},
			{"name": "remote", "target": "remote"},
		},
		check:    checkUniqueName("system logging action", "action with such name already exists"),
		readonly: defaultFlag,
		columns:  []string{"name", "target", "remote"},
	}
	loggingMenu = &menu{
		path: "system logging",
		props: []*prop{
			{name: "topics", parse: pTopics, def: "info", show: true},
			{name: "action", parse: pLogAction, def: "memory", show: true},
			sProp("prefix", ""),
			onlyV7(sProp("regex", "")),
			comment, disabled,
		},
		defaults: []map[string]string{
			{"topics": "info"},
			{"topics": "error"},
			{"topics": "warning"},
			{"topics": "critical"},
		},
		readonly: defaultFlag,
		columns:  []string{"topics", "action", "prefix"},
	}
	watchdogMenu = &menu{
		path: "system watchdog", single: true, notEnforced: watchReason,
		props: []*prop{
			bProp("watchdog-timer", "yes"),
			withParse("watch-address", "none", pIPOrNone),
			withParse("ping-start-after-boot", "5m", pTime),
			// RouterOS 6.43's name for it (a 6.43 verbose export).
			onlyV6(withParse("no-ping-delay", "5m", pTime)),
			withParse("ping-timeout", "1m", pTime),
			bProp("automatic-supout", "yes"),
			bProp("auto-send-supout", "no"),
			sProp("send-email-from", ""),
			sProp("send-email-to", ""),
			withParse("send-smtp-server", "0.0.0.0", pIP),
		},
	}
	packageUpdateMenu = &menu{
		path: "system package update", single: true, notEnforced: updateReason,
		props: []*prop{
			withParse("channel", "stable", pUpdateChannel),
		},
		readonly: func(t *tx, _ *item) []Prop {
			return []Prop{{"installed-version", t.r.opts.Version}}
		},
		commands: packageUpdateCommands,
	}
	certSettingsMenu = &menu{
		path: "certificate settings", single: true, notEnforced: certReason,
		props: []*prop{
			onlyV7(eProp("crl-use", "no", "yes", "no")),
			onlyV7(bProp("crl-download", "no")),
			onlyV7(eProp("crl-store", "ram", "ram", "system")),
			onlyV6(bProp("crl-use", "no")),
			onlyV6(bProp("crl-download", "no")),
			onlyV6(eProp("crl-store", "ram", "ram", "system")),
			onlyV7(eProp("builtin-trust-anchors", "not-trusted", "trusted", "not-trusted")),
		},
	}
)

// defaultFlag is the read-only "default" property of menus with default
// items, so that [ find default=yes ] finds them.
func defaultFlag(_ *tx, it *item) []Prop {
	return []Prop{{"default", boolAPI(it.builtin)}}
}

// v6DefaultFlag is defaultFlag in menus whose default items RouterOS 6
// alone makes (OSPF's default instance and backbone area, BGP's default
// instance): 7 makes none ("there are no default instances and areas",
// the Moving from ROSv6 to v7 page), so it has no default property there
// and a v6 "[ find default=yes ]" is refused (ver46 D10) [verify] on a
// CHR.
func v6DefaultFlag(t *tx, it *item) []Prop {
	if t.v6() {
		return defaultFlag(t, it)
	}
	return nil
}

// pIPOrNone is an IPv4 address or "none".
func pIPOrNone(t *tx, name, v string) (string, error) {
	if v == "none" {
		return v, nil
	}
	return pIP(t, name, v)
}

// clockManualMenu is /system clock manual: the offset and daylight-saving
// rule used while time-zone-name=manual (Clock page of the manual).
var clockManualMenu = &menu{
	path: "system clock manual", single: true,
	props: []*prop{
		withParse("time-zone", "+00:00", pOffset),
		notEnforcedProp(withParse("dst-delta", "+00:00", pOffset), clockDSTReason),
		inertAt(notEnforcedProp(sProp("dst-start", "jan/01/1970 00:00:00"), clockDSTReason), "1970-01-01 00:00:00"),
		inertAt(notEnforcedProp(sProp("dst-end", "jan/01/1970 00:00:00"), clockDSTReason), "1970-01-01 00:00:00"),
	},
}

// inertAt makes a not-enforced property inert at value too: its default
// in another spelling (RouterOS 7 writes the epoch of dst-start and dst-end
// as "1970-01-01 00:00:00", 6 as "jan/01/1970 00:00:00").
func inertAt(p *prop, value string) *prop {
	p.inert = func(props map[string]string) bool { return props[p.name] == value }
	return p
}

func init() {
	insertMenus("system clock", clockManualMenu)
}

// pNTPHost is an NTP server's address: an IP address or a name, which
// RouterOS 7 keeps as written and resolves when it asks (NTP page of the
// manual, https://help.mikrotik.com/docs/display/ROS/NTP: address is an
// IPv4/IPv6 address or a DNS name). A 7.18.2 export carries
// "add address=.north-america.pool.ntp.org", a name with an empty first
// label that pHost's DNS-name rule refuses: any word without blanks,
// commas or slashes is taken.
func pNTPHost(t *tx, name, v string) (string, error) {
	if h, err := pHost(t, name, v); err == nil {
		return h, nil
	}
	if v == "" || strings.ContainsAny(v, " \t\r\n,/") {
		return "", errInvalid(name)
	}
	return v, nil
}

// packageUpdateCommands are /system package update's check-for-updates,
// download and install (update checkers run "check-for-updates once", then
// read status and latest-version; auto-upgrade scripts go on to install).
// Each would reach MikroTik's upgrade server, which a lab router must not:
// they fail, saying that nothing was sent, as /tool fetch does, so a
// script's on-error handles it and one without stops there. They were
// "bad command name check-for-updates", which made such a script fail to
// compile. Source: Packages page of the manual,
// https://help.mikrotik.com/docs/display/ROS/Packages, and public update
// scripts (an auto-update gist, eworm's check-routeros-update). [verify]
// RouterOS's own words when the server cannot be reached.
var packageUpdateCommands = map[string]menuCommand{
	"check-for-updates": {
		syntax: &script.Syntax{Params: map[string]bool{"duration": true, "interval": true}, Flags: map[string]bool{"once": true, "as-value": true, "without-paging": true}},
		run: func(t *tx, req *request) (result, error) {
			return result{}, errFailure("", "rosemu does not check for updates: nothing is sent to an upgrade server from a lab router")
		},
	},
	// download and install take without-paging as check-for-updates
	// does: eworm's check-routeros-update (for 7.21) writes
	// "/system/package/update/install without-paging;", and RouterOS
	// compiles a whole script first, so the script would not run at all
	// if the router refused it. [verify] the first 7.x that takes it.
	"download": {
		syntax: &script.Syntax{Flags: map[string]bool{"without-paging": true}},
		run: func(t *tx, req *request) (result, error) {
			return result{}, errFailure("", "rosemu does not download RouterOS: nothing is sent to an upgrade server from a lab router")
		},
	},
	"install": {
		syntax: &script.Syntax{Flags: map[string]bool{"ignore-missing": true, "without-paging": true}},
		run: func(t *tx, req *request) (result, error) {
			return result{}, errFailure("", "rosemu does not install RouterOS: nothing is sent to an upgrade server from a lab router")
		},
	},
}
