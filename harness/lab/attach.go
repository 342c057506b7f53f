package lab

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/moby/moby/client"

	"github.com/chrlab/chrlab/harness/images"
)

// A lab outlives the process that started it when it is kept (chrlab up,
// chrlab lab --keep). What a later process knows of it is what Docker
// keeps: its containers and networks, found by LabelRun, and their labels.

// ErrNoRun is returned for a run id that names no lab on this machine.
var ErrNoRun = errors.New("no running lab")

// RunInfo describes one lab found on the Docker engine.
type RunInfo struct {
	Run     string            `json:"run"`
	Lab     string            `json:"lab"`
	Labels  map[string]string `json:"-"`
	Created time.Time         `json:"created"`
	// Owner says who owns the lab: "kept" (no owner process: it is meant
	// to outlive its starter), "running (pid N)", "gone (pid N)", or
	// "unknown (pid N)" when this process cannot tell (another PID
	// namespace).
	Owner      string          `json:"owner"`
	OwnerGone  bool            `json:"owner_gone"`
	Containers []ContainerInfo `json:"containers"`
	Networks   []NetworkInfo   `json:"networks"`
}

// ContainerInfo is one container of a lab.
type ContainerInfo struct {
	Node  string `json:"node"`
	Name  string `json:"container"`
	ID    string `json:"id"`
	State string `json:"state"`
	// Wired maps each Docker network the container is on to its address
	// there (a lab address is translated onto the wire: docs/labs.md).
	Wired map[string]string `json:"wired,omitempty"`
}

// NetworkInfo is one Docker network of a lab.
type NetworkInfo struct {
	Name   string `json:"name"`
	Subnet string `json:"subnet"`
}

// Nodes lists the node names of the lab's containers, sorted.
func (r RunInfo) Nodes() []string {
	var out []string
	for _, c := range r.Containers {
		// The wire container carries no node label: no empty name (ls
		// printed ",client1,dns,...").
		if c.Node != "" {
			out = append(out, c.Node)
		}
	}
	slices.Sort(out)
	return out
}

// Runs lists every lab on the Docker engine, oldest first.
func Runs(ctx context.Context) ([]RunInfo, error) {
	images.DisableReaper()
	docker, err := newDockerClient(ctx)
	if err != nil {
		return nil, err
	}
	defer docker.Close()
	return runs(ctx, docker, LabelKey)
}

func runs(ctx context.Context, docker *dockerClient, label string) ([]RunInfo, error) {
	f := make(client.Filters).Add("label", label)
	cs, err := docker.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f})
	if err != nil {
		return nil, fmt.Errorf("list lab containers: %w", err)
	}
	ns, err := docker.NetworkList(ctx, client.NetworkListOptions{Filters: f})
	if err != nil {
		return nil, fmt.Errorf("list lab networks: %w", err)
	}
	byRun := map[string]*RunInfo{}
	get := func(labels map[string]string) *RunInfo {
		run := labels[LabelRun]
		if run == "" {
			return nil
		}
		r := byRun[run]
		if r == nil {
			r = &RunInfo{Run: run, Lab: labels[LabelLab], Labels: labels}
			byRun[run] = r
		}
		return r
	}
	for _, c := range cs.Items {
		r := get(c.Labels)
		if r == nil {
			continue
		}
		created := time.Unix(c.Created, 0)
		if r.Created.IsZero() || created.Before(r.Created) {
			r.Created = created
		}
		ci := ContainerInfo{Node: c.Labels[LabelNode], Name: containerName(c), ID: c.ID, State: string(c.State)}
		if c.NetworkSettings != nil {
			ci.Wired = map[string]string{}
			for name, ep := range c.NetworkSettings.Networks {
				if ep != nil && ep.IPAddress.IsValid() {
					ci.Wired[name] = ep.IPAddress.String()
				}
			}
		}
		r.Containers = append(r.Containers, ci)
	}
	for _, n := range ns.Items {
		r := get(n.Labels)
		if r == nil {
			continue
		}
		ni := NetworkInfo{Name: n.Name}
		if len(n.IPAM.Config) > 0 {
			ni.Subnet = n.IPAM.Config[0].Subnet.String()
		}
		r.Networks = append(r.Networks, ni)
	}
	me := ownerLabels()
	var out []RunInfo
	for _, r := range byRun {
		slices.SortFunc(r.Containers, func(a, b ContainerInfo) int { return strings.Compare(a.Node, b.Node) })
		slices.SortFunc(r.Networks, func(a, b NetworkInfo) int { return strings.Compare(a.Name, b.Name) })
		r.Owner, r.OwnerGone = ownerState(r.Labels, me)
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b RunInfo) int {
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return strings.Compare(a.Run, b.Run)
	})
	return out, nil
}

// ownerState words ownerGone for a person.
func ownerState(labels, me map[string]string) (string, bool) {
	pid := labels[LabelOwnerPID]
	if pid == "" {
		return "kept", false
	}
	gone, known := ownerGone(labels, me)
	switch {
	case !known:
		return "unknown (pid " + pid + ")", false
	case gone:
		return "gone (pid " + pid + ")", true
	default:
		return "running (pid " + pid + ")", false
	}
}

// FindRun returns the lab whose run id is run. A results folder's name
// (20260102-150405-srcnat-ab12cd) names its lab by its last part, so that
// is taken too. An unknown id is ErrNoRun, with the running ones listed.
func FindRun(ctx context.Context, run string) (RunInfo, error) {
	all, err := Runs(ctx)
	if err != nil {
		return RunInfo{}, err
	}
	return pickRun(all, run)
}

func pickRun(all []RunInfo, run string) (RunInfo, error) {
	id := run
	if i := strings.LastIndexByte(run, '-'); i >= 0 {
		id = run[i+1:]
	}
	for _, r := range all {
		if r.Run == id {
			return r, nil
		}
	}
	if len(all) == 0 {
		return RunInfo{}, fmt.Errorf("%w %q: no lab is running on this machine (chrlab up starts one)", ErrNoRun, run)
	}
	var ids []string
	for _, r := range all {
		ids = append(ids, r.Run+" ("+r.Lab+")")
	}
	return RunInfo{}, fmt.Errorf("%w %q; running labs: %s", ErrNoRun, run, strings.Join(ids, ", "))
}

// Attach returns a running lab that another process started, for exec,
// logs and the router's management address. spec must be the lab's own
// (the one it was started from). Close it when done; Down removes it.
func Attach(ctx context.Context, spec *Spec, info RunInfo) (*Lab, error) {
	images.DisableReaper()
	docker, err := newDockerClient(ctx)
	if err != nil {
		return nil, err
	}
	l := &Lab{Spec: spec, RunID: info.Run, docker: docker, progress: io.Discard, nodes: map[string]*member{}}
	for _, c := range info.Containers {
		if c.Node != "" {
			l.nodes[c.Node] = &member{containerID: c.ID, container: c.Name}
		}
	}
	mgmtName := fmt.Sprintf("chrlab-%s-mgmt", info.Run)
	for _, n := range info.Networks {
		if n.Name == mgmtName {
			l.mgmt, _ = netip.ParsePrefix(n.Subnet)
		}
	}
	if !l.mgmt.IsValid() {
		docker.Close()
		return nil, fmt.Errorf("attach to lab %s (run %s): it has no management network %s", info.Lab, info.Run, mgmtName)
	}
	if _, ok := l.nodes[spec.Router.Name]; !ok {
		docker.Close()
		return nil, fmt.Errorf("attach to lab %s (run %s): its router %s has no container (have %s)", info.Lab, info.Run, spec.Router.Name, strings.Join(slices.Sorted(maps.Keys(l.nodes)), ", "))
	}
	return l, nil
}

// Close lets go of an attached lab without removing it.
func (l *Lab) Close() error { return l.docker.Close() }

// DownRun removes one lab's containers and networks by its run label,
// whoever started it, and reports each removal to progress.
func DownRun(ctx context.Context, run string, progress io.Writer) error {
	images.DisableReaper()
	docker, err := newDockerClient(ctx)
	if err != nil {
		return err
	}
	defer docker.Close()
	if err := removeByLabel(ctx, docker, LabelRun+"="+run, progress); err != nil {
		return fmt.Errorf("remove lab run %s: %w", run, err)
	}
	return nil
}

// PickRun finds run among runs as FindRun does, without asking Docker.
func PickRun(runs []RunInfo, run string) (RunInfo, error) { return pickRun(runs, run) }
