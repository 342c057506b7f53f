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
// step, every time.
//
// The router's own scheduler makes the run: each entry is given today's
// date and a start time two seconds ahead (taken after the scripts for
// inline commands are made, so that a slow router, the vm under TCG, does
// not pass it while it makes them and leave an entry waiting for the next
// day), and the text waits (up to 30 s)
// until each has run and no script job is left, then gives each back its
// start-time=startup. Inline commands are run as a /system script made
// for the run (chrlab-startup-N, with the entry's policy, which the entry
// then names), so that their run is a job the text can wait for: a
// startup on-event that begins with ":delay 10s" ends before the first
// step, as it did when the text ran it; the entry's on-event is set back
// and the script removed after. So the run is the entry's own, as at boot: with the
// entry's policy (a policy=read entry cannot run a script that writes:
// "not enough permissions", forum60 D1, where the console text ran it
// with every policy), logged under the entry's name, counted in its
// run-count, the entries due together started in list order (the
// Scheduler page), and a script that disables or removes its own entry
// does so. The two seconds keep clear of midnight (a start time must
// stay within the day).
const startupRun = `:local due [:toarray ""]
:foreach e in=[/system scheduler find where start-time=startup disabled=no] do={
  :if ([:tostr [/system scheduler get $e interval]] = "00:00:00") do={ :set due ($due, $e) }
}
:if ([:len $due] > 0) do={
  :local runs [:toarray ""]
  :local inline [:toarray ""]
  :foreach e in=$due do={
    :set runs ($runs, [:tonum [/system scheduler get $e run-count]])
    :local ev [/system scheduler get $e on-event]
    :if ([:len [/system script find where name=$ev]] = 0) do={
      :local tmp ("chrlab-startup-" . [:len $inline])
      /system script add name=$tmp source=$ev policy=[/system scheduler get $e policy]
      /system scheduler set $e on-event=$tmp
      :set inline ($inline, {{"e"=$e; "ev"=$ev; "tmp"=$tmp}})
    }
  }
  :if (([:totime [/system clock get time]] + 3s) >= 1d) do={ :delay 5s }
  :local at ([:totime [/system clock get time]] + 2s)
  :local day [/system clock get date]
  :foreach e in=$due do={ /system scheduler set $e start-date=$day start-time=$at }
  :local left [:len $due]
  :local waited 0
  :while ($left > 0 && $waited < 30) do={
    :delay 1s
    :set waited ($waited + 1)
    :set left 0
    :for i from=0 to=([:len $due] - 1) do={
      :do {
        :if ([:tonum [/system scheduler get ($due->$i) run-count]] <= ($runs->$i)) do={ :set left ($left + 1) }
      } on-error={}
    }
    :if ($left = 0 && [:len [/system script job find where type=script]] > 0) do={ :set left 1 }
  }
  :foreach e in=$due do={
    :do { /system scheduler set $e start-time=startup } on-error={}
  }
  :foreach x in=$inline do={
    :do { /system scheduler set ($x->"e") on-event=($x->"ev") } on-error={}
    /system script remove [find where name=($x->"tmp")]
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
