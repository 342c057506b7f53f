package kernel

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// TestRenderRandomJumps builds rule sets RouterOS accepts from random
// chains, jumps (to user and built-in chains, loops included) and the
// matchers and actions the kernel allows only on some hooks, for every
// table, and loads each rendering with nft -f into a namespace (as root):
// nft refused such sets at load with the whole table (planChains). Fixed
// seeds, so a failure repeats.
func TestRenderRandomJumps(t *testing.T) {
	t.Parallel()
	tables := map[string]struct {
		chains []string
		extra  [][]string // matchers and actions beside the jumps
	}{
		"filter": {[]string{"input", "forward", "output", "a", "b", "c"}, [][]string{
			{"ipsec-policy=in,ipsec", "action=accept"}, {"ipsec-policy=out,none", "action=drop"},
			{"src-mac-address=00:11:22:33:44:55", "action=drop"}, {"protocol=udp", "action=drop"},
			{"in-interface=ether1", "action=accept"}, {"out-interface=ether2", "action=accept"},
			{"connection-state=invalid", "action=drop"}, {"protocol=tcp", "action=reject", "reject-with=tcp-reset"},
			{"action=return"}}},
		"mangle": {[]string{"prerouting", "input", "forward", "output", "postrouting", "a", "b"}, [][]string{
			{"protocol=tcp", "tcp-flags=syn", "action=change-mss", "new-mss=clamp-to-pmtu"},
			{"protocol=tcp", "tcp-flags=syn", "action=change-mss", "new-mss=1400"},
			{"ipsec-policy=in,ipsec", "action=accept"}, {"src-mac-address=00:11:22:33:44:55", "action=mark-packet", "new-packet-mark=m"},
			{"action=mark-connection", "new-connection-mark=c", "passthrough=yes"}, {"action=change-ttl", "new-ttl=set:64"}}},
		"raw": {[]string{"prerouting", "output", "a", "b"}, [][]string{
			{"ipsec-policy=in,ipsec", "action=notrack"}, {"src-mac-address=00:11:22:33:44:55", "action=drop"},
			{"protocol=udp", "action=notrack"}}},
		"nat": {[]string{"dstnat", "srcnat", "a"}, [][]string{
			{"ipsec-policy=in,none", "action=accept"}, {"src-mac-address=00:11:22:33:44:55", "action=accept"},
			{"protocol=udp", "action=return"}}},
		// Translations, in built-in chains and in user chains reached
		// through a jump to the other direction's built-in chain
		// (review44 finding 1); draws the configuration layer refuses
		// (natAccepted) are drawn again.
		"natx": {[]string{"dstnat", "srcnat", "a", "b"}, [][]string{
			{"out-interface=ether1", "action=masquerade"}, {"protocol=tcp", "dst-port=8080", "action=dst-nat", "to-addresses=192.168.88.10"},
			{"action=src-nat", "to-addresses=10.0.0.1"}, {"protocol=udp", "action=redirect", "to-ports=53"},
			{"action=netmap", "to-addresses=10.1.0.0/24"}, {"protocol=udp", "action=return"}}},
	}
	load := nftLoader(t)
	for _, name := range []string{"filter", "mangle", "raw", "nat", "natx"} {
		tb := tables[name]
		for seed := int64(1); seed <= 12; seed++ {
			rng := rand.New(rand.NewSource(seed))
			var rules []Rule
			for draw := 0; draw == 0 || (name == "natx" && !natAccepted(rules)); draw++ {
				rules = nil
				for i := 0; i < 12; i++ {
					id := fmt.Sprintf("*%X", i+1)
					chain := tb.chains[rng.Intn(len(tb.chains))]
					kv := []string{"chain=" + chain}
					if rng.Intn(2) == 0 {
						kv = append(kv, "action=jump", "jump-target="+tb.chains[rng.Intn(len(tb.chains))])
					} else {
						kv = append(kv, tb.extra[rng.Intn(len(tb.extra))]...)
					}
					rules = append(rules, rule(id, kv...))
				}
			}
			st := &State{InterfaceLists: map[string][]string{}}
			switch name {
			case "filter":
				st.Filter = rules
			case "mangle":
				st.Mangle = rules
			case "raw":
				st.Raw = rules
			case "nat", "natx":
				st.NAT = rules
			}
			t.Run(fmt.Sprintf("%s/%d", name, seed), func(t *testing.T) {
				text, err := Render(st)
				if err != nil {
					var b strings.Builder
					for _, r := range rules {
						fmt.Fprintf(&b, "%s %v\n", r.ID, r.Props)
					}
					t.Fatalf("render: %v\n%s", err, b.String())
				}
				load(t, text)
			})
		}
	}
}

// natAccepted: the configuration layer (rosemu/config's natChainError)
// accepts every translation of rules: in a built-in chain it is valid in,
// or in a user chain reached through user chains only from such chains,
// and a netmap's user chain not from both directions.
func natAccepted(rules []Rule) bool {
	reach := NATReach(rules)
	for _, r := range rules {
		allowed := NATActionChains(r.Props["action"])
		if allowed == nil {
			continue
		}
		from := []string{r.Props["chain"]}
		user := !isBuiltin("nat", r.Props["chain"])
		if user {
			from = reach[r.Props["chain"]]
		}
		for _, c := range from {
			if !contains(allowed, c) {
				return false
			}
		}
		if user && r.Props["action"] == "netmap" && contains(from, "srcnat") && contains(from, "dstnat") {
			return false
		}
	}
	return true
}
