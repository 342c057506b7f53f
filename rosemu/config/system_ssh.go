package config

import "github.com/chrlab/chrlab/rosemu/script"

// /system ssh and /system ssh-exec run a command on another router over
// SSH; management scripts use them on every neighbour or access point
// ("/system ssh address=$IP user=admin command=\"/system identity set
// ...\"", a public script that secures new access points). rosemu opens no
// SSH connection from a lab router's scripts, so both fail as a
// connection that cannot be made does, and a script's ":do { } on-error="
// handles it; a script without one stops there, keeping what it did. They
// were "bad command name ssh", which refused the whole script even when
// the line never ran. Source: SSH page of the manual,
// https://help.mikrotik.com/docs/display/ROS/SSH; [verify] RouterOS's
// words for a connection that fails.
var sshParams = map[string]bool{
	"address": true, "user": true, "port": true, "command": true, "local-address": true,
	"src-address": true, "output-to-file": true, "vrf": true,
}

func sshCmd(t *tx, req *request) (result, error) {
	addr, _ := argValue(req.args, "address")
	if addr == "" && req.hasRef {
		addr = req.ref
	}
	return result{}, errFailure("address", "could not connect: rosemu opens no SSH connection to "+addr+" from a lab router's scripts")
}

func init() {
	systemPowerMenu.commands["ssh"] = menuCommand{syntax: &script.Syntax{Params: sshParams, Unnamed: 1}, run: sshCmd}
	systemPowerMenu.commands["ssh-exec"] = menuCommand{syntax: &script.Syntax{Params: sshParams, Flags: map[string]bool{"as-value": true}, Unnamed: 1}, run: sshCmd}
}
