package config

import (
	"net/netip"
	"strings"
	"testing"
)

// TestUPnPNotEnforced: UPnP runs (rosemu/service/upnp), so the menu is no
// longer reported as a whole; what the gateway does not do is, while UPnP
// is on. Control: UPnP off reports nothing.
func TestUPnPNotEnforced(t *testing.T) {
	src := "/ip upnp set enabled=yes allow-disable-external-interface=yes\n/ip upnp interfaces add interface=ether1 type=external\n/ip upnp interfaces add interface=ether2 type=internal\n"
	got := func(src string) string {
		r := New(Options{Ports: ports})
		run(t, r, src)
		var s []string
		for _, n := range r.NotEnforced() {
			if strings.Contains(n.Path, "upnp") {
				s = append(s, n.Path+" "+n.Property)
			}
		}
		return strings.Join(s, ",")
	}
	if g := got(src); g != "/ip upnp allow-disable-external-interface,/ip upnp show-dummy-rule" {
		t.Errorf("UPnP on: %q", g)
	}
	if g := got(strings.Replace(src, "enabled=yes", "enabled=no", 1)); g != "" {
		t.Errorf("UPnP off: %q", g)
	}
}

// TestUPnPMapping: a mapping is a dynamic dst-nat rule on the external
// interface's address (forced-ip when set), refused while UPnP is off.
func TestUPnPMapping(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, "/ip address add address=198.51.100.7/24 interface=ether1\n/ip address add address=192.168.88.1/24 interface=ether2\n/ip upnp interfaces add interface=ether1 type=external\n/ip upnp interfaces add interface=ether2 type=internal")
	m := UPnPMapping{Protocol: "tcp", ExternalPort: 8080, InternalPort: 80, InternalClient: netip.MustParseAddr("192.168.88.10"), Description: "web"}
	if err := r.AddUPnPMapping(m); err == nil {
		t.Fatal("mapping added with UPnP off")
	}
	run(t, r, "/ip upnp set enabled=yes")
	if c := r.UPnP(); !c.Enabled || c.ExternalIP.String() != "198.51.100.7" || c.External != "ether1" || len(c.Internal) != 1 {
		t.Fatalf("UPnP %+v", c)
	}
	if err := r.AddUPnPMapping(m); err != nil {
		t.Fatal(err)
	}
	out, _ := r.Run(t.Context(), "/ip firewall nat print")
	if !strings.Contains(out, "D  ;;; upnp 192.168.88.10: web") || !strings.Contains(out, "chain=dstnat action=dst-nat dst-address=198.51.100.7 protocol=tcp dst-port=8080 in-interface=ether1 to-addresses=192.168.88.10 to-ports=80") {
		t.Errorf("nat:\n%s", out)
	}
	run(t, r, "/ip upnp interfaces set [find type=external] forced-ip=198.51.100.9")
	if c := r.UPnP(); c.ExternalIP.String() != "198.51.100.9" {
		t.Errorf("forced-ip: %v", c.ExternalIP)
	}
	if err := r.ClearUPnPMappings(); err != nil || len(r.UPnPMappings()) != 0 {
		t.Errorf("clear: %v %v", err, r.UPnPMappings())
	}
}
