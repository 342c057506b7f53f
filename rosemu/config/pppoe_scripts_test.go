package config

import "testing"

// A PPPoE client's profile scripts: the default profile's when the client
// names none, its own profile's otherwise.
func TestPPPoEProfileScripts(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/ppp profile set [ find name=default ] on-up=":log info up"
/ppp profile add name=wan-up on-up="/ip firewall address-list add list=wan address=\$\"local-address\"" on-down=":log info down"
/interface pppoe-client add name=pppoe-out1 interface=ether1 user=u password=p
/interface pppoe-client add name=pppoe-out2 interface=ether2 user=u password=p profile=wan-up`)
	if up, down := r.PPPoEProfileScripts("pppoe-out1"); up != ":log info up" || down != "" {
		t.Errorf("default profile: %q %q", up, down)
	}
	if up, down := r.PPPoEProfileScripts("pppoe-out2"); up != `/ip firewall address-list add list=wan address=$"local-address"` || down != ":log info down" {
		t.Errorf("wan-up profile: %q %q", up, down)
	}
	if up, down := r.PPPoEProfileScripts("nothing"); up != "" || down != "" {
		t.Errorf("no client: %q %q", up, down)
	}
}
