package scenario

import (
	"strings"
	"testing"
)

// TestFilesStayInFolder: a scenario's name, router and lab cannot leave
// the scenario's folder (issue 13), and an ordinary one is accepted.
func TestFilesStayInFolder(t *testing.T) {
	const steps = "steps:\n  - probe: tcp\n    from: a\n    to: b:1\n"
	bad := map[string]string{
		"name ../":      "name: ../../tmp/x\nlab: hairpin\nrouter: r.rsc\n",
		"name slash":    "name: a/b\nlab: hairpin\nrouter: r.rsc\n",
		"name dotdot":   "name: ..\nlab: hairpin\nrouter: r.rsc\n",
		"name absolute": "name: /etc\nlab: hairpin\nrouter: r.rsc\n",
		"name bslash":   "name: a\\b\nlab: hairpin\nrouter: r.rsc\n",
		"router ../":    "name: x\nlab: hairpin\nrouter: ../other/router.rsc\n",
		"router abs":    "name: x\nlab: hairpin\nrouter: /etc/passwd.rsc\n",
		"lab ../":       "name: x\nlab: ../../labs/hairpin.yaml\nrouter: r.rsc\n",
		"lab abs":       "name: x\nlab: /etc/lab.yaml\nrouter: r.rsc\n",
	}
	for what, doc := range bad {
		_, err := Parse("/s/x/scenario.yaml", []byte(doc+steps))
		if err == nil {
			t.Errorf("%s: accepted", what)
			continue
		}
		if !strings.Contains(err.Error(), "folder") {
			t.Errorf("%s: error %q does not say it leaves the folder", what, err)
		}
	}
	s, err := Parse("/s/x/scenario.yaml", []byte("name: srcnat-2\nlab: hairpin\nrouter: sub/router.rsc\n"+steps))
	if err != nil {
		t.Fatalf("control: %v", err)
	}
	if s.Name != "srcnat-2" || s.Router != "sub/router.rsc" {
		t.Errorf("control: name %q router %q", s.Name, s.Router)
	}
}
