package check

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
)

// LogDoc is what one of the router's log=yes rules wrote during the check:
// the entries that start with the same "<log-prefix> <chain>:", how many,
// and the first of them. An engineer reads in it which of the export's
// logging rules the lab's packets met (a drop rule that logs, say).
type LogDoc struct {
	Rule  string `json:"rule"` // "<log-prefix> <chain>:" as the entries start
	Count int    `json:"count"`
	First string `json:"first"`
}

// maxLogDocs bounds the rules listed; the whole log is in router-log.txt.
const maxLogDocs = 20

// firewallLogged reads the run's router-log.txt (one "date time topics
// message" line per entry, runner.saveArtifacts) and groups its
// firewall,info entries by the rule that wrote them, in the order they
// first came. A run without the file logged nothing.
func firewallLogged(dir string) []LogDoc {
	f, err := os.Open(filepath.Join(dir, "router-log.txt"))
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []LogDoc
	at := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.SplitN(sc.Text(), " ", 4)
		if len(fields) < 4 || !strings.HasPrefix(fields[2], "firewall") {
			continue
		}
		msg := fields[3]
		rule, _, ok := strings.Cut(msg, " in:")
		if !ok {
			continue
		}
		if i, seen := at[rule]; seen {
			out[i].Count++
			continue
		}
		if len(out) == maxLogDocs {
			continue
		}
		at[rule] = len(out)
		out = append(out, LogDoc{Rule: rule, Count: 1, First: msg})
	}
	return out
}
