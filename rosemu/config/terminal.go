package config

import (
	"slices"

	"github.com/chrlab/chrlab/rosemu/script"
)

// /terminal: the commands a script uses to talk to the person at the
// console. Interactive scripts read keys with inkey and redraw with cuu
// (cursor up) and el (erase line); eworm's check-routeros-update asks "press y to install" with
// "[ /terminal/inkey timeout=60 ] % 32 = 25". Without the menu such a
// script did not compile ("bad command name terminal"), so none of it ran.
//
// rosemu's scripts have no screen or keyboard: a lab router's scripts run
// from the scheduler, events, the API or a console whose output is read
// back, never typed at. So no key is ever pressed: inkey returns 65535
// (0xFFFF), the value RouterOS gives when its timeout passes without a
// key (scripts test "keypress=0xFFFF" and "lastkey = 65535" to go on
// looping), and returns it at once rather than holding the router for
// the timeout. The cursor commands draw nothing, and /terminal style
// colours nothing: it takes the styles a MikroTik forum post lists
// (https://forum.mikrotik.com/t/how-to-add-color-to-output/142687/6,
// terminalStyles) and changes no output, which is read back as text.
// Without it a script's print helper ("[/terminal style varname-local];
// :put $1") did not compile, and every function calling it failed. [verify]
// RouterOS's words for a style it does not know. [verify] what
// RouterOS's inkey does in a script with no terminal (a scheduled one):
// the sources show it only at a console.
var terminalMenu = &menu{
	path: "terminal", readOnly: true,
	commands: map[string]menuCommand{
		"inkey": {
			syntax: &script.Syntax{Params: map[string]bool{"timeout": true}},
			run: func(t *tx, req *request) (result, error) {
				if v, ok := argValue(req.args, "timeout"); ok {
					if _, err := pTime(t, "timeout", v); err != nil {
						return result{}, err
					}
				}
				return result{val: script.Num(noKey)}, nil
			},
		},
		"cuu": {syntax: &script.Syntax{Params: map[string]bool{"count": true}}, run: terminalDraw("count")},
		"el":  {syntax: &script.Syntax{}, run: terminalDraw("")},
		"style": {
			syntax: &script.Syntax{Params: map[string]bool{"style": true}, Unnamed: 1},
			run: func(t *tx, req *request) (result, error) {
				v, ok := argValue(req.args, "style")
				if !ok {
					v, ok = req.ref, req.hasRef
				}
				if !ok {
					return result{}, &Error{Msg: "missing value for argument style", Category: 1}
				}
				if !slices.Contains(terminalStyles, v) {
					return result{}, &Error{Msg: "invalid value for argument style", Category: 1}
				}
				return result{}, nil
			},
		},
	},
}

// terminalStyles are the styles /terminal style takes.
var terminalStyles = []string{"none", "syntax-meta", "syntax-noterm", "syntax-val", "syntax-old", "escaped",
	"varname", "varname-local", "error", "ambiguous"}

// noKey is what /terminal inkey returns when no key was pressed.
const noKey = 0xFFFF

// terminalDraw checks a cursor command's count and draws nothing.
func terminalDraw(count string) func(t *tx, req *request) (result, error) {
	return func(t *tx, req *request) (result, error) {
		if count != "" {
			if v, ok := argValue(req.args, count); ok {
				if _, err := pInt(0, 1<<31-1)(t, count, v); err != nil {
					return result{}, err
				}
			}
		}
		return result{}, nil
	}
}

func init() { insertMenus("system script", terminalMenu) }
