package config

import "github.com/chrlab/chrlab/rosemu/script"

// pppActiveMenu is /ppp active: the sessions of the router's PPP servers
// (PPPoE, L2TP, SSTP, OVPN, PPTP). rosemu runs none of those servers
// (/ppp secret is stored, not enforced), so no session is ever active
// and print, find and count-only see none; VPN and PPPoE monitors that
// walk "[/ppp active print as-value where service=pppoe]" or count
// "[/ppp active print count-only]" run and find nothing. Was "bad
// command name active", which refused the whole script. Source: public
// VPN-monitor and metrics scripts that read it; [verify] its columns
// against RouterOS.
//
// remove ends sessions: a script that disconnects every session walks
// "/ppp active remove numbers=$i" or "remove [find]". With no session a
// reference is "no such item", as on RouterOS, and "[find]" removes
// nothing.
var pppActiveMenu = &menu{path: "ppp active", readOnly: true, commands: map[string]menuCommand{
	"remove": {
		syntax: &script.Syntax{Params: map[string]bool{"numbers": true}, Unnamed: 1},
		run: func(t *tx, req *request) (result, error) {
			_, err := t.items(req.menu, req)
			return result{}, err
		},
	},
}}

func init() { insertMenus("ppp aaa", pppActiveMenu) }
