package runner

import (
	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/scenario"
)

// LoadLab loads the lab a scenario names (see scenario.LoadLab).
func LoadLab(root string, s *scenario.Scenario) (*lab.Spec, error) {
	return s.LoadLab(root)
}
