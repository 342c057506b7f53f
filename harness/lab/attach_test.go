package lab

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestPickRun(t *testing.T) {
	all := []RunInfo{{Run: "ab12cd", Lab: "hairpin"}, {Run: "ef34ab", Lab: "dualwan"}}
	for _, id := range []string{"ab12cd", "20261130-191810-srcnat-ab12cd"} {
		if r, err := pickRun(all, id); err != nil || r.Run != "ab12cd" {
			t.Errorf("pickRun(%q) = %v, %v", id, r.Run, err)
		}
	}
	_, err := pickRun(all, "ab12")
	if !errors.Is(err, ErrNoRun) || !strings.Contains(err.Error(), `"ab12"; running labs: ab12cd (hairpin), ef34ab (dualwan)`) {
		t.Errorf("a prefix was taken or badly refused: %v", err)
	}
	if _, err := pickRun(nil, "ab12cd"); !errors.Is(err, ErrNoRun) || !strings.Contains(err.Error(), "no lab is running") {
		t.Errorf("no labs: %v", err)
	}
}

func TestOwnerState(t *testing.T) {
	me := ownerLabels()
	if me == nil {
		t.Skip("no /proc here")
	}
	if s, gone := ownerState(map[string]string{}, me); s != "kept" || gone {
		t.Errorf("a lab without owner labels: %q %v", s, gone)
	}
	if s, gone := ownerState(me, me); s != "running (pid "+strconv.Itoa(os.Getpid())+")" || gone {
		t.Errorf("this process: %q %v", s, gone)
	}
	dead := map[string]string{}
	for k, v := range me {
		dead[k] = v
	}
	dead[LabelOwnerStart] = "1" // the PID is this process's, the start time another's
	if s, gone := ownerState(dead, me); !strings.HasPrefix(s, "gone (pid ") || !gone {
		t.Errorf("a reused PID: %q %v", s, gone)
	}
}
