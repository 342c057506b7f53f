package runner

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/scenario"
)

// LoadLab loads the lab a scenario names: inline in the scenario file (errors then carry the
// scenario file's lines), a .yaml file beside the scenario, or a lab of root/labs by name.
func LoadLab(root string, s *scenario.Scenario) (*lab.Spec, error) {
	switch {
	case len(s.LabYAML) > 0:
		return lab.Parse(s.File, s.LabYAML)
	case strings.HasSuffix(s.Lab, ".yaml"):
		return lab.Load(filepath.Join(s.Dir, s.Lab))
	default:
		spec, err := lab.Load(filepath.Join(root, "labs", s.Lab+".yaml"))
		if err != nil {
			return nil, fmt.Errorf("%s: lab %s: %w", s.File, s.Lab, err)
		}
		return spec, nil
	}
}
