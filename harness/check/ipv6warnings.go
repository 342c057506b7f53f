package check

// The IPv6 faults the export's own rules make certain were notes, and
// the verdict under them read "no problem found", exit 0 (forum55 N3: an
// input drop of the DHCPv6 answers leaves the LAN without IPv6; a pinhole
// below the drop of new connections is never reached). The check probes
// IPv4 only, so no probe, offline or in the lab, can confirm or clear
// them: they are warnings in both, each with its line and its fix, as the
// export's other faults no probe shows (ExportWarnings). What stays a
// note is a question of intent (an accept that opens a router service
// to every source, the list of the user's IPv6 openings) or of the
// check's reach (the forwards closed over IPv6 behind carrier-grade NAT,
// which the verdict already calls unreachable over IPv4).

// warnIPv6 records an IPv6 fault the rules make certain: a warning.
func (p *Plan) warnIPv6(text string) {
	p.v6Faults = append(p.v6Faults, text)
}
