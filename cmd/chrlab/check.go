package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chrlab/chrlab/harness/check"
	"github.com/chrlab/chrlab/harness/export"
	"github.com/chrlab/chrlab/harness/scenario"
	"github.com/chrlab/chrlab/rosemu/config"
)

// mapFlag collects every --map given.
type mapFlag []string

func (m *mapFlag) String() string     { return strings.Join(*m, ",") }
func (m *mapFlag) Set(v string) error { *m = append(*m, v); return nil }

// cmdCheck replays a user's own router: chrlab check my-export.rsc.
func cmdCheck(ctx context.Context, root string, args []string) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	// --map may be given more than once: each adds its pairs (the last
	// one alone counted before, and two WANs silently became LANs).
	var mapping mapFlag
	fs.Var(&mapping, "map", "lab roles of ports, e.g. ether1=wan,sfp1=lan2, or --map once per port (default: found from the export)")
	offline := fs.Bool("offline", false, "only read the export, diagnose it from its rules and print the fix; start no lab")
	rscOut := fs.String("rsc", "", "also write the lab-ready configuration to this file")
	router := fs.String("router", "auto", "router backend for the lab: auto (CHR when its image is cached, else rosemu, or rosemu in a VM when this kernel lacks what the export needs), rosemu, vm or chr")
	if err := fs.Parse(reorder(args)); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: chrlab check [--map ether1=wan,...] [--offline] [--rsc FILE] [--router auto|rosemu|vm|chr] EXPORT.rsc")
		return 2
	}
	path := fs.Arg(0)
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "chrlab check:", err)
		return 2
	}
	f, err := export.Read(path, data)
	if err != nil {
		// A line that cannot be read (two commands glued into one) is set
		// aside with its position; the rest of the export is checked.
		if lf, lerr := export.ReadLenient(path, data); lerr == nil && len(lf.Unreadable) > 0 {
			f, err = lf, nil
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "chrlab check:", err)
		return 2
	}
	if f.Version == "" {
		// A header cut off (a forum post, a README) leaves the version to
		// the lines: a RouterOS 6 export checked as 7 loses every line
		// spelled as 6 does.
		// On the text validate infers it from, the hardware lines set
		// aside: those every version refuses alike made the note's
		// counts differ from validate's (realcheck19 D8).
		ready, _ := export.LabReady(path, data)
		if i := config.InferVersion(ctx, string(ready), commandTimeout); i.Version != "" {
			f.Version, f.VersionInferred = i.Version, i.Why()
		}
	}
	o := check.Options{Map: map[string]string{}}
	for _, kv := range strings.Split(strings.Join(mapping, ","), ",") {
		if kv == "" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			fmt.Fprintf(os.Stderr, "chrlab check: --map %q: want port=role, e.g. ether1=wan\n", kv)
			return 2
		}
		if prev, dup := o.Map[k]; dup && prev != v {
			fmt.Fprintf(os.Stderr, "chrlab check: --map gives %s two roles, %s and %s\n", k, prev, v)
			return 2
		}
		o.Map[k] = v
	}
	plan, err := check.Import(f, o)
	if err != nil {
		// The lines that could not be read come first: they may be why.
		for _, u := range f.Unreadable {
			fmt.Fprintf(os.Stderr, "chrlab check: %s (the line cannot be read)\n", u)
		}
		if errors.Is(err, check.ErrNotARouter) {
			// A switch or an access point: read, nothing to judge,
			// as for one whose management address has a default
			// route (exit 0; it was 2, "cannot be read").
			fmt.Println("chrlab check:", err)
			fmt.Println("VERDICT: nothing to judge: no WAN, and nothing a router between a LAN and the internet has")
			return 0
		}
		fmt.Fprintln(os.Stderr, "chrlab check:", err)
		return 2
	}
	// What the lab router refuses is set aside before the summary, so
	// that it lists those lines too (a PPPoE client naming a profile the
	// router lacks takes the WAN with it), offline as well.
	plan.Refusals(ctx)
	if *offline {
		// Offline nothing probes a failover: its gaps are warnings.
		plan.WarnFailoverGaps()
	}
	plan.Summary(os.Stdout)
	if why := plan.WANRefused(); why != "" {
		if len(plan.WANs) == 1 {
			// Its only WAN: nothing is left to analyse or to build a
			// lab on (the run failed "router has no address on ...").
			fmt.Fprintln(os.Stderr, "chrlab check: the export cannot be analysed:", why)
			return 2
		}
		fmt.Println("warning:", why)
		// The other WANs carry the diagnosis and the lab.
		plan.DropRefusedWANs()
	}
	if *rscOut != "" {
		if err := os.WriteFile(*rscOut, []byte(plan.RSC), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "chrlab check:", err)
			return 2
		}
	}
	if *offline {
		found, _ := plan.Diagnose()
		// A forward written for the internet alone is a warning.
		found, gaps := plan.SplitHairpinGaps(found)
		fx := plan.Propose(found)
		fmt.Println("(from the export's rules alone; without --offline the lab proves it with packets)")
		// A risk (a commented fetch-and-import script) is said among the
		// warnings; only signs make the router untrustworthy.
		signs := check.CompromiseSigns(plan.CompromiseWarnings())
		warns := plan.OfflineWarnings(gaps)
		for _, s := range warns {
			fmt.Println("warning:", check.Readable(s))
		}
		check.PrintFindingsWarned(os.Stdout, plan, found, fx, len(warns))
		if len(signs) > 0 {
			// The diagnosis judges forwards and services; a router that
			// runs an attacker's commands is not well whatever it says.
			fmt.Printf("warning: %d sign(s) of compromise above: whatever the diagnosis says, this router is not to be trusted until reinstalled\n", len(signs))
		}
		// What the lab would refuse to build, said here too: offline
		// printed "no problem found" (exit 0) for exports whose lab
		// then stopped with "would probe nothing" (exit 3).
		if _, err := plan.Case(fx); err != nil && strings.Contains(err.Error(), "would probe nothing") {
			fmt.Println("note: a lab run would not start:", err)
		}
		// scenario.Results, as the lab run: ./results outside a checkout
		// (the offline report went into the embedded tree's cache).
		dir := filepath.Join(scenario.Results(root), "check-"+time.Now().UTC().Format("20060102-150405.000"))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			fmt.Fprintln(os.Stderr, "chrlab check:", err)
			return 2
		}
		if err := plan.OfflineDocument().Write(dir); err != nil {
			fmt.Fprintln(os.Stderr, "chrlab check:", err)
			return 2
		}
		fmt.Printf("report (not proven with packets): %s\n", filepath.Join(dir, "check.md"))
		return exitWarned(exitFor(found), len(warns))
	}
	return runCheck(ctx, root, plan, *router)
}

// exitFor is 0 when nothing was found, 1 when a forward is broken.
func exitFor(found []check.Finding) int {
	if check.Problems(found) > 0 {
		return 1
	}
	return 0
}

// reorder moves flags before the positional arguments, so that
// "chrlab check x.rsc --offline" works as well as the flag-first form.
func reorder(args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") {
			flags = append(flags, a)
			if !strings.Contains(a, "=") && (a == "--map" || a == "-map" || a == "--rsc" || a == "-rsc" || a == "--router" || a == "-router") && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
			continue
		}
		pos = append(pos, a)
	}
	return append(flags, pos...)
}
