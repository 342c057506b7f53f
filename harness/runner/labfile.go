package runner

import (
	"context"
	"os"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/scenario"
	"github.com/chrlab/chrlab/rosemu/kernel"
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

// KernelLacksHere says, for chrlab validate, what of a scenario's
// configuration this machine's kernel cannot build when rosemu runs on it,
// in the words a run would skip it with; "" when nothing, or when the
// probe cannot tell (the check chrlab lab makes before any container
// starts, kernelLacksAhead). A lab that does not load says nothing here:
// CheckNames reports it.
func KernelLacksHere(ctx context.Context, root string, s *scenario.Scenario, version string) string {
	spec, err := LoadLab(root, s)
	if err != nil {
		return ""
	}
	var base []byte
	if spec.BasePath() != "" {
		if base, err = os.ReadFile(spec.BasePath()); err != nil {
			return ""
		}
	}
	if err := kernelLacksAhead(ctx, root, spec, version, base, s, kernel.Probe); err != nil {
		if why, ok := kernelLacks(err); ok {
			return why
		}
	}
	return ""
}
