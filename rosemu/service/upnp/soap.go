package upnp

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/rosemu/config"
)

const wanIPConn = "urn:schemas-upnp-org:service:WANIPConnection:1"

func (g *gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.life.RLock()
	defer g.life.RUnlock()
	if g.closed {
		http.Error(w, "gateway stopped", http.StatusServiceUnavailable)
		return
	}
	host, _, _ := net.SplitHostPort(r.RemoteAddr)
	client, _ := netip.ParseAddr(host)
	client = client.Unmap()
	c := g.e.UPnP()
	if _, ok := internalAddr(c, client); !ok || !c.Enabled {
		// Only the internal interfaces' clients are served.
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	switch r.URL.Path {
	case "/rootDesc.xml":
		w.Header().Set("Content-Type", `text/xml; charset="utf-8"`)
		io.WriteString(w, rootDesc)
	case "/WANIPCn.xml":
		w.Header().Set("Content-Type", `text/xml; charset="utf-8"`)
		io.WriteString(w, wanIPCnSCPD)
	case "/ctl/IPConn":
		if r.Method != http.MethodPost {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		g.control(w, r, client, c)
	default:
		http.NotFound(w, r)
	}
}

// upnpError is a UPnP action error (UPnP Device Architecture 1.0 3.2.2;
// the codes of WANIPConnection:1 2.4).
type upnpError struct {
	code int
	desc string
}

var (
	errInvalidArgs   = &upnpError{402, "Invalid Args"}
	errInvalidAction = &upnpError{401, "Invalid Action"}
	// miniupnpd's secure mode answers a mapping for another host with 606;
	// RouterOS's gateway refusing it is [verify].
	errNotAuthorized = &upnpError{606, "Action not authorized"}
	errArrayIndex    = &upnpError{713, "SpecifiedArrayIndexInvalid"}
	errNoSuchEntry   = &upnpError{714, "NoSuchEntryInArray"}
	errWildCardExt   = &upnpError{716, "WildCardNotPermittedInExtPort"}
	errConflict      = &upnpError{718, "ConflictInMappingEntry"}
	errActionFailed  = &upnpError{501, "Action Failed"}
)

// action reads the SOAP envelope's action element and its arguments.
func action(body io.Reader) (string, map[string]string, error) {
	d := xml.NewDecoder(body)
	depth := 0
	name := ""
	args := map[string]string{}
	var arg string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch depth {
			case 3: // Envelope > Body > action
				name = t.Name.Local
			case 4:
				arg = t.Name.Local
				args[arg] = ""
			}
		case xml.CharData:
			if depth == 4 {
				args[arg] += string(t)
			}
		case xml.EndElement:
			depth--
		}
	}
	if name == "" {
		return "", nil, fmt.Errorf("no action")
	}
	return name, args, nil
}

func (g *gateway) control(w http.ResponseWriter, r *http.Request, client netip.Addr, c config.UPnPConfig) {
	name, args, err := action(io.LimitReader(r.Body, 64<<10))
	var out [][2]string
	var uerr *upnpError
	if err != nil {
		uerr = errInvalidArgs
	} else {
		out, uerr = g.do(name, args, client, c)
	}
	w.Header().Set("Content-Type", `text/xml; charset="utf-8"`)
	if uerr != nil {
		g.log.Info("upnp: refused", "client", client, "action", name, "code", uerr.code, "error", uerr.desc)
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintf(w, `<?xml version="1.0"?>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail><UPnPError xmlns="urn:schemas-upnp-org:control-1-0"><errorCode>%d</errorCode><errorDescription>%s</errorDescription></UPnPError></detail></s:Fault></s:Body></s:Envelope>`, uerr.code, uerr.desc)
		return
	}
	var b strings.Builder
	for _, kv := range out {
		fmt.Fprintf(&b, "<%s>", kv[0])
		xml.EscapeText(&b, []byte(kv[1]))
		fmt.Fprintf(&b, "</%s>", kv[0])
	}
	fmt.Fprintf(w, `<?xml version="1.0"?>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body><u:%sResponse xmlns:u="%s">%s</u:%sResponse></s:Body></s:Envelope>`, name, wanIPConn, b.String(), name)
}

func protocol(v string) (string, bool) {
	switch strings.ToUpper(strings.TrimSpace(v)) {
	case "TCP":
		return "tcp", true
	case "UDP":
		return "udp", true
	}
	return "", false
}

func port16(v string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	return n, err == nil && n >= 0 && n <= 65535
}

// entry is a mapping's arguments as the Get*PortMappingEntry actions give
// them. The lease is 0: rosemu keeps a mapping until it is deleted or UPnP
// is turned off (the client's lease is not timed, docs/rosemu-menus.md).
// mapping is the mapping of an external port and protocol, if any.
func (g *gateway) mapping(proto string, ext int) (config.UPnPMapping, bool) {
	for _, m := range g.e.UPnPMappings() {
		if m.Protocol == proto && m.ExternalPort == ext {
			return m, true
		}
	}
	return config.UPnPMapping{}, false
}

func entry(m config.UPnPMapping, withKey bool) [][2]string {
	var out [][2]string
	if withKey {
		out = append(out, [2]string{"NewRemoteHost", m.RemoteHost}, [2]string{"NewExternalPort", strconv.Itoa(m.ExternalPort)},
			[2]string{"NewProtocol", strings.ToUpper(m.Protocol)})
	}
	return append(out, [2]string{"NewInternalPort", strconv.Itoa(m.InternalPort)}, [2]string{"NewInternalClient", m.InternalClient.String()},
		[2]string{"NewEnabled", "1"}, [2]string{"NewPortMappingDescription", m.Description}, [2]string{"NewLeaseDuration", "0"})
}

func (g *gateway) do(name string, a map[string]string, client netip.Addr, c config.UPnPConfig) ([][2]string, *upnpError) {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch name {
	case "GetExternalIPAddress":
		return [][2]string{{"NewExternalIPAddress", c.ExternalIP.String()}}, nil
	case "AddPortMapping":
		proto, ok1 := protocol(a["NewProtocol"])
		ext, ok2 := port16(a["NewExternalPort"])
		in, ok3 := port16(a["NewInternalPort"])
		ic, err := netip.ParseAddr(strings.TrimSpace(a["NewInternalClient"]))
		if !ok1 || !ok2 || !ok3 || err != nil || !ic.Is4() || in == 0 {
			return nil, errInvalidArgs
		}
		if ext == 0 {
			return nil, errWildCardExt
		}
		if ic != client {
			return nil, errNotAuthorized
		}
		if en := strings.TrimSpace(a["NewEnabled"]); en == "0" || strings.EqualFold(en, "false") {
			// A disabled mapping forwards nothing: it is not added.
			// [verify] whether RouterOS keeps it as a disabled rule.
			// Another host's mapping is refused as DeletePortMapping
			// refuses it (review43 finding 1).
			if m, ok := g.mapping(proto, ext); ok && m.InternalClient != client {
				return nil, errNotAuthorized
			}
			if _, err := g.e.DeleteUPnPMapping(proto, ext); err != nil {
				g.log.Warn("upnp: delete mapping", "err", err)
				return nil, errActionFailed
			}
			return nil, nil
		}
		if m, ok := g.mapping(proto, ext); ok && m.InternalClient != ic {
			return nil, errConflict
		}
		rh := strings.TrimSpace(a["NewRemoteHost"])
		if rh != "" {
			if _, err := netip.ParseAddr(rh); err != nil {
				return nil, errInvalidArgs
			}
		}
		if err := g.e.AddUPnPMapping(config.UPnPMapping{Protocol: proto, ExternalPort: ext, InternalPort: in, InternalClient: ic,
			Description: a["NewPortMappingDescription"], RemoteHost: rh}); errors.Is(err, config.ErrUPnPConflict) {
			// A static forward or a router service holds the port.
			g.log.Info("upnp: refused", "client", client, "err", err)
			return nil, errConflict
		} else if err != nil {
			g.log.Warn("upnp: add mapping", "err", err)
			return nil, errActionFailed
		}
		g.log.Info("upnp: mapping added", "client", client, "proto", proto, "external-port", ext, "internal-port", in)
		return nil, nil
	case "DeletePortMapping":
		proto, ok1 := protocol(a["NewProtocol"])
		ext, ok2 := port16(a["NewExternalPort"])
		if !ok1 || !ok2 {
			return nil, errInvalidArgs
		}
		m, ok := g.mapping(proto, ext)
		switch {
		case !ok:
			return nil, errNoSuchEntry
		case m.InternalClient != client:
			return nil, errNotAuthorized
		}
		if _, err := g.e.DeleteUPnPMapping(proto, ext); err != nil {
			return nil, errActionFailed
		}
		return nil, nil
	case "GetSpecificPortMappingEntry":
		proto, ok1 := protocol(a["NewProtocol"])
		ext, ok2 := port16(a["NewExternalPort"])
		if !ok1 || !ok2 {
			return nil, errInvalidArgs
		}
		if m, ok := g.mapping(proto, ext); ok {
			return entry(m, false), nil
		}
		return nil, errNoSuchEntry
	case "GetGenericPortMappingEntry":
		i, ok := port16(a["NewPortMappingIndex"])
		if !ok {
			return nil, errInvalidArgs
		}
		ms := g.e.UPnPMappings()
		if i >= len(ms) {
			return nil, errArrayIndex
		}
		return entry(ms[i], true), nil
	}
	return nil, errInvalidAction
}
