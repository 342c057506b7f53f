package config

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/rosemu/script"
)

// The /system script menu (docs/routeros.md). RouterOS accepts any source at add
// and set and compiles it only when the script runs: a script with a
// syntax error is stored, shows the I (invalid) flag in print, and fails
// each run with the parser's message and position, which the run's caller
// gets and, for scheduler runs, /log shows. rosemu follows RouterOS here
// rather than refusing the source at add, so that a configuration that
// loads on RouterOS loads on rosemu too. [verify] the invalid flag's exact
// rules on CHR (the compile check at print uses the strict rules of a run).

// defaultPolicy is the policy of scripts and scheduler entries added
// without one.
const defaultPolicy = "ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon"

// policyNotEnforced is why a script's or scheduler entry's policy is
// reported: rosemu enforces read, write, policy (the /user menus), test
// and reboot (script_policy.go), not the others, so a command RouterOS
// refuses without ftp or sensitive ("not enough permissions") runs.
const policyNotEnforced = "rosemu enforces read, write, policy, test and reboot; ftp, sensitive, password, sniff and romon are stored, not enforced: a command RouterOS would refuse without one of them (a fetch, reading secrets) runs anyway"

// policyInert: a policy with ftp and sensitive lacks nothing rosemu does
// not enforce; one with read and write lets a script do what most scripts
// do (print and change the configuration), and whether RouterOS refuses
// such a script's fetch without ftp is unconfirmed [verify], so the note
// would say nothing worth a report: the exports' usual
// "ftp,reboot,read,write,policy,test,..." and a hAP's "read,write" are
// such policies. What a policy lacks of read, write, policy, test and
// reboot is enforced.
func policyInert(props map[string]string) bool {
	p := "," + props["policy"] + ","
	has := func(x string) bool { return strings.Contains(p, ","+x+",") }
	return props["policy"] == "" || has("read") && has("write") || has("ftp") && has("sensitive")
}

var policies = []string{"ftp", "reboot", "read", "write", "policy", "test", "password", "sniff", "sensitive", "romon", "api", "rest-api", "local", "telnet", "ssh", "web", "winbox", "dude"}

var scriptMenu = &menu{
	path: "system script", nameProp: "name",
	props: []*prop{
		{name: "name", parse: pNonEmpty, required: true},
		// RouterOS's exports write policy and dont-require-permissions
		// of every script, at their defaults too (realcheck34 D1).
		{name: "policy", parse: pSet(policies...), def: defaultPolicy, show: true, notEnforced: policyNotEnforced, inert: policyInert, writeDefault: true},
		{name: "dont-require-permissions", parse: pBool, def: "no", show: true, isBool: true, writeDefault: true, writeDefaultSince: "6.43"},
		{name: "source", parse: pScriptSource, def: "", show: true},
		comment,
	},
	check: checkScriptName("system script"),
	readonly: func(t *tx, it *item) []Prop {
		ps := []Prop{{"run-count", strconv.Itoa(t.r.sys.runCount[it.id])}}
		if ls, ok := t.r.sys.lastStarted[it.id]; ok {
			ps = append(ps, Prop{"last-started", ls.Format("2006-01-02 15:04:05")})
		}
		return append(ps, Prop{"invalid", boolAPI(!t.compiles(it.props["source"]))})
	},
}

// The run command is set here: a menu literal that refers to the item
// lookup would make the menus list refer to itself.
func init() {
	scriptMenu.commands = map[string]menuCommand{
		"run": {syntax: &script.Syntax{Params: map[string]bool{"number": true}, Flags: map[string]bool{"use-script-permissions": true}, Unnamed: 1}, run: runScriptCmd},
	}
}

// checkScriptName keeps the names of a menu's items unique.
// [verify] RouterOS's wording of the failure.
func checkScriptName(table string) func(t *tx, it *item) error {
	return func(t *tx, it *item) error {
		for _, x := range t.m.tables[table] {
			if x.id != it.id && x.props["name"] == it.props["name"] {
				return errFailure("name", "item with such name already exists")
			}
		}
		return nil
	}
}

// compiles reports whether a source compiles under a run's rules.
// pScriptSource takes a script's source whether or not it compiles, as
// RouterOS does (it flags the script invalid); validate reports one that
// does not compile in rosemu with the parser's message, since it would
// fail when it runs (a failover script's "[/ping ...]" before rosemu had
// /ping was taken without a word).
func pScriptSource(t *tx, name, v string) (string, error) {
	if _, err := script.ParseWith(v, t.r.parseOptions()); err != nil {
		t.r.sys.scriptGap = name + ": the script does not compile in rosemu (" + err.Error() + "): it is stored (invalid), and fails in rosemu when it runs"
	}
	return v, nil
}

// pEventScript takes an event's script text (scheduler on-event, netwatch
// up-, down- and test-script) as RouterOS does, whether or not it
// compiles; one that is not a script's name (a single word: exports write
// the scheduler before the scripts it names) and does not compile in
// rosemu is reported by validate, as it fails when the event runs it.
func pEventScript(t *tx, name, v string) (string, error) {
	if w := strings.TrimSpace(v); w == "" || !strings.ContainsAny(w, " \t\r\n/:;[$\"{") {
		return v, nil
	}
	if _, err := script.ParseWith(v, t.r.parseOptions()); err != nil {
		t.r.sys.scriptGap = name + ": the script does not compile in rosemu (" + err.Error() + "): it is stored, and fails in rosemu when it runs"
	}
	return v, nil
}

func (t *tx) compiles(src string) bool {
	_, err := script.ParseWith(src, t.r.parseOptions())
	return err == nil
}

// runScriptCmd is /system script run <name|id|number> (console) and
// /system/script/run =number=<name|id> (API).
func runScriptCmd(t *tx, req *request) (result, error) {
	ref, ok := req.ref, req.hasRef
	if v, has := argValue(req.args, "number"); has {
		ref, ok = v, true
	}
	if !ok || strings.TrimSpace(ref) == "" {
		return result{}, &Error{Msg: "missing value for argument number", Category: 1, arg: "number"}
	}
	own := req.flags["use-script-permissions"]
	if own && !versionAtLeast(t.r.opts.Version, 7, 15) {
		// The flag came with 7.15 (changelog) [verify]; before, the word
		// is not a parameter of run.
		return result{}, &Error{Msg: "expected end of command", Category: 0, arg: "use-script-permissions"}
	}
	items, err := t.resolve(req.menu, ref)
	if err != nil {
		return result{}, err
	}
	for _, it := range items {
		if _, err := t.runScriptItem(context.Background(), req.interp, it, own); err != nil {
			err = scriptError(err)
			var se *script.Error
			if errors.As(err, &se) && se.Pos.Line > 0 && se.In == "" {
				// The position is in this script's source.
				cp := *se
				cp.In = it.props["name"]
				err = &cp
			}
			return result{}, err
		}
	}
	return result{}, nil
}

// runScriptItem counts and runs one /system script item in t, with the
// caller's policy, or with the script's own when own
// (use-script-permissions). A caller whose policy lacks one of the
// script's may not run it, unless the script has
// dont-require-permissions=yes; such a script then runs with its own
// policies added to the caller's [verify] (script_policy.go).
func (t *tx) runScriptItem(ctx context.Context, parent *script.Interp, it *item, own bool) (string, error) {
	bypass := it.props["dont-require-permissions"] == "yes"
	if !bypass && !t.covers(itemPolicy(it)) {
		return "", errPermissions()
	}
	callerPolicy := t.policy
	defer func() { t.policy = callerPolicy }()
	switch {
	case own:
		t.policy = policySet(itemPolicy(it))
	case bypass && t.policy != nil:
		t.policy = policySet(itemPolicy(it))
		for p := range callerPolicy {
			t.policy[p] = true
		}
	}
	t.r.sys.runCount[it.id]++
	t.r.sys.lastStarted[it.id] = t.now
	saved := t.job
	name := it.props["name"]
	t.job = name
	t.r.sys.jobs = append(t.r.sys.jobs, name)
	defer func() {
		t.job = saved
		t.r.sys.popJob(name)
	}()
	return t.runSource(ctx, parent, it.props["source"], false)
}
