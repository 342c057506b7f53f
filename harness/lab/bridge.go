package lab

import "os"

// bridgeNFCallIptables is br_netfilter's switch: when the kernel has
// br_netfilter, frames bridged in a namespace pass that namespace's IP
// firewall unless it is 0 there.
const bridgeNFCallIptables = "/proc/sys/net/bridge/bridge-nf-call-iptables"

// routerBridgeSysctls keeps bridged frames out of rosemu's IP firewall, as
// RouterOS does by default (/interface bridge settings use-ip-firewall=no).
// rosemu cannot set it itself: Docker mounts /proc/sys read-only in the
// container. Where the kernel has no br_netfilter the sysctl does not exist
// (and Docker would refuse it), and bridged frames skip the IP firewall
// anyway.
func routerBridgeSysctls(s map[string]string) {
	if _, err := os.Stat(bridgeNFCallIptables); err == nil {
		s["net.bridge.bridge-nf-call-iptables"] = "0"
	}
}
