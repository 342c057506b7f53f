package kernel

import (
	"fmt"
	"strings"
)

// Address lists that rules add to (add-src-to-address-list, port knocking)
// get a second set, ald_<list>, filled by the kernel with timeouts. The
// static set al_<list> is an interval set, and the kernel cannot add
// elements with timeouts to an interval set from the packet path, so a
// list's members are the union of the two sets. Entries the kernel added
// are lost when the configuration changes and the table is replaced.

// dynamicLists names the lists that some enabled rule adds to.
func dynamicLists(st *State) map[string]bool {
	out := map[string]bool{}
	for _, rules := range [][]Rule{st.Filter, st.NAT, st.Mangle, st.Raw} {
		for _, r := range rules {
			if r.Props["disabled"] == "yes" {
				continue
			}
			switch r.Props["action"] {
			case "add-src-to-address-list", "add-dst-to-address-list":
				if l := r.Props["address-list"]; l != "" {
					out[l] = true
				}
			}
		}
	}
	return out
}

// renderDynLists writes the dynamic sets.
func renderDynLists(b *strings.Builder, lists map[string]bool) error {
	for _, n := range sortedKeys(lists) {
		id, err := ident("ald_", n)
		if err != nil {
			return err
		}
		fmt.Fprintf(b, "\t# RouterOS address list %s: entries added by rules\n\tset %s {\n\t\ttype ipv4_addr\n\t\tflags dynamic, timeout\n\t}\n", quoteText(n, 200), id)
	}
	return nil
}

// dynListVariants matches a list with a dynamic part: a positive match is
// two rules a packet can match at most one of; a negative one is a single
// rule that excludes both sets.
//
//	src-address-list=L  -> ip saddr @al_L ... ; ip saddr != @al_L ip saddr @ald_L ...
//	src-address-list=!L -> ip saddr != @al_L ip saddr != @ald_L
func dynListVariants(field, v string) ([][]string, error) {
	neg, name := negated(v)
	st, err := ident("al_", name)
	if err != nil {
		return nil, err
	}
	dy, err := ident("ald_", name)
	if err != nil {
		return nil, err
	}
	f := "ip " + field + " "
	if neg {
		return [][]string{{f + "!= @" + st, f + "!= @" + dy}}, nil
	}
	return [][]string{{f + "@" + st}, {f + "!= @" + st, f + "@" + dy}}, nil
}

// crossVariants combines two sets of alternative expression lists: a rule
// that needs one of a and one of b becomes one line per pair. nil stands for
// "no alternatives".
func crossVariants(a, b [][]string) [][]string {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	var out [][]string
	for _, x := range a {
		for _, y := range b {
			out = append(out, append(append([]string{}, x...), y...))
		}
	}
	return out
}
