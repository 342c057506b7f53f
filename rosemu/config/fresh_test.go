package config

import (
	"context"
	"strings"
	"testing"
	"time"
)

// A fresh CHR runs a DHCP client on ether1; adding another there is
// refused in RouterOS's words until the default one is removed.
func TestFreshCHRDefaultDHCPClient(t *testing.T) {
	r := New(Options{Ports: []string{"ether1", "ether2", "ether3"}, DefaultDHCPClient: true,
		MACs: map[string]string{"ether3": "52:54:00:00:FF:FF"}})
	ctx := context.Background()
	if _, err := r.Run(ctx, "/ip dhcp-client add interface=ether1"); err == nil || !strings.Contains(err.Error(), "dhcp-client on that interface already exists") {
		t.Fatalf("second client on ether1: %v", err)
	}
	if !strings.Contains(r.Export(), "add interface=ether1") {
		t.Errorf("export lacks the default client:\n%s", r.Export())
	}
	src := `{
:local ifs [/interface ethernet find mac-address="52:54:00:00:FF:FF"]
/ip dhcp-client remove [find]
/ip address add address=10.0.2.15/24 interface=[/interface ethernet get [:pick $ifs 0] name]
}
/ip dhcp-client add interface=ether1 comment=defconf`
	if _, err := r.Run(ctx, src); err != nil {
		t.Fatalf("provisioning script: %v", err)
	}
	rows, _, err := r.Command(ctx, "/ip/address/print", nil)
	if err != nil || len(rows) != 1 {
		t.Fatalf("addresses: %v %v", rows, err)
	}
	if v, _ := rows[0].Get("interface"); v != "ether3" {
		t.Errorf("address on %s, want ether3 (the NIC with the MAC)", v)
	}
	// Negative control: without the option there is no default client.
	r2 := New(Options{Ports: []string{"ether1"}})
	if _, err := r2.Run(ctx, "/ip dhcp-client add interface=ether1"); err != nil {
		t.Errorf("a client on a router without the default one: %v", err)
	}
}

func TestSystemResource(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
	rows, _, err := r.Command(context.Background(), "/system/resource/print", nil)
	if err != nil || len(rows) != 1 {
		t.Fatalf("/system/resource/print: %v %v", rows, err)
	}
	if v, _ := rows[0].Get("board-name"); v != BoardName {
		t.Errorf("board-name %q", v)
	}
	if v, _ := rows[0].Get("version"); v != "7.16.2 (stable)" {
		t.Errorf("version %q", v)
	}
	if _, err := r.Run(context.Background(), "/system resource set board-name=x"); err == nil {
		t.Error("set board-name was accepted")
	}
	if strings.Contains(r.Export(), "resource") {
		t.Errorf("export shows /system resource:\n%s", r.Export())
	}
	if rosUptime(3*time.Hour+5*time.Second) != "3h5s" || rosUptime(0) != "0s" {
		t.Errorf("rosUptime: %s %s", rosUptime(3*time.Hour+5*time.Second), rosUptime(0))
	}
}
