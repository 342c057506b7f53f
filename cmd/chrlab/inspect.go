package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/runner"
)

// cmdInspect prints what a person needs to use a running lab: its nodes
// and their addresses, how to reach the router, what was applied to it
// and where its results are.
func cmdInspect(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the lab as JSON")
	flags, rest := splitRunArgs(args, "json")
	if err := fs.Parse(flags); err != nil {
		return 2
	}
	if len(rest) != 1 {
		fmt.Fprintln(stderr, "chrlab inspect: give one run id (chrlab ls lists them): chrlab inspect [--json] RUN")
		return 2
	}
	k, code := openRun(ctx, stderr, "inspect", rest[0])
	if code != 0 {
		return code
	}
	defer k.Close()
	v := inspectOf(k)
	if *asJSON {
		return writeJSON(stdout, stderr, "inspect", v)
	}
	v.print(stdout, time.Now())
	return 0
}

// inspectView is a running lab as inspect shows it.
type inspectView struct {
	Run           string     `json:"run"`
	Scenario      string     `json:"scenario"`
	Lab           string     `json:"lab"`
	RouterKind    string     `json:"router_kind"`
	RouterOS      string     `json:"routeros,omitempty"`
	Created       time.Time  `json:"created"`
	Owner         string     `json:"owner"`
	Case          string     `json:"case"`
	Configuration []string   `json:"configuration"`
	Results       string     `json:"results"`
	Router        routerView `json:"router"`
	// Routers are the lab's more routers (routers:), each shown as the router is.
	Routers  []routerView `json:"routers,omitempty"`
	Nodes    []nodeView   `json:"nodes"`
	Networks []netView    `json:"networks"`
}

type routerView struct {
	Name       string     `json:"name"`
	Container  string     `json:"container"`
	Management string     `json:"management"`
	API        string     `json:"api"`
	SSH        string     `json:"ssh"`
	Exec       string     `json:"exec"`
	Ports      []portView `json:"ports"`
}

type portView struct {
	Port    string `json:"port"`
	Name    string `json:"name,omitempty"` // the lab's name of the port (sfp-sfpplus1)
	Role    string `json:"role,omitempty"`
	Network string `json:"network"`
	Address string `json:"address"`
	Wired   string `json:"wired,omitempty"`
}

type nodeView struct {
	Name       string      `json:"name"`
	Role       string      `json:"role,omitempty"`
	Container  string      `json:"container"`
	State      string      `json:"state"`
	Gateway    string      `json:"gateway,omitempty"`
	Interfaces []ifaceView `json:"interfaces"`
	Exec       string      `json:"exec"`
}

type ifaceView struct {
	Network string `json:"network"`
	Address string `json:"address"` // the lab address with its prefix; "dhcp (…)" for a leased one
	Wired   string `json:"wired,omitempty"`
}

type netView struct {
	Name   string `json:"name"`
	Subnet string `json:"subnet"`
	Docker string `json:"docker"`
	Wired  string `json:"wired"`
}

func inspectOf(k *runner.Kept) inspectView {
	info, spec, s := k.Info, k.Spec, k.Scenario
	v := inspectView{Run: info.Run, Scenario: s.Name, Lab: info.Lab, RouterKind: info.Labels[runner.LabelRouter], RouterOS: info.Labels[runner.LabelRouterOS],
		Created: info.Created, Owner: info.Owner, Case: info.Labels[runner.LabelCase], Results: info.Labels[runner.LabelResults]}
	if b := spec.BasePath(); b != "" {
		v.Configuration = append(v.Configuration, b)
	}
	v.Configuration = append(v.Configuration, s.RouterSource())
	containers := map[string]lab.ContainerInfo{}
	for _, c := range info.Containers {
		containers[c.Node] = c
	}
	docker := func(network string) string { return fmt.Sprintf("chrlab-%s-%s", info.Run, network) }
	wiredSubnet := map[string]string{}
	for _, n := range info.Networks {
		wiredSubnet[n.Name] = n.Subnet
	}
	prefixed := func(network string, a netip.Addr) string {
		if nw, ok := spec.Network(network); ok {
			return netip.PrefixFrom(a, nw.Subnet.Bits()).String()
		}
		return a.String()
	}

	viewOf := func(r lab.Router, first bool) routerView {
		a, _ := k.Lab.RouterMgmtOf(r.Name)
		mgmt := a.String()
		rc := containers[r.Name]
		rv := routerView{Name: r.Name, Container: rc.Name, Management: mgmt,
			API: net.JoinHostPort(mgmt, strconv.Itoa(lab.RouterAPIPort)), SSH: "ssh admin@" + mgmt + " (port 22, empty password)",
			Exec: "chrlab exec " + info.Run + " " + r.Name + " -- /ip address print"}
		for i, p := range r.Ports {
			role := p.Role
			if role == "" && first {
				// A lab that names no roles has its WAN on ether1 (docs/labs.md).
				role = map[bool]string{true: "wan", false: "lan"}[i == 0]
			}
			rv.Ports = append(rv.Ports, portView{Port: lab.PortName(i), Name: p.Name, Role: role, Network: p.Network,
				Address: prefixed(p.Network, p.Address), Wired: rc.Wired[docker(p.Network)]})
		}
		return rv
	}
	v.Router = viewOf(spec.Router, true)
	for _, r := range spec.Routers {
		v.Routers = append(v.Routers, viewOf(r, false))
		if b := spec.RouterBasePath(r); b != "" {
			v.Configuration = append(v.Configuration, b)
		}
		if c, ok := s.RouterConfigOf(r.Name); ok {
			v.Configuration = append(v.Configuration, c.Source(s))
		}
	}
	for _, n := range spec.Nodes {
		c := containers[n.Name]
		nv := nodeView{Name: n.Name, Role: n.Role, Container: c.Name, State: c.State, Exec: "docker exec -it " + c.Name + " bash"}
		if c.Name == "" {
			nv.State, nv.Exec = "missing", ""
		}
		if n.Gateway.IsValid() {
			nv.Gateway = n.Gateway.String()
		}
		for _, in := range n.Interfaces {
			a := prefixed(in.Network, in.Address)
			if in.DHCP {
				a = "dhcp (planned " + a + ")"
			}
			nv.Interfaces = append(nv.Interfaces, ifaceView{Network: in.Network, Address: a, Wired: c.Wired[docker(in.Network)]})
		}
		v.Nodes = append(v.Nodes, nv)
	}
	for _, nw := range spec.Networks {
		// Under the default wiring a lab network is a bridge in the lab's
		// wire container, not a Docker network: name one only if the run
		// has it (CHRLAB_WIRING=docker), so that docker network inspect
		// finds what inspect prints.
		name := docker(nw.Name)
		if _, ok := wiredSubnet[name]; !ok {
			name = ""
		}
		v.Networks = append(v.Networks, netView{Name: nw.Name, Subnet: nw.Subnet.String(), Docker: name, Wired: wiredSubnet[docker(nw.Name)]})
	}
	v.Networks = append(v.Networks, netView{Name: "management", Subnet: wiredSubnet[docker("mgmt")], Docker: docker("mgmt"), Wired: wiredSubnet[docker("mgmt")]})
	return v
}

// print shows one router: its container, management address and ports.
func (r routerView) print(w io.Writer) {
	fmt.Fprintf(w, "\nrouter %s (container %s)\n", r.Name, r.Container)
	fmt.Fprintf(w, "  management %s: API %s, %s\n", r.Management, r.API, r.SSH)
	fmt.Fprintf(w, "  console:   %s\n", r.Exec)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  PORT\tROLE\tNETWORK\tADDRESS\tWIRED AS")
	for _, p := range r.Ports {
		port := p.Port
		if p.Name != "" {
			port += " (" + p.Name + ")"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", port, orDash(p.Role), p.Network, p.Address, orDash(p.Wired))
	}
	tw.Flush()
}

func (v inspectView) print(w io.Writer, now time.Time) {
	router := orDash(v.RouterKind)
	if v.RouterOS != "" {
		router += " " + v.RouterOS
	}
	fmt.Fprintf(w, "run %s: scenario %s, lab %s, router %s, up %s, owner %s\n", v.Run, v.Scenario, v.Lab, router, age(now, v.Created), v.Owner)
	fmt.Fprintf(w, "case:          %s\n", orDash(v.Case))
	fmt.Fprintf(w, "configuration: %s\n", strings.Join(v.Configuration, ", "))
	fmt.Fprintf(w, "results:       %s\n", orDash(v.Results))
	for _, r := range append([]routerView{v.Router}, v.Routers...) {
		r.print(w)
	}
	fmt.Fprintln(w, "\nnodes")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  NODE\tROLE\tNETWORK\tADDRESS\tWIRED AS\tGATEWAY\tCONTAINER")
	for _, n := range v.Nodes {
		for i, in := range n.Interfaces {
			name, role, gw, cont := n.Name, orDash(n.Role), orDash(n.Gateway), n.Container+" ("+n.State+")"
			if i > 0 {
				name, role, gw, cont = "", "", "", ""
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\n", name, role, in.Network, in.Address, orDash(in.Wired), gw, cont)
		}
	}
	tw.Flush()
	fmt.Fprintln(w, "\nnetworks")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  NETWORK\tSUBNET\tDOCKER NETWORK\tWIRED AS")
	for _, n := range v.Networks {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", n.Name, orDash(n.Subnet), orDash(n.Docker), orDash(n.Wired))
	}
	tw.Flush()
	fmt.Fprintf(w, "\nuse it: chrlab exec %s NODE -- COMMAND; chrlab probe %s --from NODE --to HOST:PORT --probe tcp; chrlab down %s\n", v.Run, v.Run, v.Run)
}
