package api_test

import (
	"context"
	"errors"
	"net"
	"os"
	"testing"

	"github.com/go-routeros/routeros/v3"

	"github.com/chrlab/chrlab/rosemu/api"
	"github.com/chrlab/chrlab/rosemu/config"
)

// TestEngineOverAPI drives the real configuration engine through the API
// server with the real go-routeros client: what the harness does to every
// router backend. The lab's base configuration goes in through the engine
// first, then the API reads it back, changes it and gets RouterOS errors.
func TestEngineOverAPI(t *testing.T) {
	base, err := os.ReadFile("../../labs/hairpin.rsc")
	if err != nil {
		t.Fatal(err)
	}
	r := config.New(config.Options{Ports: []string{"ether1", "ether2"}})
	if _, err := r.Run(context.Background(), string(base)); err != nil {
		t.Fatalf("apply hairpin.rsc: %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	served := make(chan error, 1)
	go func() { served <- (&api.Server{Device: r}).Serve(ctx, l) }()
	c, err := routeros.DialContext(t.Context(), l.Addr().String(), "admin", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c.Close()
		cancel()
		<-served
	})

	rep, err := c.RunArgsContext(t.Context(), []string{"/ip/address/print", "?interface=ether1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Re) != 1 || rep.Re[0].Map["address"] != "203.0.113.2/24" {
		t.Fatalf("WAN address over the API = %v", rep.Re)
	}

	// The defconf filter has eleven rules plus RouterOS's dynamic
	// fasttrack counter rule; count-only answers in !done.
	rep, err = c.RunArgsContext(t.Context(), []string{"/ip/firewall/filter/print", "=count-only="})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Done.Map["ret"] != "12" {
		t.Fatalf("filter count = %q, want 12", rep.Done.Map["ret"])
	}

	rep, err = c.RunArgsContext(t.Context(), []string{"/ip/firewall/nat/add", "=chain=srcnat", "=action=masquerade",
		"=src-address=192.168.88.0/24", "=dst-address=192.168.88.0/24", "=comment=hairpin"})
	if err != nil {
		t.Fatal(err)
	}
	id := rep.Done.Map["ret"]
	if id == "" {
		t.Fatal("add returned no id")
	}
	rep, err = c.RunArgsContext(t.Context(), []string{"/ip/firewall/nat/print", "?comment=hairpin", "=.proplist=.id,chain,action"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Re) != 1 || rep.Re[0].Map[".id"] != id || rep.Re[0].Map["action"] != "masquerade" {
		t.Fatalf("print of the added rule = %v", rep.Re)
	}
	if _, err := c.RunArgsContext(t.Context(), []string{"/ip/firewall/nat/set", "=.id=" + id, "=disabled=yes"}); err != nil {
		t.Fatal(err)
	}
	rep, err = c.RunArgsContext(t.Context(), []string{"/ip/firewall/nat/print", "?disabled=true"})
	if err != nil || len(rep.Re) != 1 {
		t.Fatalf("disabled rules = %v, %v", rep, err)
	}

	// RouterOS errors arrive as a trap the client returns as DeviceError.
	var de *routeros.DeviceError
	_, err = c.RunArgsContext(t.Context(), []string{"/ip/firewall/nat/add", "=chain=srcnat", "=action=masquerade", "=out-interface=ether9"})
	if !errors.As(err, &de) {
		t.Fatalf("add with an unknown interface: err = %v, want a device error", err)
	}
	_, err = c.RunArgsContext(t.Context(), []string{"/ip/firewall/nat/remove", "=.id=*FFFF"})
	if !errors.As(err, &de) {
		t.Fatalf("remove of a missing item: err = %v, want a device error", err)
	}
	if _, err := c.RunArgsContext(t.Context(), []string{"/ip/firewall/nat/remove", "=.id=" + id}); err != nil {
		t.Fatal(err)
	}
	rep, err = c.RunArgsContext(t.Context(), []string{"/ip/firewall/nat/print", "=count-only="})
	if err != nil || rep.Done.Map["ret"] != "1" {
		t.Fatalf("nat rules after remove = %v, %v (want the defconf masquerade only)", rep, err)
	}
}
