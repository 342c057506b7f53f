package dns_test

import (
	"context"
	"log/slog"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/service/dns"
)

// Example shows how the daemon wires the service: the engine tells it every
// committed configuration, and Serve listens on port 53 of the router's
// namespace while allow-remote-requests=yes.
func Example() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dnsSrv := dns.New(":53", slog.Default())
	r := config.New(config.Options{Identity: "router", Ports: []string{"ether1", "ether2"}, DNS: dnsSrv})
	dnsSrv.Update(r.DNS())
	go dnsSrv.Serve(ctx)
}
