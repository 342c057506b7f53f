package kernel

import (
	"fmt"
	"os"
	"os/exec"
	"testing"

	"github.com/vishvananda/netns"
)

// TestStaleNamedNetns: a /run/netns/<name> that is a plain file, as a
// restarted container finds it, is replaced by a real namespace instead of
// being used (issue 13: "move management interface eth2 to namespace
// mgmt: invalid argument" after docker restart).
func TestStaleNamedNetns(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to create network namespaces")
	}
	name := fmt.Sprintf("rosemu-stale-%06d", os.Getpid()%1000000)
	path := "/run/netns/" + name
	if err := os.MkdirAll("/run/netns", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, nil, 0o444); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = netns.DeleteNamed(name)
		_ = os.Remove(path)
	}()
	// The control: the stale file opens, and is no namespace.
	if h, err := netns.GetFromName(name); err != nil || isNetns(h) {
		t.Fatalf("stale file: open error %v, namespace %v; want it to open and not be one", err, err == nil && isNetns(h))
	} else {
		h.Close()
	}
	h, err := openOrCreateNamed(name)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if !isNetns(h) {
		t.Fatal("openOrCreateNamed returned the stale file, not a namespace")
	}
	// A link moves into it, which failed with EINVAL before.
	link := "st" + name[len(name)-6:]
	if out, err := exec.Command("ip", "link", "add", link, "type", "veth", "peer", "name", link+"p").CombinedOutput(); err != nil {
		t.Skipf("ip link add: %v %s", err, out)
	}
	defer exec.Command("ip", "link", "del", link).Run() // only if the move failed
	if out, err := exec.Command("ip", "link", "set", link, "netns", name).CombinedOutput(); err != nil {
		t.Errorf("move a link into the namespace: %v %s", err, out)
	}
}
