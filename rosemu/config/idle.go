package config

// Services whose configuration asks for nothing while RouterOS itself keeps
// them off (menu.idle). Verbose exports write every such menu at its values,
// enabled=no included; reporting those lines as "not enforced" told users
// that rosemu leaves out something RouterOS would not do either.

// settingsOf is the one item of a settings menu, nil before anything set it.
func settingsOf(m *model, table string) map[string]string {
	if items := m.tables[table]; len(items) > 0 {
		return items[0].props
	}
	return nil
}

// smbIdle: the SMB server is off with enabled=no, and with enabled=auto
// while no share is enabled. RouterOS 7's verbose exports write
// enabled=auto beside the built-in share "pub" at disabled=yes. That auto
// serves only while some share is enabled is our reading of the name
// [verify] on a CHR.
func smbIdle(m *model) bool {
	switch effective(smbMenu, settingsOf(m, "ip smb"), "enabled") {
	case "no":
		return true
	case "auto":
		for _, it := range m.tables["ip smb shares"] {
			if !it.disabled() {
				return false
			}
		}
		return true
	}
	return false
}

// flowIdle: traffic-flow sends nothing, targets and IPFIX fields included,
// until enabled=yes.
func flowIdle(m *model) bool {
	return effective(trafficFlowMenu, settingsOf(m, "ip traffic-flow"), "enabled") != "yes"
}

// startedOnly: the traffic generator's settings act only while a start
// command runs it; rosemu has no such command, so the settings are all
// there is and they do nothing, as on RouterOS.
func startedOnly(*model) bool { return true }

// snifferIdle: the sniffer captures only once started, as the traffic
// generator; but a configuration that streams its capture to a server
// (streaming-enabled=yes) tells of a sniffer that someone keeps running,
// so that one is reported.
func snifferIdle(m *model) bool {
	return effective(snifferMenu, settingsOf(m, "tool sniffer"), "streaming-enabled") != "yes"
}

// hotspotIdle: a hotspot's profiles, users, bindings and walled garden do
// nothing until a hotspot server runs. RouterBOARDs with flash write the
// default profile's html-directory=flash/hotspot into every export, and a
// walled garden kept from an old hotspot came to hundreds of reports,
// though no hotspot ran.
func hotspotIdle(m *model) bool {
	for _, h := range m.tables["ip hotspot"] {
		if !h.disabled() {
			return false
		}
	}
	return true
}

// offWhen: the service of menu mn does nothing while its prop is off, the
// value a verbose export writes for a service switched off: the bandwidth
// server's and MAC ping's enabled=no, the MAC server's and neighbour
// discovery's interface list none.
func offWhen(mn *menu, prop, off string) func(*model) bool {
	return func(m *model) bool { return effective(mn, settingsOf(m, mn.path), prop) == off }
}

func init() {
	btestMenu.idle = offWhen(btestMenu, "enabled", "no")
	macPingMenu.idle = offWhen(macPingMenu, "enabled", "no")
	macServerMenu.idle = offWhen(macServerMenu, "allowed-interface-list", "none")
	macWinboxMenu.idle = offWhen(macWinboxMenu, "allowed-interface-list", "none")
	neighborMenu.idle = offWhen(neighborMenu, "discover-interface-list", "none")
	// The server menu too: a server kept disabled (address-pool and
	// all, from an old setup) serves no one, as none at all.
	for _, m := range []*menu{hotspotMenu, hotspotProfileMenu, hotspotUserProfileMenu, hotspotUserMenu, hotspotBindingMenu,
		hotspotGardenMenu, hotspotGardenIPMenu, hotspotServicePortMenu} {
		m.idle = hotspotIdle
	}
	for _, m := range []*menu{smbMenu, smbSharesMenu, smbUsersMenu} {
		m.idle = smbIdle
	}
	for _, m := range []*menu{trafficFlowMenu, trafficFlowTargetMenu, ipfixMenu} {
		m.idle = flowIdle
	}
	snifferMenu.idle = snifferIdle
	trafficGeneratorMenu.idle = startedOnly
}
