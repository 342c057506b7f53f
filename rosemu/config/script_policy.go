package config

import (
	"strings"
)

// Script policies (forum35 D11). RouterOS runs a scheduler entry's
// commands with the entry's policy, and a script the entry names in
// on-event (or runs with /system script run) with the entry's policy too;
// /system script run <name> use-script-permissions (7.15 and later) runs
// it with the script's own. A caller cannot run a script whose policy has
// a policy the caller lacks, unless the script has
// dont-require-permissions=yes; and a command that needs a policy the run
// lacks fails with "not enough permissions (9)", which the log shows with
// the command and line. Scripting page, "Script permissions",
// https://help.mikrotik.com/docs/display/ROS/Scripting; Scheduler page,
// https://help.mikrotik.com/docs/display/ROS/Scheduler; the policies'
// meanings, User page, https://help.mikrotik.com/docs/display/ROS/User.
// rosemu enforces read (print, get, find, export), write (every other
// menu command, and the /user menus need policy too), test (/ping,
// /tool flood-ping) and reboot (/system reboot, shutdown,
// reset-configuration); ftp, sensitive, password, sniff and romon are
// stored, not enforced (policyNotEnforced).

// genericWrite are the verbs that change a menu's items.
var genericWrite = map[string]bool{"add": true, "set": true, "remove": true, "enable": true, "disable": true, "move": true, "unset": true, "reset": true, "comment": true, "import": true}

// errPermissions is RouterOS's refusal of a command the run's policy does
// not allow.
func errPermissions() *Error {
	return &Error{Msg: "not enough permissions (9)", Category: 0}
}

// policySet reads a policy property ("read,write,test").
func policySet(v string) map[string]bool {
	s := map[string]bool{}
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			s[p] = true
		}
	}
	return s
}

// itemPolicy is the policy of a script or scheduler entry: the default
// one when it was added without policy= (the property is then not
// stored).
func itemPolicy(it *item) string {
	if v, ok := it.props["policy"]; ok {
		return v
	}
	return defaultPolicy
}

// allows reports whether the run may use the policy p.
func (t *tx) allows(p string) bool {
	return t.policy == nil || t.policy[p]
}

// covers reports whether the run's policy has every policy of a script's
// policy value: a caller may run only such a script.
func (t *tx) covers(policy string) bool {
	for p := range policySet(policy) {
		if !t.allows(p) {
			return false
		}
	}
	return true
}

// needPolicy is the policy check of one command: the verb on the menu
// path (req.path, or the menu's path) against the run's policy.
func (t *tx) needPolicy(req *request) error {
	if t.policy == nil {
		return nil
	}
	path := req.path
	if req.menu != nil {
		path = req.menu.path
	}
	var need []string
	switch {
	case req.verb == "ping" && req.path == "", req.verb == "flood-ping", req.verb == "bandwidth-test" && req.path == "tool":
		need = []string{"test"}
	case req.verb == "fetch" && req.path == "tool":
		// ftp (and which others) a fetch needs is not confirmed
		// [verify]: stored, not enforced.
		return nil
	case path == "system" && (req.verb == "reboot" || req.verb == "shutdown" || req.verb == "reset-configuration"):
		need = []string{"reboot"}
	case req.verb == "run" && path == "system script":
		// The run itself needs nothing of its own: the script's policy
		// is checked against the caller's (runScriptCmd).
		return nil
	case !changes(req.verb):
		need = []string{"read"}
	case !genericWrite[req.verb] && req.menu != nil && req.menu.commands[req.verb].run != nil:
		// A menu's own command (make-static, renew, monitor, ...): which
		// of these change the configuration RouterOS decides per
		// command; rosemu asks read of them all [verify].
		need = []string{"read"}
	case path == "user" || strings.HasPrefix(path, "user "):
		need = []string{"write", "policy"}
	default:
		need = []string{"write"}
	}
	for _, p := range need {
		if !t.allows(p) {
			return errPermissions()
		}
	}
	return nil
}
