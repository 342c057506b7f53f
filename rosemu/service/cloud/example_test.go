package cloud_test

import (
	"context"
	"log/slog"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/service/cloud"
	"github.com/chrlab/chrlab/rosemu/service/dns"
	"github.com/chrlab/chrlab/rosemu/service/fqdn"
)

// Example shows how the daemon wires IP Cloud and host-name address lists:
// both use the router's own resolver, the engine tells them every committed
// configuration, and they run in the router's namespace (the daemon's), so
// that the cloud request leaves through the router's own srcnat.
func Example() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := slog.Default()
	identity := "router"
	resolver := dns.New(":53", log)
	cloudSvc := cloud.New(cloud.Options{Serial: cloud.SerialFor(identity), Check: cloud.DefaultCheck, Log: log})
	names := fqdn.New(fqdn.Options{Log: log})
	r := config.New(config.Options{Identity: identity, Ports: []string{"ether1", "ether2"}, DNS: resolver, Cloud: cloudSvc, FQDN: names})
	resolver.Update(r.DNS())
	go resolver.Serve(ctx)
	go cloudSvc.Run(ctx, r, resolver)
	go names.Run(ctx, r, resolver)
}
