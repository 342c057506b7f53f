package config

// pppActiveMenu is /ppp active: the sessions of the router's PPP servers
// (PPPoE, L2TP, SSTP, OVPN, PPTP). rosemu runs none of those servers
// (/ppp secret is stored, not enforced), so no session is ever active
// and print, find and count-only see none; VPN and PPPoE monitors that
// walk "[/ppp active print as-value where service=pppoe]" or count
// "[/ppp active print count-only]" run and find nothing. Was "bad
// command name active", which refused the whole script. Source: public
// VPN-monitor and metrics scripts that read it; [verify] its columns
// against RouterOS.
var pppActiveMenu = &menu{path: "ppp active", readOnly: true}

func init() { insertMenus("ppp aaa", pppActiveMenu) }
