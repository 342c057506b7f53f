package kernel

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// /ip settings that Linux has as per-namespace sysctls (IP Settings page of
// the manual, https://help.mikrotik.com/docs/display/ROS/IP+Settings). The
// router's namespace holds only RouterOS interfaces (the management link
// lives in a namespace of its own), so an interface setting is written to
// conf/all, conf/default (the bridges, VLANs and PPPoE sessions made later)
// and every interface there: whether Linux ORs, ANDs or takes the larger of
// "all" and the interface's value (ip-sysctl.rst), the same value on every
// level is the setting.

// IPSettings are the /ip settings the kernel applies.
type IPSettings struct {
	Forward           bool // ip-forward
	SendRedirects     bool // send-redirects
	AcceptRedirects   bool // accept-redirects
	SecureRedirects   bool // secure-redirects
	AcceptSourceRoute bool // accept-source-route
	// RPFilter is rp-filter: 0 no, 1 strict, 2 loose (Linux's values).
	RPFilter   int
	SynCookies bool // tcp-syncookies
	// ICMPRateLimit is icmp-rate-limit, the least time in milliseconds
	// between two ICMP errors to one host; ICMPRateMask is icmp-rate-mask,
	// the ICMP types it applies to (a bit per type).
	ICMPRateLimit int
	ICMPRateMask  uint32
	// ICMPErrorsUseInbound is icmp-errors-use-inbound-interface-address (7).
	ICMPErrorsUseInbound bool
	// TCPTimestamps is tcp-timestamps (7) as Linux counts: 0 disabled, 1
	// random-offset, 2 enabled (without the random offset).
	TCPTimestamps int
	// MultipathHash is ipv4-multipath-hash-policy (7) as Linux's
	// fib_multipath_hash_policy counts: 0 l3 (source and destination
	// address, RouterOS's default), 1 l4, 2 l3-inner.
	MultipathHash int
}

func bit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// confKeys are the per-interface settings, as conf/<if>/<key>.
func (s *IPSettings) confKeys() [][2]string {
	return [][2]string{
		{"send_redirects", bit(s.SendRedirects)},
		{"accept_redirects", bit(s.AcceptRedirects)},
		{"secure_redirects", bit(s.SecureRedirects)},
		{"accept_source_route", bit(s.AcceptSourceRoute)},
		{"rp_filter", strconv.Itoa(s.RPFilter)},
	}
}

// files are the sysctl files under /proc/sys/net/ipv4 that s sets, given
// the namespace's interfaces (conf's entries besides all and default).
// ip_forward is first: Linux resets conf/all/accept_redirects when it
// changes (inet_forward_change), so the interface settings follow it.
func (s *IPSettings) files(ifaces []string) [][2]string {
	w := [][2]string{
		{"ip_forward", bit(s.Forward)},
		{"tcp_syncookies", bit(s.SynCookies)},
		{"icmp_ratelimit", strconv.Itoa(s.ICMPRateLimit)},
		{"icmp_ratemask", strconv.FormatUint(uint64(s.ICMPRateMask), 10)},
		{"icmp_errors_use_inbound_ifaddr", bit(s.ICMPErrorsUseInbound)},
		{"tcp_timestamps", strconv.Itoa(s.TCPTimestamps)},
		{"fib_multipath_hash_policy", strconv.Itoa(s.MultipathHash)},
	}
	for _, k := range s.confKeys() {
		for _, i := range append([]string{"all", "default"}, ifaces...) {
			w = append(w, [2]string{filepath.Join("conf", i, k[0]), k[1]})
		}
	}
	return w
}

// syncIPSettings writes st.IPSettings where the namespace differs, and
// undoes it if a later step of the Apply fails. A nil IPSettings leaves
// the namespace as it is.
func (d *Dataplane) syncIPSettings(st *State, undo *[]func() error) error {
	if st.IPSettings == nil {
		return nil
	}
	const dir = "/proc/sys/net/ipv4"
	// The kernel keeps icmp_ratelimit in jiffies, so 10 reads back as 12
	// at HZ=250: the reading never equals what was written, and comparing
	// them would write it on every Apply. What was last applied, with the
	// interfaces it went to, is compared instead.
	key := fmt.Sprintf("%+v|%v", *st.IPSettings, st.shapedLinks())
	if key == d.ipSettingsKey {
		return nil
	}
	var ifaces, missing []string
	have := map[string]string{}
	var want [][2]string
	err := inNetns(d.ns, func() error {
		entries, err := os.ReadDir(filepath.Join(dir, "conf"))
		if err != nil {
			return err
		}
		for _, e := range entries {
			if n := e.Name(); n != "all" && n != "default" {
				ifaces = append(ifaces, n)
			}
		}
		want = st.IPSettings.files(ifaces)
		for _, kv := range want {
			v, err := os.ReadFile(filepath.Join(dir, kv[0]))
			if os.IsNotExist(err) {
				// An interface that went away while we read, or a
				// kernel without the setting: it cannot be applied,
				// which the router's warnings say, and the rest is.
				if !strings.HasPrefix(kv[0], "conf/") {
					missing = append(missing, kv[0])
				}
				continue
			}
			if err != nil {
				return err
			}
			have[kv[0]] = strings.TrimSpace(string(v))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("apply /ip settings: read the router's sysctls: %w", err)
	}
	for _, m := range missing {
		if w := "the kernel has no net.ipv4." + m + ": that /ip settings value is not applied"; !slices.Contains(d.warnings, w) {
			d.warnings = append(d.warnings, w)
		}
	}
	var change, back [][2]string
	for _, kv := range want {
		cur, ok := have[kv[0]]
		if !ok || cur == kv[1] {
			continue
		}
		change = append(change, kv)
		back = append([][2]string{{kv[0], cur}}, back...)
	}
	prevKey := d.ipSettingsKey
	d.ipSettingsKey = key
	*undo = append(*undo, func() error {
		d.ipSettingsKey = prevKey
		if len(back) == 0 {
			return nil
		}
		return writeNetConf(d.ns, dir, back)
	})
	if len(change) == 0 {
		return nil
	}
	if err := writeNetConf(d.ns, dir, change); err != nil {
		return fmt.Errorf("apply /ip settings: %w", err)
	}
	return nil
}
