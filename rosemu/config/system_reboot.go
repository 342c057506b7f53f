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
var systemPowerMenu = &menu{
	path: "system", readOnly: true,
	commands: map[string]menuCommand{
		"reboot":   {syntax: &script.Syntax{}, run: powerCmd("reboot")},
		"shutdown": {syntax: &script.Syntax{}, run: powerCmd("shutdown")},
	},
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
