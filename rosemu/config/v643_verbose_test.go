package config

import (
	"context"
	"strings"
	"testing"
	"time"
)

// The settings a 6.43 verbose export writes at their defaults are taken
// (they were refused as bad command names or parameters): /ip ipsec user
// settings, /port firmware, /routing mme, /ip traffic-flow ipfix, the SIP
// helper's sip-direct-media and sip-timeout, the watchdog's
// no-ping-delay, /ppp aaa use-circuit-id-in-nas-port-id, an OSPF
// interface's instance-id and a VRF written with every property unset. RouterOS 7
// refuses the v6-only ones.
func TestV643VerboseSettings(t *testing.T) {
	src := `/ip firewall service-port
set sip disabled=no ports=5060,5061 sip-direct-media=yes sip-timeout=1h
/ip ipsec user settings
set xauth-use-radius=no
/ip route vrf
add !bgp-nexthop comment=Mgmt disabled=no !export-route-targets \
    !import-route-targets interfaces=ether2 !route-distinguisher !routing-mark
/ip traffic-flow ipfix
set bytes=yes dst-address=yes nat-src-port=yes tcp-window-size=yes udp-length=yes
/port firmware
set directory=firmware ignore-directip-modem=no
/routing mme
set bidirectional-timeout=2 gateway-class=none gateway-keepalive=1m \
    gateway-selection=no-gateway origination-interval=5s preferred-gateway=\
    0.0.0.0 timeout=1m ttl=50
/ppp aaa
set accounting=yes interim-update=0s use-circuit-id-in-nas-port-id=no \
    use-radius=no
/routing ospf interface
add authentication=none authentication-key="" authentication-key-id=1 cost=10 \
    dead-interval=40s disabled=no hello-interval=10s instance-id=0 interface=\
    all network-type=broadcast passive=no priority=1 retransmit-interval=5s \
    transmit-delay=1s use-bfd=no
/system watchdog
set auto-send-supout=no automatic-supout=yes no-ping-delay=5m ping-timeout=1m \
    watch-address=none watchdog-timer=yes
`
	v := New(Options{Ports: ports, Version: "6.43.8"}).Validate(context.Background(), src, time.Second)
	for _, f := range findings(v) {
		if strings.Contains(f, "refused") {
			t.Errorf("6.43.8: %s", f)
		}
	}
	r7 := New(Options{Ports: ports, Version: "7.16.2"})
	for _, line := range []string{"/ip ipsec user settings set xauth-use-radius=no", "/routing mme set ttl=50", "/system watchdog set no-ping-delay=5m"} {
		if _, err := r7.Run(context.Background(), line); err == nil {
			t.Errorf("7.16.2 took %q", line)
		}
	}
	run(t, r7, "/port firmware set ignore-directip-modem=no\n/ip firewall service-port set sip sip-timeout=30m")
}

// RouterOS 6's /system upgrade upgrade-package-source (ISP exports: "add
// address=44.34.128.2 user=admin") is stored and exported; 7.17, which
// moved it to /system package local-update, refuses it
// (TestUpgradeMirrorBefore717).
func TestUpgradePackageSourceV6(t *testing.T) {
	r := New(Options{Ports: ports, Version: "6.48.3"})
	run(t, r, "/system upgrade upgrade-package-source\nadd address=192.0.2.2 user=admin")
	if exp := r.Export(); !strings.Contains(exp, "/system upgrade upgrade-package-source\nadd address=192.0.2.2 user=admin") {
		t.Errorf("export:\n%s", exp)
	}
	if _, err := New(Options{Ports: ports, Version: "7.17"}).Run(context.Background(), "/system upgrade upgrade-package-source add address=192.0.2.2"); err == nil {
		t.Error("7.17 took it")
	}
}
