package export

import "testing"

// A line whose value reads /system routerboard is set aside as hardware: a
// CHR has no such menu, and the line fails there (realcheck17 D10). The
// control: the same identity line with a plain name stays.
func TestReadsRouterboardSetAside(t *testing.T) {
	src := "# by RouterOS 7.20.5\n/system identity set name=[/system routerboard get serial-number]\n/ip address add address=192.168.88.1/24 interface=ether2\n"
	out, aside := LabReady("t.rsc", []byte(src))
	if len(aside) != 1 || aside[0].Line != 2 || string(out) == src {
		t.Errorf("aside %+v, out:\n%s", aside, out)
	}
	plain := "# by RouterOS 7.20.5\n/system identity set name=gw1\n"
	if out, aside := LabReady("t.rsc", []byte(plain)); len(aside) != 0 || string(out) != plain {
		t.Errorf("control: aside %+v, out:\n%s", aside, out)
	}
}
