package agentcmd

import (
	"context"
	"net"
	"net/netip"
	"strconv"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/chrlab/chrlab/harness/probe"
)

// TestResolveConnectTotal (forum40 D9): a resolve-then-connect probe
// reports the lookup and the connection together as total_ms, at least
// the connect time it reports beside it.
func TestResolveConnectTotal(t *testing.T) {
	ds, err := listenPublicDNS("127.0.0.1", 0, zoneFlags{"srv.test": {netip.MustParseAddr("127.0.0.1")}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ds.close)
	ds.serve(t.Logf)
	port := startWhoami(t, "srv", "127.0.0.1")
	dnsAddr := net.JoinHostPort("127.0.0.1", strconv.Itoa(ds.udp.LocalAddr().(*net.UDPAddr).Port))
	res := probeResolveConnect(context.Background(), resolveConnectOptions{
		dns:  dnsOptions{server: dnsAddr, name: "srv.test", qtype: dns.TypeA, timeout: 2 * time.Second},
		port: port, timeout: 2 * time.Second,
	})
	if res.Result != probe.OK {
		t.Fatalf("probe: %s %s", res.Result, res.Error)
	}
	if res.TotalMS <= 0 || res.TotalMS < res.ConnectMS {
		t.Errorf("total_ms %v, connect_ms %v: want the lookup and the connection together", res.TotalMS, res.ConnectMS)
	}
}
