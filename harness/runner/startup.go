package runner

import (
	"bytes"
	"context"
	"slices"

	"github.com/chrlab/chrlab/harness/ros"
)

// startupRun runs, once, the on-event of every enabled start-time=startup
// scheduler entry without an interval, in list order: a case's router
// configuration is the configuration its router boots with, and RouterOS
// runs such an entry once, 3 s after boot (Scheduler page,
// https://help.mikrotik.com/docs/display/ROS/Scheduler). The lab applies
// the configuration to a router that has already booted, where RouterOS
// would wait for the next reboot, and rosemu used to run the entry or not
// depending on whether it was added within 3 s of its start (forum44 D5).
// Run here, on CHR and rosemu alike, the run happens before the first
// step, every time. on-event is a script's name or the commands
// themselves, as the scheduler reads it; a failing run is logged, as the
// scheduler logs it, and does not stop the case.
const startupRun = `:foreach e in=[/system scheduler find where start-time=startup disabled=no] do={
  :if ([:tostr [/system scheduler get $e interval]] = "00:00:00") do={
    :local ev [/system scheduler get $e on-event]
    :local name [/system scheduler get $e name]
    :do {
      :if ([:len [/system script find where name=$ev]] > 0) do={ /system script run $ev } else={ [:parse $ev] }
    } on-error={ :log error ("startup scheduler entry " . $name . " failed") }
  }
}`

// runStartup runs startupRun on the router, when one of the texts applied
// names a startup entry at all: a configuration without the word has none,
// and the lab spares every other run the round trip.
func runStartup(ctx context.Context, rc *ros.Client, file string, applied ...[]byte) error {
	if !slices.ContainsFunc(applied, func(b []byte) bool { return bytes.Contains(b, []byte("startup")) }) {
		return nil
	}
	return rc.Apply(ctx, file+" (its start-time=startup scheduler entries, run once as at boot)", []byte(startupRun))
}
