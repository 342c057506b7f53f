package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/chrlab/chrlab/internal/agentcmd"
	"github.com/chrlab/chrlab/internal/qemubootcmd"
	"github.com/chrlab/chrlab/internal/rosemucmd"
	"github.com/chrlab/chrlab/internal/vminitcmd"
)

// roles are the programs of the lab images that chrlab can act as, by the
// name it is called as (the images copy chrlab in as /usr/local/bin/labagent,
// rosemu, qemuboot, vminit) or by its first argument (chrlab agent ...).
// This is what lets an installed chrlab build the images from itself, with
// no Go toolchain and no checkout.
var roles = map[string]func(){
	"labagent": agentcmd.Main,
	"agent":    agentcmd.Main,
	"rosemu":   rosemucmd.Main,
	"qemuboot": qemubootcmd.Main,
	"vminit":   vminitGuarded,
}

// runRole runs the role chrlab is called as, if any, and reports whether it
// did. A role reads os.Args as its own program would, so "chrlab agent x"
// shifts the arguments to look like "agent x".
func runRole() bool {
	name := filepath.Base(os.Args[0])
	if name == "init" {
		// The vm guest's initramfs installs vminit as /init.
		name = "vminit"
	}
	if role, ok := roles[name]; ok {
		role()
		return true
	}
	if len(os.Args) > 1 {
		if role, ok := roles[os.Args[1]]; ok {
			os.Args = os.Args[1:]
			role()
			return true
		}
	}
	return false
}

// vminitGuarded runs vminit only as PID 1: it powers the machine off when
// its router stops, which "chrlab vminit" typed on a host must never do.
func vminitGuarded() {
	if os.Getpid() != 1 {
		fmt.Fprintln(os.Stderr, "chrlab vminit: refuse to run: vminit is the vm guest's init and runs only as PID 1")
		os.Exit(2)
	}
	vminitcmd.Main()
}
