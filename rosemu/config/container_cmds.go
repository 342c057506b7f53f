package config

import "github.com/chrlab/chrlab/rosemu/script"

// start, stop and repull of /container, as container maintenance scripts
// run them ("/container\n:foreach ct in=[find] do={ ... stop $ct ...
// repull $ct ... start $ct }", a scheduler's autoheal script of a 7.x
// router). They were "bad command name stop", and the whole script
// failed to compile. rosemu runs no containers: the references are
// checked (a bad one is "no such item"), nothing starts or stops, and the
// command is reported as not enforced with the menu. Source: the Container
// page of the manual (https://help.mikrotik.com/docs/display/ROS/Container:
// start, stop) and that script for repull [verify] the first 7.x with
// repull.
func init() {
	cmd := func(verb string) menuCommand {
		return menuCommand{syntax: &script.Syntax{Params: map[string]bool{"numbers": true}, Unnamed: 1},
			run: func(t *tx, req *request) (result, error) {
				if _, err := t.items(containerMenu, req); err != nil {
					return result{}, err
				}
				return result{}, nil
			}}
	}
	if containerMenu.commands == nil {
		containerMenu.commands = map[string]menuCommand{}
	}
	for _, verb := range []string{"start", "stop", "repull"} {
		containerMenu.commands[verb] = cmd(verb)
	}
}
