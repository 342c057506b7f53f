// Package ipsec runs RouterOS's /ip ipsec peers with strongSwan's charon
// in the router's network namespace (docs/ipsec.md). ESP runs in user
// space (the kernel-libipsec plugin, a TUN named ipsec0), because the lab
// kernels have no ESP; rosemu's firewall sends what an installed SA's
// policy covers after srcnat into that TUN (kernel.IPsecPolicy.Tun).
package ipsec

import (
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
)

// ikeEnc, espEnc, hashes and groups map RouterOS's algorithm names to
// strongSwan's (IPsec page of the manual,
// https://help.mikrotik.com/docs/display/ROS/IPsec, profiles and
// proposals; strongSwan's IKEv2 cipher suites).
var (
	ikeEnc = map[string]string{"des": "des", "3des": "3des", "aes-128": "aes128", "aes-192": "aes192", "aes-256": "aes256",
		"blowfish": "blowfish", "camellia-128": "camellia128", "camellia-192": "camellia192", "camellia-256": "camellia256"}
	espEnc = map[string]string{"null": "null", "des": "des", "3des": "3des", "aes-128-cbc": "aes128", "aes-192-cbc": "aes192",
		"aes-256-cbc": "aes256", "aes-128-ctr": "aes128ctr", "aes-192-ctr": "aes192ctr", "aes-256-ctr": "aes256ctr",
		"aes-128-gcm": "aes128gcm16", "aes-192-gcm": "aes192gcm16", "aes-256-gcm": "aes256gcm16", "blowfish": "blowfish",
		"camellia-128": "camellia128", "camellia-192": "camellia192", "camellia-256": "camellia256", "twofish": "twofish"}
	hashes = map[string]string{"md5": "md5", "sha1": "sha1", "sha256": "sha256", "sha512": "sha512"}
	groups = map[string]string{"modp768": "modp768", "modp1024": "modp1024", "modp1536": "modp1536", "modp2048": "modp2048",
		"modp3072": "modp3072", "modp4096": "modp4096", "modp6144": "modp6144", "modp8192": "modp8192",
		"ecp256": "ecp256", "ecp384": "ecp384", "ecp521": "ecp521"}
)

// mapList maps a RouterOS list ("aes-128,3des") through m, in order.
func mapList(v string, m map[string]string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		s, ok := m[f]
		if !ok {
			return nil, fmt.Errorf("no strongSwan algorithm for %q", f)
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no algorithm in %q", v)
	}
	return out, nil
}

// IKEProposal is a profile's IKE proposal: every cipher, the hash (as
// integrity and PRF) and every DH group of the profile in one proposal,
// as RouterOS offers them.
func IKEProposal(p config.IPsecPeer) (string, error) {
	enc, err := mapList(p.EncAlgorithm, ikeEnc)
	if err != nil {
		return "", fmt.Errorf("profile enc-algorithm: %w", err)
	}
	hash, err := mapList(p.HashAlgorithm, hashes)
	if err != nil {
		return "", fmt.Errorf("profile hash-algorithm: %w", err)
	}
	dh, err := mapList(p.DHGroup, groups)
	if err != nil {
		return "", fmt.Errorf("profile dh-group: %w", err)
	}
	return strings.Join(append(append(enc, hash...), dh...), "-"), nil
}

// ESPProposals are a proposal's ESP proposals: one of the ciphers with
// their integrity algorithms, one of the AEAD (GCM) ciphers, which take
// none; the PFS group on each (none: no DH in the child exchange).
func ESPProposals(t config.IPsecTunnel) (string, error) {
	enc, err := mapList(t.EncAlgorithms, espEnc)
	if err != nil {
		return "", fmt.Errorf("proposal enc-algorithms: %w", err)
	}
	var plain, aead []string
	for _, e := range enc {
		if strings.HasSuffix(e, "gcm16") {
			aead = append(aead, e)
		} else {
			plain = append(plain, e)
		}
	}
	var pfs []string
	if t.PFSGroup != "" && t.PFSGroup != "none" {
		g, err := mapList(t.PFSGroup, groups)
		if err != nil {
			return "", fmt.Errorf("proposal pfs-group: %w", err)
		}
		pfs = g
	}
	var out []string
	if len(plain) > 0 {
		var auth []string
		for _, a := range strings.Split(t.AuthAlgorithms, ",") {
			if a == "null" || a == "" {
				continue
			}
			h, ok := hashes[a]
			if !ok {
				return "", fmt.Errorf("proposal auth-algorithms: no strongSwan algorithm for %q", a)
			}
			auth = append(auth, h)
		}
		if len(auth) == 0 {
			return "", fmt.Errorf("proposal auth-algorithms=%s with a cipher that is not GCM: ESP would have no integrity", t.AuthAlgorithms)
		}
		out = append(out, strings.Join(append(append(plain, auth...), pfs...), "-"))
	}
	if len(aead) > 0 {
		out = append(out, strings.Join(append(aead, pfs...), "-"))
	}
	return strings.Join(out, ","), nil
}

// seconds reads a RouterOS time ("1d", "30m", "1h30m", "8s", "00:30:00")
// as whole seconds.
func seconds(v string) (int, error) {
	if strings.Contains(v, ":") {
		var h, m, s int
		if _, err := fmt.Sscanf(v, "%d:%d:%d", &h, &m, &s); err != nil {
			return 0, fmt.Errorf("time %q: %w", v, err)
		}
		return h*3600 + m*60 + s, nil
	}
	total := 0
	rest := v
	for rest != "" {
		i := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
		if i <= 0 {
			if n, err := strconv.Atoi(rest); err == nil { // bare seconds
				return total + n, nil
			}
			return 0, fmt.Errorf("time %q", v)
		}
		n, _ := strconv.Atoi(rest[:i])
		unit := map[byte]time.Duration{'w': 7 * 24 * time.Hour, 'd': 24 * time.Hour, 'h': time.Hour, 'm': time.Minute, 's': time.Second}[rest[i]]
		if unit == 0 {
			return 0, fmt.Errorf("time %q", v)
		}
		total += n * int(unit/time.Second)
		rest = rest[i+1:]
	}
	return total, nil
}

// ChildName is the child SA of policy id ("*3": "policy-3"); the status
// reads the policy back from it.
func ChildName(id string) string { return "policy-" + strings.TrimPrefix(id, "*") }

// policyOf is ChildName's inverse.
func policyOf(child string) (string, bool) {
	id, ok := strings.CutPrefix(child, "policy-")
	return "*" + id, ok
}

// ConnName is the connection of peer id.
func ConnName(id string) string { return "peer-" + strings.TrimPrefix(id, "*") }

func peerOf(conn string) (string, bool) {
	id, ok := strings.CutPrefix(conn, "peer-")
	return "*" + id, ok
}

// ts writes a policy's selectors for strongSwan: a prefix with its
// protocol and port ("192.168.1.0/24[tcp/80]").
func ts(ps []netip.Prefix, proto, port string) string {
	var out []string
	for _, p := range ps {
		s := p.String()
		pr, po := "", ""
		if proto != "" && proto != "all" {
			pr = proto
			if n, err := strconv.Atoi(proto); err == nil {
				pr = strconv.Itoa(n)
			}
		}
		if port != "" && port != "any" {
			po = port
		}
		if pr != "" || po != "" {
			if pr == "" {
				pr = "%any"
			}
			s += "[" + pr
			if po != "" {
				s += "/" + po
			}
			s += "]"
		}
		out = append(out, s)
	}
	return strings.Join(out, ",")
}

// Problem is a peer or policy rosemu does not run, with why.
type Problem struct{ What, Why string }

// Swanctl writes the swanctl.conf of the peers: a connection per peer
// that has a pre-shared key identity, a child per tunnel policy. Every
// connection forces UDP encapsulation (encap), the only ESP
// kernel-libipsec speaks. What cannot be run is left out and listed.
func Swanctl(peers []config.IPsecPeer) (string, []Problem) {
	conf, problems, _ := swanctl(peers)
	return conf, problems
}

// Carried are the IDs of the tunnel policies charon runs for peers (each
// a child of Swanctl's configuration): what they cover goes into ESP
// once their SA is up, where the other policies are only applied as on a
// router without an SA.
func Carried(peers []config.IPsecPeer) map[string]bool {
	_, _, children := swanctl(peers)
	return children
}

func swanctl(peers []config.IPsecPeer) (string, []Problem, map[string]bool) {
	var b, sec strings.Builder
	var problems []Problem
	children := map[string]bool{}
	line := func(b *strings.Builder, depth int, f string, a ...any) {
		b.WriteString(strings.Repeat("  ", depth))
		fmt.Fprintf(b, f+"\n", a...)
	}
	sorted := append([]config.IPsecPeer(nil), peers...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	line(&b, 0, "connections {")
	for _, p := range sorted {
		what := "peer " + p.ID
		if p.Name != "" {
			what = "peer " + p.Name
		}
		if !p.Identity {
			problems = append(problems, Problem{what, "no identity: the peer never authenticates"})
			continue
		}
		if p.AuthMethod != "pre-shared-key" {
			problems = append(problems, Problem{what, "auth-method=" + p.AuthMethod + " is not run (pre-shared-key only)"})
			continue
		}
		if p.ExchangeMode != "ike2" && p.ExchangeMode != "main" && p.ExchangeMode != "aggressive" {
			problems = append(problems, Problem{what, "exchange-mode=" + p.ExchangeMode + " is not run"})
			continue
		}
		if p.Address == "" {
			problems = append(problems, Problem{what, "no address"})
			continue
		}
		prop, err := IKEProposal(p)
		if err != nil {
			problems = append(problems, Problem{what, err.Error()})
			continue
		}
		remote := strings.TrimSuffix(p.Address, "/32")
		single := !strings.Contains(remote, "/")
		if single && p.Passive && remote == "0.0.0.0" {
			remote, single = "0.0.0.0/0", false
		}
		if !single && !p.Passive {
			problems = append(problems, Problem{what, "address=" + p.Address + " is a network: only a passive peer waits for any of it"})
			continue
		}
		line(&b, 1, "%s {", ConnName(p.ID))
		if p.ExchangeMode == "ike2" {
			line(&b, 2, "version = 2")
		} else {
			line(&b, 2, "version = 1")
			if p.ExchangeMode == "aggressive" {
				line(&b, 2, "aggressive = yes")
			}
		}
		if p.LocalAddress != "" && p.LocalAddress != "0.0.0.0" && p.LocalAddress != "::" {
			line(&b, 2, "local_addrs = %s", p.LocalAddress)
		}
		line(&b, 2, "remote_addrs = %s", remote)
		if p.Port != 0 && p.Port != 500 {
			line(&b, 2, "remote_port = %d", p.Port)
		}
		line(&b, 2, "encap = yes")
		if !p.Passive {
			line(&b, 2, "keyingtries = 0")
		}
		line(&b, 2, "proposals = %s", prop)
		if p.SendInitialContact {
			line(&b, 2, "unique = no")
		} else {
			line(&b, 2, "unique = never")
		}
		if s, err := seconds(p.Lifetime); err == nil && s > 0 {
			line(&b, 2, "rekey_time = %ds", s)
		}
		if s, err := seconds(p.DPDInterval); err == nil && s > 0 {
			line(&b, 2, "dpd_delay = %ds", s)
		}
		myID, remoteID := idOf(p.MyID), idOf(p.RemoteID)
		if remoteID == "" && single {
			// auto: the peer's address, which a RouterOS peer sends as its
			// ID by default; charon needs it as initiator to find the
			// secret, which it keys by it.
			remoteID = remote
		}
		line(&b, 2, "local {")
		line(&b, 3, "auth = psk")
		if myID != "" {
			line(&b, 3, "id = %s", myID)
		}
		line(&b, 2, "}")
		line(&b, 2, "remote {")
		line(&b, 3, "auth = psk")
		if remoteID != "" {
			line(&b, 3, "id = %s", remoteID)
		}
		line(&b, 2, "}")
		line(&b, 2, "children {")
		for _, t := range p.Policies {
			esp, err := ESPProposals(t)
			if err != nil {
				problems = append(problems, Problem{"policy " + t.ID, err.Error()})
				continue
			}
			children[t.ID] = true
			line(&b, 3, "%s {", ChildName(t.ID))
			line(&b, 4, "local_ts = %s", ts(t.Src, t.Protocol, t.SrcPort))
			line(&b, 4, "remote_ts = %s", ts(t.Dst, t.Protocol, t.DstPort))
			line(&b, 4, "mode = tunnel")
			line(&b, 4, "esp_proposals = %s", esp)
			if s, err := seconds(t.Lifetime); err == nil && s > 0 {
				line(&b, 4, "rekey_time = %ds", s)
			}
			if p.Passive {
				line(&b, 4, "start_action = none")
				line(&b, 4, "dpd_action = clear")
			} else {
				// RouterOS brings a site-to-site tunnel up by itself and
				// again after it failed.
				line(&b, 4, "start_action = start")
				line(&b, 4, "dpd_action = restart")
				line(&b, 4, "close_action = start")
			}
			line(&b, 3, "}")
		}
		line(&b, 2, "}")
		line(&b, 1, "}")
		line(&sec, 1, "ike-%s {", strings.TrimPrefix(p.ID, "*"))
		line(&sec, 2, "secret = %s", strconv.Quote(p.Secret))
		if remoteID != "" {
			line(&sec, 2, "id = %s", remoteID)
		}
		line(&sec, 1, "}")
	}
	line(&b, 0, "}")
	line(&b, 0, "secrets {")
	b.WriteString(sec.String())
	line(&b, 0, "}")
	return b.String(), problems, children
}

// idOf maps my-id/remote-id: auto is strongSwan's default (the address;
// any for the remote), address:X, fqdn:X, user-fqdn:X, key-id:X name it.
func idOf(v string) string {
	if v == "" || v == "auto" {
		return ""
	}
	kind, val, ok := strings.Cut(v, ":")
	if !ok {
		return ""
	}
	switch kind {
	case "address":
		return val
	case "fqdn":
		return "@" + val
	case "user-fqdn":
		return val
	case "key-id":
		return "@#" + val
	}
	return ""
}

// StrongswanConf is charon's configuration: the plugins rosemu needs
// (kernel-libipsec for ESP, kernel-netlink for addresses, vici for
// swanctl) and the vici socket at vici. The policies' traffic must not
// be routed into the TUN: the firewall sends it there after srcnat, as
// RouterOS matches policies there. kernel-libipsec installs a route into
// the TUN per SA whatever install_routes says, into routing_table (with
// 0, the main table's); so the table is 220, its rule comes after main's
// and default's (prio), and the service deletes that rule (routeRule).
func StrongswanConf(vici string) string {
	return `charon {
  load = random nonce openssl aes sha1 sha2 md5 hmac gcm gmp pem pkcs1 kdf kernel-libipsec kernel-netlink socket-default vici
  install_routes = no
  install_virtual_ip = no
  routing_table = 220
  routing_table_prio = 40000
  retransmit_tries = 3
  retransmit_timeout = 2
  filelog {
    stderr {
      default = 1
      ike = 1
    }
  }
  plugins {
    vici {
      socket = unix://` + vici + `
    }
    kernel-libipsec {
      load = yes
    }
  }
}
`
}
