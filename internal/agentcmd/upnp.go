package agentcmd

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/huin/goupnp/dcps/internetgateway1"
	"github.com/huin/goupnp/httpu"
	"github.com/huin/goupnp/soap"
	"github.com/huin/goupnp/ssdp"
	"github.com/vishvananda/netlink"

	"github.com/chrlab/chrlab/harness/probe"
)

type upnpOptions struct {
	externalPort, internalPort int
	protocol                   string
	lease                      time.Duration
	client                     string
	gateway                    string
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
	fs.StringVar(&o.gateway, "gateway", "", "the lab router's `address` on this host's subnet; only its SSDP answer is followed (default: this host's IPv4 default gateway)")
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
	if o.gateway != "" {
		if a, err := netip.ParseAddr(o.gateway); err != nil || !a.Is4() {
			return probe.Result{}, usageErrorf(stderr, fs, "--gateway %q is not an IPv4 address", o.gateway)
		}
	}
	if o.internalPort == 0 {
		o.internalPort = o.externalPort
	}
	return probeUPnP(ctx, o), nil
}

func probeUPnP(ctx context.Context, o upnpOptions) probe.Result {
	res := probe.Result{Probe: probe.KindUPnP}
	// Only the lab router is spoken to (review44 finding 6): the Docker
	// host's bridge or another UPnP speaker on the segment may answer the
	// M-SEARCH too, and first; following its LOCATION would read or map
	// a port on a device outside the lab. The router must be on this
	// host's own subnet, so no unicast leaves the lab network.
	gw, err := upnpGateway(o.gateway)
	if err != nil {
		return failed(res, err)
	}
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
	loc, ignored := gatewayAnswer(resps, gw)
	if loc == nil {
		res.Result = probe.Timeout
		res.Error = fmt.Sprintf("no SSDP answer for %s within %ds came from the lab router %s (ignored LOCATIONs: %s)", st, mx, gw, strings.Join(ignored, ", "))
		return res
	}
	res.Gateway = loc.String()
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
	// The description names the control URL: SOAP goes there, so it must
	// be the router too.
	if u := c.SOAPClient.EndpointURL; !sameHost(&u, gw) {
		return failed(res, fmt.Errorf("the gateway's description at %s sends control to %s, not to the lab router %s: refused", res.Gateway, u.String(), gw))
	}
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

// upnpGateway is the lab router's address the probe may speak to: the
// --gateway given, or this host's IPv4 default gateway. It must lie in
// the subnet of one of this host's addresses.
func upnpGateway(flagged string) (netip.Addr, error) {
	var gw netip.Addr
	if flagged != "" {
		gw = netip.MustParseAddr(flagged)
	} else {
		routes, err := netlink.RouteList(nil, netlink.FAMILY_V4)
		if err != nil {
			return gw, fmt.Errorf("read this host's default gateway: %w", err)
		}
		for _, r := range routes {
			if isDefault(r.Dst) && r.Gw != nil {
				gw, _ = netip.AddrFromSlice(r.Gw.To4())
				break
			}
		}
		if !gw.IsValid() {
			return gw, fmt.Errorf("no --gateway and no IPv4 default gateway: the lab router's address is unknown")
		}
	}
	addrs, err := netlink.AddrList(nil, netlink.FAMILY_V4)
	if err != nil {
		return gw, fmt.Errorf("read this host's addresses: %w", err)
	}
	for _, a := range addrs {
		if a.IPNet != nil && a.IPNet.Contains(net.IP(gw.AsSlice())) {
			return gw, nil
		}
	}
	return gw, fmt.Errorf("the gateway %s is not on a subnet of this host: refused, the probe sends nothing outside the lab network", gw)
}

// gatewayAnswer picks, in arrival order, the first SSDP answer whose
// LOCATION host is gw, and lists the LOCATIONs it ignored.
func gatewayAnswer(resps []*http.Response, gw netip.Addr) (*url.URL, []string) {
	var ignored []string
	for _, r := range resps {
		l := r.Header.Get("Location")
		u, err := url.Parse(l)
		if err != nil || !sameHost(u, gw) {
			ignored = append(ignored, fmt.Sprintf("%q", l))
			continue
		}
		return u, ignored
	}
	return nil, ignored
}

// sameHost says whether u is an http URL whose host is the address gw.
func sameHost(u *url.URL, gw netip.Addr) bool {
	a, err := netip.ParseAddr(u.Hostname())
	return err == nil && u.Scheme == "http" && a.Unmap() == gw
}
