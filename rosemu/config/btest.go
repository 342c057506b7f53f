package config

import "github.com/chrlab/chrlab/rosemu/script"

// btestClientSyntax is /tool bandwidth-test's: the address unnamed or
// named, and the client's settings (Bandwidth Test page of the manual,
// https://help.mikrotik.com/docs/display/ROS/Bandwidth+Test; [verify] the
// full list on a CHR). realcheck24 D2: scripts of real 6.4x exports that
// run it were stored as invalid, "bad command name bandwidth-test".
var btestClientSyntax = &script.Syntax{
	Params: map[string]bool{
		"address": true, "user": true, "password": true, "protocol": true, "direction": true,
		"duration": true, "interval": true, "local-tx-speed": true, "remote-tx-speed": true,
		"local-udp-tx-size": true, "remote-udp-tx-size": true, "connection-count": true,
		"random-data": true, "do": true,
	},
	Flags:   map[string]bool{"as-value": true, "once": true},
	Unnamed: 1,
}

// btestClient is /tool bandwidth-test: RouterOS measures the throughput
// to another MikroTik's bandwidth server. rosemu has no btest client (the
// lab's hosts run no MikroTik bandwidth server either: lab throughput is
// measured with iperf3 probes), so the command is accepted, measures
// nothing and is reported not enforced.
func (t *tx) btestClient(_ *request) (result, error) {
	t.r.sys.scriptGap = "bandwidth-test: " + btestClientReason
	return result{}, nil
}

// btestClientReason says what rosemu does with /tool bandwidth-test.
const btestClientReason = "rosemu has no bandwidth-test client (and the lab no MikroTik bandwidth server): nothing is measured"
