package runner

import (
	"context"
	"encoding/hex"
	"strconv"
	"strings"
)

// ovpnFingerprint is the SHA-256 fingerprint of the certificate the
// router's enabled OpenVPN server on port serves, as openvpn's
// --peer-fingerprint writes it (AB:CD:...): the road warrior of an ovpn
// step pins the router's certificate, as a client handed its fingerprint
// (or its CA) does. "" when no enabled server on that port names a
// signed certificate: the client then trusts nothing and its TLS fails.
func (p prober) ovpnFingerprint(ctx context.Context, port uint16) string {
	if p.rc == nil {
		return ""
	}
	servers, err := p.rc.Print(ctx, "/interface/ovpn-server/server")
	if err != nil {
		return ""
	}
	on := func(v string) bool { return v == "true" || v == "yes" }
	for _, s := range servers {
		sp := s["port"]
		if sp == "" {
			sp = "1194"
		}
		enabled := on(s["enabled"]) || (s["name"] != "" && s["disabled"] == "false")
		if sp != strconv.Itoa(int(port)) || !enabled || s["certificate"] == "" || s["certificate"] == "none" {
			continue
		}
		certs, err := p.rc.Print(ctx, "/certificate", "?name="+s["certificate"])
		if err != nil || len(certs) == 0 {
			return ""
		}
		fp, err := hex.DecodeString(strings.ReplaceAll(certs[0]["fingerprint"], ":", ""))
		if err != nil || len(fp) != 32 {
			return ""
		}
		parts := make([]string, len(fp))
		for i, b := range fp {
			parts[i] = strings.ToUpper(hex.EncodeToString([]byte{b}))
		}
		return strings.Join(parts, ":")
	}
	return ""
}
