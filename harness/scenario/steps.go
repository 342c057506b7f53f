package scenario

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ParseSteps decodes steps given apart from a scenario (chrlab probe on a
// kept lab): a YAML sequence of steps, or one step as a mapping. They get
// the checks a scenario's steps get; file names the source in errors.
func ParseSteps(file string, data []byte) ([]Step, error) {
	at := func(line int) string { return fmt.Sprintf("%s:%d", file, line) }
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s: no step given", file)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(doc.Content) != 1 {
		return nil, fmt.Errorf("%s: no step given", at(1))
	}
	seq := doc.Content[0]
	if seq.Kind == yaml.MappingNode {
		seq = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: seq.Line, Column: seq.Column, Content: []*yaml.Node{seq}}
	}
	if seq.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s: a step is a mapping (probe: http, from: client, to: server:80), or a list of them", at(seq.Line))
	}
	if err := checkStepKeys(seq, at); err != nil {
		return nil, err
	}
	var steps []Step
	if err := seq.Decode(&steps); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if err := annotateSteps(seq, steps, at, data); err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for _, st := range steps {
		if err := st.check(); err != nil {
			return nil, fmt.Errorf("%s: %w", at(st.Line), err)
		}
		if r := st.Expect.RatioTo; r != "" && !ids[r] {
			return nil, fmt.Errorf("%s: ratio_to %q names no earlier step; earlier ids: %s", at(st.Line), r, strings.Join(slices.Sorted(maps.Keys(ids)), ", "))
		}
		if st.ID != "" {
			ids[st.ID] = true
		}
	}
	return steps, nil
}
