package runner

import (
	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/scenario"
)

// LoadLab loads the lab a scenario names (see scenario.LoadLab).
func LoadLab(root string, s *scenario.Scenario) (*lab.Spec, error) {
	return s.LoadLab(root)
}

// CheckNames checks a scenario's names and actions against its lab, as a
// run does before it starts one: unknown nodes and router addresses, a
// renumber-wan where nothing can renumber the WAN.
func CheckNames(root string, s *scenario.Scenario) error {
	spec, err := LoadLab(root, s)
	if err != nil {
		return err
	}
	return s.Check(topology{spec})
}
