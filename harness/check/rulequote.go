package check

import (
	"fmt"
	"strings"
)

// A verbose export writes a rule with everything it holds (comments of a
// paragraph, log prefixes, address lists of forty names): one of 700
// characters was quoted whole in every finding that named it, on the
// terminal, in check.md, check.html and check.json (chk61 C5). A finding
// quotes its rule by line number and what decides the finding: the
// chain, the action, the matchers and the translation, without the
// comment, logging and bookkeeping, each value cut short when it is long
// itself. A rule of ordinary length is quoted as written.

// quoteLimit is the length up to which a rule is quoted whole.
const quoteLimit = 200

// valueLimit is the length of a value kept whole in an abridged rule.
const valueLimit = 40

// notMatchers are the arguments that neither select packets nor say what
// the rule does to them.
var notMatchers = map[string]bool{"comment": true, "log": true, "log-prefix": true, "disabled": true, "address-list-timeout": true, "place-before": true}

// ruleQuote is a finding's rule as quoted: whole when short, else its
// essential arguments in the export's order, marked as abridged. What
// comes before the arguments (a menu path, the verb, a set's target
// "[ find where ... ]") is kept as written: the notes that quote an edit
// line or a line set aside quote it with its menu and target (chk62 C).
func ruleQuote(raw string) string {
	raw = strings.TrimSpace(raw)
	if len(raw) <= quoteLimit {
		return raw
	}
	words := splitQuoted(raw)
	var head, rest []string
	cut, args, depth := false, false, 0
	for _, w := range words {
		k, v, ok := strings.Cut(w, "=")
		if depth > 0 || !args && (!ok || strings.HasPrefix(w, "[")) {
			head = append(head, w)
			depth += strings.Count(w, "[") - strings.Count(w, "]")
			continue
		}
		args = true
		if !ok {
			if strings.HasPrefix(w, "!") {
				rest = append(rest, w) // a set's unset property
			} else {
				cut = true
			}
			continue
		}
		if notMatchers[k] {
			cut = true
			continue
		}
		if r := []rune(v); len(r) > valueLimit {
			cut = true
			v = strings.TrimSuffix(string(r[:valueLimit-1]), `"`) + "…"
			if strings.HasPrefix(v, `"`) {
				v += `"`
			}
		}
		rest = append(rest, k+"="+v)
	}
	if !cut {
		// Every argument matters and none is long: nothing to leave
		// out, and a rule quoted whole needs no mark.
		return raw
	}
	return fmt.Sprintf("%s (abridged: %d characters in the export)", strings.Join(append(head, rest...), " "), len(raw))
}
