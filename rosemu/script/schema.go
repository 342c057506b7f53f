package script

import "strings"

// Schema tells the parser the menu tree, so that it can split
// "/ip firewall nat add" into path and command and reject unknown command
// names and parameters before anything runs, as RouterOS does.
type Schema interface {
	// Submenu reports whether name is a submenu of the menu at path.
	Submenu(path []string, name string) bool
	// Command returns the syntax of the command verb in the menu at path.
	Command(path []string, verb string) (*Syntax, bool)
}

// Syntax describes the arguments a menu command accepts.
type Syntax struct {
	// Params are the accepted name=value parameters.
	Params map[string]bool
	// Flags are bare words accepted as options (detail, count-only).
	Flags map[string]bool
	// Unnamed is how many unnamed values the command takes (item
	// numbers, then for get a property name).
	Unnamed int
	// Where means "where <expr>" may end the command (print).
	Where bool
	// Expr means all arguments form one expression (find).
	Expr bool
	// Unset are the properties add may name as "!name" to create the
	// item with the property unset (exports write "add !keepalive ...").
	Unset map[string]bool
}

// Tree is a Schema built from menu paths.
type Tree struct {
	menus map[string]map[string]*Syntax
}

// NewTree returns an empty Tree whose root menu exists.
func NewTree() *Tree {
	return &Tree{menus: map[string]map[string]*Syntax{"": {}}}
}

// Add declares the menu at path ("ip firewall nat") with its commands;
// parent menus are created as needed.
func (t *Tree) Add(path string, cmds map[string]*Syntax) {
	words := strings.Fields(path)
	for i := 0; i <= len(words); i++ {
		k := strings.Join(words[:i], " ")
		if t.menus[k] == nil {
			t.menus[k] = map[string]*Syntax{}
		}
	}
	k := strings.Join(words, " ")
	for v, s := range cmds {
		t.menus[k][v] = s
	}
}

// Submenu implements Schema.
func (t *Tree) Submenu(path []string, name string) bool {
	_, ok := t.menus[strings.TrimSpace(strings.Join(append(append([]string(nil), path...), name), " "))]
	return ok && name != ""
}

// Command implements Schema.
func (t *Tree) Command(path []string, verb string) (*Syntax, bool) {
	m := t.menus[strings.Join(path, " ")]
	s, ok := m[verb]
	return s, ok
}
