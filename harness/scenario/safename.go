package scenario

import (
	"fmt"
	"path/filepath"
	"strings"
)

// SafeName reports whether a scenario's name can name its results folder:
// one local path element, so a report cannot be written outside results/.
func SafeName(name string) bool {
	return name != "" && filepath.IsLocal(name) && !strings.ContainsAny(name, `/\`) && name != "." && name != ".."
}

// checkName refuses a name that is not one path element.
func checkName(name string, at string) error {
	if SafeName(name) {
		return nil
	}
	return fmt.Errorf("%s: scenario name %q is not a single folder name (it names the results folder); drop the path separators and dots", at, name)
}
