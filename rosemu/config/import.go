package config

import (
	"context"
	"strings"

	"github.com/chrlab/chrlab/rosemu/script"
)

// FileReader reads the router's files (package files implements it): what
// /import runs.
type FileReader interface {
	ReadFile(name string) ([]byte, error)
}

// importSyntax is the syntax of /import: the file by name, unnamed or as
// file-name=, and the options RouterOS has.
var importSyntax = &script.Syntax{
	Params:  map[string]bool{"file-name": true, "verbose": true, "dry-run": true},
	Flags:   map[string]bool{"dry-run": true},
	Unnamed: 1,
}

// importFile runs an uploaded .rsc inside the transaction, as the console
// runs its text: a configuration too large for one SSH command (RouterOS
// takes any size this way) goes in by SFTP and /import. An error names
// the line and column in the file. Unlike RouterOS, which keeps the lines
// before a failing one, nothing of a failing import is kept: rosemu applies
// a configuration whole or not at all.
func (t *tx) importFile(ctx context.Context, req *request) (result, error) {
	name, ok := argValue(req.args, "file-name")
	if !ok && len(req.extra) > 0 {
		name, ok = req.extra[0], true
	}
	if !ok || name == "" {
		return result{}, &Error{Msg: "missing value for argument file-name", Category: 1, arg: "file-name"}
	}
	if t.r.opts.Files == nil {
		return result{}, &Error{Msg: "failure: no such file " + name, Category: 4, arg: "file-name"}
	}
	data, err := t.r.opts.Files.ReadFile(name)
	if err != nil {
		return result{}, &Error{Msg: "failure: no such file " + name, Category: 4, arg: "file-name"}
	}
	if v, _ := argValue(req.args, "dry-run"); req.flags["dry-run"] || v == "yes" {
		// A dry run compiles the file and runs nothing.
		if _, err := script.ParseWith(string(data), t.r.parseOptions()); err != nil {
			return result{}, scriptError(err)
		}
		return result{text: "Script file loaded successfully\n"}, nil
	}
	if _, err := t.runSource(ctx, req.interp, string(data), true); err != nil {
		return result{}, scriptError(err)
	}
	text := "\n" + importDone
	if v, _ := argValue(req.args, "verbose"); strings.EqualFold(v, "no") || req.sub {
		text = importDone
	}
	return result{text: text}, nil
}

// importDone is what /import prints once its file has run.
const importDone = "Script file loaded and executed successfully\n"
