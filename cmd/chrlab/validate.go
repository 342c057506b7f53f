package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chrlab/chrlab/harness/export"
	"github.com/chrlab/chrlab/harness/runner"
	"github.com/chrlab/chrlab/harness/scenario"
	"github.com/chrlab/chrlab/rosemu/config"
	rosversion "github.com/chrlab/chrlab/rosemu/version"
)

// commandTimeout bounds each command of an offline check.
const commandTimeout = 2 * time.Second

// cmdValidate runs .rsc files (or a scenario's configuration) through
// rosemu's parser and model with no kernel and no containers, and prints a
// verdict per command. Exit 0: nothing refused; 1: something refused; 2: a
// file could not be read or the arguments are wrong.
func cmdValidate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ports := fs.String("ports", "", "the router's ethernet ports, comma separated (default: every port the files name, and ether1)")
	quiet := fs.Bool("q", false, "print only commands that are refused or stored without being enforced")
	asCHR := fs.Bool("as-chr", false, "check every line as a CHR takes it: a RouterBOARD's radio, switch-chip and PoE lines are refused, not set aside")
	version := fs.String("routeros", "", "the RouterOS version to check against (default: the export's header, else "+config.New(config.Options{}).Version()+")")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: chrlab validate [--ports ether1,ether2] [-q] FILE.rsc... | SCENARIO.yaml")
		fs.PrintDefaults()
	}
	if err := fs.Parse(flagsFirst(fs, args)); err != nil {
		return 2
	}
	files := fs.Args()
	if len(files) == 0 {
		fs.Usage()
		return 2
	}
	var sources []scenario.CheckedSource
	aside := 0
	if len(files) == 1 && (strings.HasSuffix(files[0], ".yaml") || strings.HasSuffix(files[0], ".yml")) {
		s, err := scenario.Read(files[0])
		if err != nil {
			fmt.Fprintln(stderr, "chrlab validate:", err)
			return 2
		}
		checkAs := ""
		if *version != "" {
			// As a run asked for that version would check it (chrlab lab
			// --routeros): the nearest version the emulator runs.
			if checkAs, _ = scenario.NearestEmulated(*version); checkAs == "" {
				fmt.Fprintf(stderr, "chrlab validate: --routeros %s: the emulator runs RouterOS %s only\n", *version, scenario.EmulatedRange)
				return 2
			}
			if checkAs != *version {
				fmt.Fprintf(stdout, "checking as RouterOS %s (--routeros %s; the nearest version rosemu emulates)\n", checkAs, *version)
			} else {
				fmt.Fprintf(stdout, "checking as RouterOS %s (--routeros)\n", checkAs)
			}
		} else if v, why := s.RunVersion(); v != "" {
			// As chrlab lab runs the case without --routeros: a case for
			// "routeros: 6.49.x" is checked as 6.49.18, not 7.16.2.
			checkAs = v
			fmt.Fprintf(stdout, "checking as RouterOS %s, as chrlab lab runs the case (%s; --routeros to choose)\n", v, why)
		} else if ok, _ := s.Applies(rosversion.Default); !ok {
			fmt.Fprintf(stdout, "checking as RouterOS %s (the default; the case's range %s holds no version rosemu emulates, so chrlab lab --router rosemu skips it; --routeros to choose)\n", rosversion.Default, s.RouterOS)
		} else {
			fmt.Fprintf(stdout, "checking as RouterOS %s, as chrlab lab runs the case (the default: neither the router configuration nor the case's range asks for another; --routeros to choose)\n", rosversion.Default)
		}
		if sources, err = s.CheckConfigAs(ctx, checkAs); err != nil {
			fmt.Fprintln(stderr, "chrlab validate:", err)
			return 2
		}
		root, _ := scenario.Root()
		if err := runner.CheckNames(root, s); err != nil {
			fmt.Fprintln(stderr, "chrlab validate:", err)
			return 2
		}
		for _, a := range s.SetAside {
			fmt.Fprintf(stdout, "set aside (hardware a lab router lacks): %s\n", a)
		}
		aside = len(s.SetAside)
		// A fact of this machine, not of the configuration: it changes
		// no verdict and no exit code, and says ahead what chrlab lab
		// would meet.
		if why := runner.KernelLacksHere(ctx, root, s, checkAs); why != "" {
			fmt.Fprintf(stdout, "note: on this machine chrlab lab --router rosemu skips this case, and --router auto runs the router in a VM: %s\n", why)
		}
	} else {
		// The files are applied in order on one router, as a run applies
		// the lab's base and then the scenario's file.
		texts := make([]string, len(files))
		all := ""
		var asides []string
		for i, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				fmt.Fprintf(stderr, "chrlab validate: read configuration: %v\n", err)
				return 2
			}
			if !*asCHR {
				// What a lab run applies: a RouterBOARD's radios, switch
				// chip and PoE set aside line for line, as chrlab lab and
				// chrlab check do; every other line keeps its number.
				var aside []export.Aside
				data, aside = export.LabReady(f, data)
				for _, a := range aside {
					asides = append(asides, fmt.Sprintf("set aside (hardware a lab router lacks): %s:%d /%s: %s", f, a.Line, a.Menu, a.Reason))
				}
			}
			texts[i] = string(data)
			all += texts[i] + "\n"
		}
		for _, a := range asides {
			fmt.Fprintln(stdout, a)
		}
		aside = len(asides)
		pl := config.PortsOf(all)
		if *ports != "" {
			pl = splitPorts(*ports)
		}
		v := *version
		if v == "" {
			// An export says which version wrote it; a v6 export checked as
			// v7 would be refused for v6's own spellings.
			if v = rosversion.OfExport(texts[0]); v != "" {
				fmt.Fprintf(stdout, "checking as RouterOS %s (the export's header; --routeros to choose)\n", v)
			} else if i := config.InferVersion(ctx, texts[0], commandTimeout); i.Version != "" {
				// A header cut off leaves the version to the lines: a v6
				// configuration checked as 7 is refused for v6's own
				// menus, line by line.
				v = i.Version
				fmt.Fprintf(stdout, "checking as RouterOS %s (%s; --routeros to choose)\n", v, i.Why())
			} else {
				// Say which version a file without a header is held to.
				fmt.Fprintf(stdout, "checking as RouterOS %s (no version in the file's header; --routeros to choose)\n", rosversion.Default)
			}
		}
		r := config.New(config.Options{Ports: pl, Version: v})
		for i, f := range files {
			sources = append(sources, scenario.CheckedSource{File: f, Result: r.Validate(ctx, texts[i], commandTimeout)})
		}
	}
	return printValidation(stdout, sources, *quiet, aside)
}

func splitPorts(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// report prints one line per command and the summary; it returns the exit
// code.
func printValidation(w io.Writer, sources []scenario.CheckedSource, quiet bool, aside int) int {
	counts := map[config.Verdict]int{}
	for _, src := range sources {
		for _, f := range src.Result.Findings {
			counts[f.Verdict]++
			if quiet && f.Verdict == config.Accepted {
				continue
			}
			line := src.Pos(f) + ": " + string(f.Verdict)
			switch {
			case f.Msg != "":
				line += ": " + f.Msg
				if f.Hint != "" {
					line += " (" + f.Hint + ")"
				}
				if f.Text != "" {
					line += "\n    " + f.Text
				}
			case f.Text != "":
				line += ": " + f.Text
			}
			fmt.Fprintln(w, line)
		}
	}
	var ports []string
	if len(sources) > 0 {
		ports = sources[0].Result.Ports
	}
	// A lab's more routers have ports of their own: a refused line of
	// site-b.rsc is read against those (f68 N3).
	portsOf := strings.Join(ports, ",")
	seen := map[string]bool{}
	for _, src := range sources {
		if src.Router != "" && !seen[src.Router] {
			seen[src.Router] = true
			portsOf += "; " + src.Router + ": " + strings.Join(src.Result.Ports, ",")
		}
	}
	names := make([]string, 0, len(sources))
	for _, s := range sources {
		names = append(names, filepath.Base(s.File))
	}
	setAside := ""
	if aside > 0 {
		setAside = fmt.Sprintf(", %d set aside as hardware", aside)
	}
	if n := counts[config.RunTime]; n > 0 {
		// Counted apart: the router decides these when it runs the
		// step; they are no limit of the emulator (forum38 D5).
		setAside += fmt.Sprintf(", %d checked at run time", n)
	}
	fmt.Fprintf(w, "%s: %d accepted, %d stored-not-enforced, %d refused%s (router ports: %s)\n",
		strings.Join(uniq(names), ", "), counts[config.Accepted], counts[config.NotEnforced], counts[config.Refused], setAside, portsOf)
	if counts[config.Refused] > 0 {
		return 1
	}
	return 0
}

func uniq(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// flagsFirst moves the flags of args in front of the files, so that
// "chrlab validate X.rsc --routeros 6.49.4" reads as check's own order
// does (realcheck28: the flag package stops at the first file, and the
// flags after it were opened as files: "open --routeros: no such file").
// A flag fs defines as taking a value keeps the word after it; "--" ends
// the flags, as flag.Parse has it.
func flagsFirst(fs *flag.FlagSet, args []string) []string {
	var flags, files []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			files = append(files, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			files = append(files, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		f := fs.Lookup(name)
		if f == nil {
			continue
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		if i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	return append(append(flags, "--"), files...)
}
