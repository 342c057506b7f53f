package config

import (
	"context"
	"strings"
	"testing"
)

// get given a find that matches two items fails with RouterOS's words
// for a list where one item is expected, not "no such item": both exist
// (forum35 D12, "the WAN IP script breaks after a second address on the
// WAN"). Controls: one match is read; none is still "no such item".
func TestGetOfTwoItems(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, "/ip address add address=192.0.2.2/24 interface=ether1\n/ip address add address=198.51.100.2/24 interface=ether1")
	_, err := r.Run(context.Background(), ":put [/ip address get [find interface=ether1] address]")
	if err == nil || !strings.Contains(err.Error(), "invalid internal item number") {
		t.Errorf("get of two items: %v, want invalid internal item number", err)
	}
	if got := run(t, r, ":put [/ip address get [find address=192.0.2.2/24] address]"); got != "192.0.2.2/24\n" {
		t.Errorf("get of one item: %q", got)
	}
	if got := run(t, r, ":put [/ip address get ([find interface=ether1]->0) address]"); got != "192.0.2.2/24\n" {
		t.Errorf("get of the first of two: %q", got)
	}
	_, err = r.Run(context.Background(), ":put [/ip address get [find interface=ether2] address]")
	if err == nil || !strings.Contains(err.Error(), "no such item") {
		t.Errorf("get of none: %v, want no such item", err)
	}
}
