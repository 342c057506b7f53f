package check

// silentExample is the example of an ISP gone silent behind a live link
// for the main WAN iface, by what the lab's stand-in stands for: the
// ethernet modem's words read oddly when the main WAN is an LTE modem
// (f63), whose interface stays up while the mobile network passes
// nothing [verify].
func (p *Plan) silentExample(iface string) string {
	for _, s := range p.standIns {
		if s.Name == iface && s.Kind == "lte" {
			return "an LTE link that stays up while the mobile network passes nothing"
		}
	}
	return "a modem that keeps its Ethernet up"
}
