package kernel

// NATReach returns, for every user chain of the nat rules, the built-in
// chains (dstnat, srcnat, input, output) whose packets reach it through
// enabled jumps, directly or through other user chains, in builtins order.
// A rule in a user chain acts on the hook of the chain that jumped to it
// (NAT manual, "chain": a user chain is reached by action=jump), and the
// kernel allows a translation only on some hooks (dnat before routing,
// snat after it): nft refuses the whole table when a masquerade sits in a
// chain reached from prerouting, so the check must know the reach before
// the table is loaded. Unreached chains are absent.
func NATReach(rules []Rule) map[string][]string {
	edges := map[string][]string{}
	for _, r := range rules {
		if r.Props["disabled"] == "yes" || r.Props["action"] != "jump" || NeverMatches(r.Props) != "" {
			continue
		}
		from, to := r.Props["chain"], r.Props["jump-target"]
		if to == "" || isBuiltin("nat", to) {
			continue
		}
		edges[from] = append(edges[from], to)
	}
	reach := map[string]map[string]bool{}
	for _, b := range builtins["nat"] {
		seen := map[string]bool{}
		stack := append([]string{}, edges[b.name]...)
		for len(stack) > 0 {
			c := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[c] {
				continue
			}
			seen[c] = true
			if reach[c] == nil {
				reach[c] = map[string]bool{}
			}
			reach[c][b.name] = true
			stack = append(stack, edges[c]...)
		}
	}
	out := map[string][]string{}
	for c, from := range reach {
		for _, b := range builtins["nat"] {
			if from[b.name] {
				out[c] = append(out[c], b.name)
			}
		}
	}
	return out
}

// NATActionChains names the built-in nat chains in which the kernel can
// apply a translation action (nil: any chain): the rule's own chain, or
// every chain that reaches its user chain, must be one of them.
func NATActionChains(action string) []string {
	switch action {
	case "dst-nat", "redirect":
		return []string{"dstnat", "output"}
	case "src-nat":
		return []string{"srcnat", "input"}
	case "masquerade":
		return []string{"srcnat"}
	case "netmap", "same":
		return []string{"dstnat", "srcnat", "input", "output"}
	}
	return nil
}

// natDirection is the nft verb of a translation in the given built-in
// chains: "snat" or "dnat" when they all agree, "" when they differ or
// there are none.
func natDirection(chains []string) string {
	verbs := map[string]bool{}
	for _, c := range chains {
		switch builtinHook("nat", c) {
		case "postrouting", "input":
			verbs["snat"] = true
		case "prerouting", "output":
			verbs["dnat"] = true
		}
	}
	if len(verbs) != 1 {
		return ""
	}
	for v := range verbs {
		return v
	}
	return ""
}
