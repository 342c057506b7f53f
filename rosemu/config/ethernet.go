package config

// ethernetStatus is what /interface ethernet prints besides its settings;
// the MAC only where the daemon knows it (config.Options.MACs).
func ethernetStatus(it *item) []Prop {
	ps := []Prop{{"mtu", "1500"}}
	if mac := it.props["mac-address"]; mac != "" {
		ps = append(ps, Prop{"mac-address", mac})
	}
	return append(ps, Prop{"running", "true"})
}
