package agentcmd

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/huin/goupnp/dcps/internetgateway1"
	"github.com/huin/goupnp/httpu"
	"github.com/huin/goupnp/soap"
	"github.com/huin/goupnp/ssdp"

	"github.com/chrlab/chrlab/harness/probe"
)

type upnpOptions struct {
	externalPort, internalPort int
	protocol                   string
	lease                      time.Duration
	client                     string
	delete                     bool
	timeout                    time.Duration
}

// cmdUPnP is a LAN host's UPnP client, as a game console or a
// BitTorrent client runs it: SSDP discovery of the Internet Gateway
// Device, GetExternalIPAddress, AddPortMapping of an external port to a
// port of this host (or of --client), and DeletePortMapping with
// --delete. goupnp is the client, so the gateway is spoken to as
// third-party software speaks to it, not by chrlab's own SOAP.
func cmdUPnP(ctx context.Context, args []string, stderr io.Writer) (probe.Result, error) {
	fs := flag.NewFlagSet("upnp", flag.ContinueOnError)
	var o upnpOptions
	fs.IntVar(&o.externalPort, "external-port", 0, "the mapping's external `port` (0: discover and read the external address only)")
	fs.IntVar(&o.internalPort, "internal-port", 0, "the `port` on the internal client (default: the external port)")
	fs.StringVar(&o.protocol, "protocol", "tcp", "the mapping's protocol: tcp or udp")
	fs.DurationVar(&o.lease, "lease", 0, "the lease asked for (0: until deleted)")
	fs.StringVar(&o.client, "client", "", "the internal client `address` asked for (default: this host's address towards the gateway)")
	fs.BoolVar(&o.delete, "delete", false, "delete the mapping again once it is made")
	fs.DurationVar(&o.timeout, "timeout", 2*time.Second, "how long discovery listens for answers, and the bound of each action")
	if err := parseFlags(fs, args, stderr); err != nil {
		return probe.Result{}, err
	}
	o.protocol = strings.ToLower(o.protocol)
	switch {
	case o.protocol != "tcp" && o.protocol != "udp":
		return probe.Result{}, usageErrorf(stderr, fs, "--protocol %q: want tcp or udp", o.protocol)
	case o.externalPort < 0 || o.externalPort > 65535 || o.internalPort < 0 || o.internalPort > 65535:
		return probe.Result{}, usageErrorf(stderr, fs, "a port must be within 1..65535")
	case o.lease < 0 || o.lease > time.Duration(1<<32-1)*time.Second:
		return probe.Result{}, usageErrorf(stderr, fs, "--lease %s is not within 0..%ds", o.lease, uint32(1<<32-1))
	case o.timeout <= 0:
		return probe.Result{}, usageErrorf(stderr, fs, "--timeout must be positive")
	}
	if o.client != "" {
		if a, err := netip.ParseAddr(o.client); err != nil || !a.Is4() {
			return probe.Result{}, usageErrorf(stderr, fs, "--client %q is not an IPv4 address", o.client)
		}
	}
	if o.internalPort == 0 {
		o.internalPort = o.externalPort
	}
	return probeUPnP(ctx, o), nil
}

func probeUPnP(ctx context.Context, o upnpOptions) probe.Result {
	res := probe.Result{Probe: probe.KindUPnP}
	hc, err := httpu.NewHTTPUClient()
	if err != nil {
		return failed(res, fmt.Errorf("SSDP socket: %w", err))
	}
	defer hc.Close()
	// MX: the seconds a gateway may wait before it answers, and how long
	// the search listens (goupnp adds 100 ms); half the timeout, at
	// least the 1 s SSDP allows, so that the actions keep the rest.
	mx := max(1, int(o.timeout/(2*time.Second)))
	st := internetgateway1.URN_WANIPConnection_1
	resps, err := ssdp.SSDPRawSearchCtx(ctx, hc, st, mx, 2)
	if err != nil {
		return failed(res, fmt.Errorf("SSDP search: %w", err))
	}
	if len(resps) == 0 {
		res.Result = probe.Timeout
		res.Error = fmt.Sprintf("no UPnP gateway answered the SSDP M-SEARCH for %s within %ds", st, mx)
		return res
	}
	res.Gateway = resps[0].Header.Get("Location")
	loc, err := url.Parse(res.Gateway)
	if err != nil {
		return failed(res, fmt.Errorf("the SSDP answer's LOCATION %q: %w", res.Gateway, err))
	}
	actx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	cs, err := internetgateway1.NewWANIPConnection1ClientsByURLCtx(actx, loc)
	if err != nil {
		return failed(res, fmt.Errorf("read the gateway's description at %s: %w", res.Gateway, err))
	}
	if len(cs) == 0 {
		return failed(res, fmt.Errorf("the gateway's description at %s has no WANIPConnection:1 service", res.Gateway))
	}
	c := cs[0]
	if res.ExternalIP, err = c.GetExternalIPAddressCtx(actx); err != nil {
		return upnpFailed(res, "GetExternalIPAddress", err)
	}
	if o.externalPort == 0 {
		res.Result = probe.OK
		return res
	}
	client := o.client
	if client == "" {
		// This host's address towards the gateway: the one the gateway
		// sees the request come from, as a client fills it in.
		conn, err := net.Dial("udp4", loc.Host)
		if err != nil {
			return failed(res, fmt.Errorf("this host's address towards %s: %w", loc.Host, err))
		}
		client = conn.LocalAddr().(*net.UDPAddr).IP.String()
		conn.Close()
	}
	lease := uint32(o.lease / time.Second)
	res.Mapped = fmt.Sprintf("%s %d -> %s:%d lease %s", o.protocol, o.externalPort, client, o.internalPort, o.lease)
	actx2, cancel2 := context.WithTimeout(ctx, o.timeout)
	defer cancel2()
	if err := c.AddPortMappingCtx(actx2, "", uint16(o.externalPort), strings.ToUpper(o.protocol), uint16(o.internalPort), client, true, "chrlab labagent", lease); err != nil {
		res.Mapped += ": not added"
		return upnpFailed(res, "AddPortMapping", err)
	}
	res.Mapped += ": added"
	if o.delete {
		actx3, cancel3 := context.WithTimeout(ctx, o.timeout)
		defer cancel3()
		if err := c.DeletePortMappingCtx(actx3, "", uint16(o.externalPort), strings.ToUpper(o.protocol)); err != nil {
			res.Mapped += ", not deleted"
			return upnpFailed(res, "DeletePortMapping", err)
		}
		res.Mapped += ", deleted"
	}
	res.Result = probe.OK
	return res
}

// upnpFailed records an action's failure: a UPnP error the gateway
// answered with is refused, with its code and description ("606 Action
// not authorized"); a network failure is what outcome makes of it.
func upnpFailed(res probe.Result, action string, err error) probe.Result {
	var f *soap.SOAPFaultError
	if errors.As(err, &f) && f.Detail.UPnPError.Errorcode != 0 {
		res.Result = probe.Refused
		res.UPnPError = f.Detail.UPnPError.Errorcode
		res.Error = fmt.Sprintf("%s: UPnP error %d %s", action, res.UPnPError, strings.TrimSpace(f.Detail.UPnPError.ErrorDescription))
		return res
	}
	return failed(res, fmt.Errorf("%s: %w", action, err))
}
