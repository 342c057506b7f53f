package config

import "github.com/chrlab/chrlab/rosemu/script"

// /system reboot and /system shutdown, as maintenance scripts end
// (eworm's packages-update and firmware-upgrade-reboot, nightly-reboot
// schedulers). RouterOS reboots: the running script stops there, what it
// changed before stays (the configuration is kept), and the scheduler's
// startup entries run again after boot (Scheduler page,
// https://help.mikrotik.com/docs/display/ROS/Scheduler: "Rebooting the
// router will reset the run-count counter"; a script needs the reboot
// policy, Scripting page). rosemu does not reboot itself from a script:
// the lab's own restart of a router is a container restart (docs/
// robustness.md). The command stops the script as an interrupted command
// (category 2, which :do on-error, :onerror and :retry do not catch, as a
// reboot cannot be caught), keeps what the script did, and logs that the
// router was not rebooted, so validate and the log report it.
//
// /system reset-configuration (realcheck20 D10) erases the configuration
// and reboots: keep-users, no-defaults and skip-backup (yes/no) and
// run-after-reset (a script file to import once the router is up
// again), Configuration Management page, "Configuration Reset",
// https://help.mikrotik.com/docs/display/ROS/Configuration+Management.
// In an import or script it is the end: the router goes down with it.
// rosemu takes it as it takes a reboot: the arguments are checked (an
// unknown one is "expected end of command", a yes/no that is neither is "invalid
// value for argument", at its column), the script stops there and the
// configuration stays, for the lab's router is configured by the lab
// and has no default configuration to go back to; validate reports the
// line with why.
var systemPowerMenu = &menu{
	path: "system", readOnly: true,
	commands: map[string]menuCommand{
		"reboot":   {syntax: &script.Syntax{}, run: powerCmd("reboot")},
		"shutdown": {syntax: &script.Syntax{}, run: powerCmd("shutdown")},
		"reset-configuration": {syntax: &script.Syntax{Params: map[string]bool{
			"keep-users": true, "no-defaults": true, "skip-backup": true, "run-after-reset": true,
		}}, run: resetConfigurationCmd},
	},
}

// resetConfigurationCmd checks the arguments of /system
// reset-configuration and then stops the script as a reboot does.
func resetConfigurationCmd(t *tx, req *request) (result, error) {
	for _, a := range req.args {
		if a.name == "run-after-reset" {
			continue // a file name; [verify] whether RouterOS checks that it exists before the reset
		}
		if _, err := pBool(t, a.name, a.value); err != nil {
			return result{}, err
		}
	}
	t.r.sys.power = "reset-configuration"
	t.r.appendLog(script.LogEntry{Time: t.now, Topics: "system,warning", Msg: "system reset-configuration asked: rosemu does not erase its configuration or reboot; the script stops here and the router keeps running as it is"})
	return result{}, &script.Error{Msg: "interrupted: system reset-configuration (rosemu stays up with its configuration)", Category: 2}
}

func powerCmd(what string) func(t *tx, req *request) (result, error) {
	return func(t *tx, req *request) (result, error) {
		t.r.sys.power = what
		t.r.appendLog(script.LogEntry{Time: t.now, Topics: "system,warning", Msg: "system " + what + " asked: rosemu does not " + what + " from a script; the script stops here and the router keeps running as it is"})
		return result{}, &script.Error{Msg: "interrupted: system " + what + " (rosemu stays up)", Category: 2}
	}
}

func init() { insertMenus("system script", systemPowerMenu) }

// powerReason is validate's verdict on a line that reboots or shuts down.
const powerReason = "RouterOS would stop the script here and restart; rosemu logs it and keeps running (what follows in the same script does not run)"

// resetReason is validate's verdict on /system reset-configuration.
const resetReason = "RouterOS would erase the configuration and reboot here, which ends the import (what follows in the file does not run there); rosemu keeps its configuration, logs it and stops the script"

// powerWhy is validate's reason for the power command asked.
func powerWhy(power string) string {
	if power == "reset-configuration" {
		return resetReason
	}
	return powerReason
}
