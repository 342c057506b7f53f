package config

import (
	"context"
	"strings"
	"testing"
)

// TestDHCPClientName: a 7.23 export names its DHCP client (name=ether1);
// it is stored and exported; 7.16 refuses the parameter.
func TestDHCPClientName(t *testing.T) {
	r := runShape(t, "7.23.2", []string{"ether1"}, "/ip dhcp-client\nadd interface=ether1 name=wan-client\n")
	if !strings.Contains(body(r.Export()), "add interface=ether1 name=wan-client") {
		t.Errorf("export:\n%s", r.Export())
	}
	old := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
	if _, err := old.Run(context.Background(), "/ip dhcp-client add interface=ether1 name=x"); err == nil {
		t.Errorf("7.16 took name=")
	}
}
