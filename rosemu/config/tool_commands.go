package config

import (
	"context"
	"strings"

	"github.com/chrlab/chrlab/rosemu/script"
)

// The two commands real event scripts use to tell someone that something
// happened: a netwatch down-script or a lease script that changes a route
// or an address list and then sends a notice. rosemu has them so that
// such a script runs (a command rosemu lacked made the whole script fail
// to compile, so none of it ran) and reaches the notice as RouterOS does.

// fetchParams are /tool fetch's parameters (the Fetch page of the manual,
// https://help.mikrotik.com/docs/display/ROS/Fetch).
var fetchParams = map[string]bool{
	"url": true, "mode": true, "address": true, "host": true, "port": true, "src-path": true, "dst-path": true,
	"user": true, "password": true, "http-method": true, "http-data": true, "http-header-field": true,
	"http-content-encoding": true, "http-auth-scheme": true, "http-max-redirect-count": true,
	"keep-result": true, "check-certificate": true, "output": true, "upload": true, "src-address": true,
	"idle-timeout": true, "duration": true, "ascii": true, "certificate": true, "vrf": true,
}

// toolMenu holds /tool fetch (fetch.go: HTTP and HTTPS from the router's
// namespace; FTP and uploads fail, as a fetch whose server cannot be
// reached, so a script's ":do { ... } on-error=" handles it and a script
// without one stops there, keeping what it did before).
var toolMenu = &menu{
	path: "tool", readOnly: true,
	commands: map[string]menuCommand{
		// The url may be the unnamed value (eworm-de/routeros-scripts
		// writes "/tool/fetch check-certificate=yes-without-crl ...
		// $Url as-value" throughout).
		"fetch": {syntax: &script.Syntax{Params: fetchParams, Flags: map[string]bool{"as-value": true}, Unnamed: 1},
			// The verbs' dispatch runs it with the command's context
			// (fetch.go); this is what the menu's syntax is registered by.
			run: func(t *tx, req *request) (result, error) { return t.fetch(context.Background(), req) }},
		// /tool wol mac= [interface=] wakes a host with a magic packet
		// (Wake on LAN page of the manual: "Sub-menu: /tool wol",
		// interface and mac). rosemu checks the command and sends no
		// packet, and says so in the log, as e-mail send does; validate
		// reports the line as not enforced. A FoxDenHome 7.18 export's
		// scheduler runs "/tool/wol mac=... interface=vlan-labnet".
		"wol": {syntax: &script.Syntax{Params: map[string]bool{"mac": true, "interface": true}},
			run: func(t *tx, req *request) (result, error) {
				mac, ok := argValue(req.args, "mac")
				if !ok {
					return result{}, &Error{Msg: "missing value for argument mac", Category: 1, arg: "mac"}
				}
				if _, err := pMAC(t, "mac", mac); err != nil {
					return result{}, err
				}
				if ifc, ok := argValue(req.args, "interface"); ok && !t.ifaceExists(ifc) {
					return result{}, errNoMatch("interface")
				}
				t.r.sys.scriptGap = "/tool wol: " + wolReason
				t.r.appendLog(script.LogEntry{Time: t.now, Topics: "system,warning", Msg: "wake-on-lan to " + strings.ToUpper(mac) + " not sent: " + wolReason})
				return result{}, nil
			}},
	},
}

// wolReason says why /tool wol sends nothing.
const wolReason = "rosemu sends no Wake-on-LAN packet"

// emailSendParams are /tool e-mail send's parameters (the E-mail page of
// the manual, https://help.mikrotik.com/docs/x/BYB6AQ).
var emailSendParams = map[string]bool{
	"to": true, "cc": true, "subject": true, "body": true, "file": true, "from": true, "server": true,
	"address": true, "port": true, "tls": true, "start-tls": true, "user": true, "password": true, "vrf": true,
}

func init() {
	insertMenus("system script", toolMenu)
	// send queues the message and returns, as RouterOS's does (its
	// outcome shows later in last-status and the log); rosemu sends none
	// and logs that it did not.
	emailMenu.commands = map[string]menuCommand{
		"send": {syntax: &script.Syntax{Params: emailSendParams},
			run: func(t *tx, req *request) (result, error) {
				to, _ := argValue(req.args, "to")
				subject, _ := argValue(req.args, "subject")
				t.r.appendLog(script.LogEntry{Time: t.now, Topics: "e-mail,warning", Msg: "e-mail to " + to + " (" + subject + ") not sent: " + emailReason})
				t.r.sys.emailStatus = "failed"
				return result{}, nil
			}},
	}
	// last-status says how the last send ended: backup mailers poll it
	// after a send ("[/tool e-mail get last-status] = "succeeded"")
	// before they remove the file they mailed, and log it when the send
	// failed. RouterOS's words are in-progress, resolving-dns, succeeded
	// and failed (public mailers test them); a lab router's send ends
	// failed, as nothing is sent. [verify] the value before any send
	// (rosemu: empty).
	emailMenu.readonly = func(t *tx, _ *item) []Prop {
		return []Prop{{"last-status", t.r.sys.emailStatus}}
	}
}

// systemBackupMenu holds /system backup save, which backup scripts run
// before they mail or upload the file. rosemu keeps no binary backup: save
// creates no file and logs that it did not, so the script goes on to its
// notice as on RouterOS [verify]; a later /file get of the backup fails
// (no such item). Source: Backup page of the manual,
// https://help.mikrotik.com/docs/display/ROS/Backup
var systemBackupMenu = &menu{
	path: "system backup", readOnly: true,
	commands: map[string]menuCommand{
		"save": {syntax: &script.Syntax{Params: map[string]bool{"name": true, "password": true, "encryption": true, "dont-encrypt": true}, Flags: map[string]bool{"dont-encrypt": true}},
			run: func(t *tx, req *request) (result, error) {
				name, _ := argValue(req.args, "name")
				t.r.appendLog(script.LogEntry{Time: t.now, Topics: "system,warning", Msg: "backup " + name + " not saved: rosemu keeps no binary backup"})
				return result{}, nil
			}},
	},
}

func init() { insertMenus("system script", systemBackupMenu) }
