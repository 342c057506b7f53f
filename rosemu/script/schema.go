package script

import (
	"sort"
	"strings"
)

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
	// DoVars are the names a do={ } block given to the command (a
	// monitor's) has as variables: the values of one reading, each
	// declared whether or not that reading has it.
	DoVars []string
}

// Tree is a Schema built from menu paths.
type Tree struct {
	menus map[string]map[string]*Syntax
	// known are the menu names of every version, by parent path: a word
	// that names a menu of another version is not taken for the
	// beginning of a longer name (/ip neighbor discovery of 6 is not
	// discovery-settings of 7).
	known map[string]map[string]bool
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

// AddKnown declares the words of a menu path of any version as names at
// their level, which an abbreviation never stands for.
func (t *Tree) AddKnown(path string) {
	if t.known == nil {
		t.known = map[string]map[string]bool{}
	}
	words := strings.Fields(path)
	for i, w := range words {
		k := strings.Join(words[:i], " ")
		if t.known[k] == nil {
			t.known[k] = map[string]bool{}
		}
		t.known[k][w] = true
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

// Completer is implemented by schemas that can list a menu's names, so
// that the parser can take an unambiguous beginning of a menu, command or
// parameter name for the name, as RouterOS's console does (the Console
// page of the manual: "You can type only the beginning of the command
// name, and, if it is not ambiguous, the console will accept it as a full
// name").
type Completer interface {
	// Complete returns the submenus and commands of the menu at path
	// whose names begin with prefix, sorted.
	Complete(path []string, prefix string) []string
}

// Complete implements Completer.
func (t *Tree) Complete(path []string, prefix string) []string {
	base := strings.Join(path, " ")
	if t.known[base][prefix] {
		return nil
	}
	seen := map[string]bool{}
	for k := range t.menus {
		parent, name := "", k
		if i := strings.LastIndexByte(k, ' '); i >= 0 {
			parent, name = k[:i], k[i+1:]
		}
		if k != "" && parent == base && strings.HasPrefix(name, prefix) {
			seen[name] = true
		}
	}
	for verb := range t.menus[base] {
		if strings.HasPrefix(verb, prefix) {
			seen[verb] = true
		}
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// completeParam returns the one parameter of syn whose name begins with
// prefix, if there is exactly one.
func completeParam(syn *Syntax, prefix string) (string, bool) {
	found := ""
	for p := range syn.Params {
		if strings.HasPrefix(p, prefix) {
			if found != "" {
				return "", false
			}
			found = p
		}
	}
	return found, found != ""
}
