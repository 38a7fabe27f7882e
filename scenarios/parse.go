package scenarios

import (
	"go.yaml.in/yaml/v3"

	"github.com/sessiontrace/sessiontrace/internal/yamlfile"
)

// Parse parses and validates one scenario file. file names it in
// positions. On failure the error is an ErrorList holding every problem
// found, and the Scenario is nil: a half-understood journey must not run.
func Parse(file string, data []byte) (*Scenario, error) {
	p := &parser{Reader: &yamlfile.Reader{File: file}, vars: map[string]bool{}}
	return yamlfile.Read(p.Reader, data,
		"empty file: a scenario needs name, target and steps",
		"a scenario file holds one YAML document; move this one to a file of its own",
		p.scenario)
}

// parser reads a scenario; yamlfile.Reader reads the YAML under it.
type parser struct {
	*yamlfile.Reader

	sc   *Scenario
	step int             // index of the step being read; -1 at top level
	vars map[string]bool // names declared under vars:
}

// text reads a string that may hold ${...} references and remembers its
// position for the checks after substitution.
func (p *parser) text(n *yaml.Node, where, key string, dst *string) bool {
	s, ok := p.Str(n, where)
	if !ok {
		return false
	}
	*dst = s
	p.sc.pos[fieldKey{p.step, key}] = fieldInfo{pos: p.Pos(yamlfile.Deref(n)), where: where}
	return true
}
