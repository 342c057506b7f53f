package config

import (
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/rosemu/script"
)

// /file as backup and DDNS scripts use it: find the router's files (by
// name, with where), get a file's name, size, type or contents, remove
// files ("remove old backups": :foreach i in=[/file find where name~"backup"]
// do={ /file remove $i }), print count-only. The files are the router's
// store (what was uploaded, what /import runs). A removal is not undone
// when a later command of the same source fails, as the kernel's
// connections (RouterOS removes at once). A file's id comes from its name,
// so that it stays while other files are removed. Source: File page of the
// manual, https://help.mikrotik.com/docs/display/ROS/File
var fileMenu = &menu{
	path: "file", readOnly: true,
	props: []*prop{sProp("name", ""), sProp("type", ""), sProp("size", ""), sProp("contents", "")},
	commands: map[string]menuCommand{
		"print":  {run: (*tx).filePrint},
		"find":   {run: (*tx).fileFind},
		"get":    {run: (*tx).fileGet},
		"remove": {syntax: &script.Syntax{Params: map[string]bool{"numbers": true}, Unnamed: 1}, run: (*tx).fileRemove},
	},
}

func init() { insertMenus("system script", fileMenu) }

// fileNames lists the store's files when it can list them.
func (t *tx) fileNames() []string {
	if l, ok := t.r.opts.Files.(interface{ Names() []string }); ok {
		return l.Names()
	}
	return nil
}

func fileID(name string) string {
	h := fnv.New32a()
	h.Write([]byte(name))
	return formatID(uint64(h.Sum32()&0x7fffffff) + 1)
}

func fileType(name string) string {
	switch {
	case strings.HasSuffix(name, ".rsc"):
		return "script"
	case strings.HasSuffix(name, ".backup"):
		return "backup"
	case strings.HasSuffix(name, ".txt"):
		return "text file"
	}
	return "file"
}

func (t *tx) fileTable(req *request) ([]Row, []int, error) {
	var rows []Row
	for _, name := range t.fileNames() {
		data, _ := t.r.opts.Files.ReadFile(name)
		row := Row{{".id", fileID(name)}, {"name", name}, {"type", fileType(name)}, {"size", strconv.Itoa(len(data))}}
		if len(data) <= 64*1024 {
			row = append(row, Prop{"contents", string(data)})
		}
		rows = append(rows, row)
	}
	sel, err := selectRows(rows, req)
	return rows, sel, err
}

// fileResolve turns references (ids or file names) into rows.
func (t *tx) fileResolve(rows []Row, ref string) ([]int, error) {
	if strings.TrimSpace(ref) == "" {
		return nil, nil
	}
	var out []int
	for _, r := range strings.Split(ref, ",") {
		r = strings.TrimSpace(r)
		found := -1
		for i, row := range rows {
			id, _ := row.Get(".id")
			name, _ := row.Get("name")
			if id == r || name == r || name == strings.TrimPrefix(r, "/") {
				found = i
			}
		}
		if found < 0 {
			return nil, t.noSuchItem()
		}
		out = append(out, found)
	}
	return out, nil
}

func (t *tx) fileFind(req *request) (result, error) { return findRows(t.fileTable(req)) }

func (t *tx) fileGet(req *request) (result, error) {
	row, name, err := t.getRow(req, t.fileTable, t.fileResolve)
	if err != nil {
		return result{}, err
	}
	v, ok := row.Get(name)
	if !ok {
		return result{}, errNoValueName()
	}
	if name == "size" {
		n, _ := strconv.ParseInt(v, 10, 64)
		return result{val: script.Num(n)}, nil
	}
	return result{val: script.Str(v)}, nil
}

func (t *tx) fileRemove(req *request) (result, error) {
	rows, pos, err := refRows(req, t.fileTable, t.fileResolve)
	if err != nil {
		return result{}, err
	}
	rm, ok := t.r.opts.Files.(interface{ Remove(string) error })
	if !ok && len(pos) > 0 {
		return result{}, errFailure("numbers", "the router's files cannot be removed here")
	}
	for _, i := range pos {
		name, _ := rows[i].Get("name")
		if err := rm.Remove(name); err != nil {
			return result{}, errFailure("numbers", err.Error())
		}
	}
	return result{}, nil
}

func (t *tx) filePrint(req *request) (result, error) {
	rows, sel, err := t.fileTable(req)
	if err != nil {
		return result{}, err
	}
	if req.flags["count-only"] {
		n := strconv.Itoa(len(sel))
		return result{val: script.Num(int64(len(sel))), ret: n, text: n + "\n"}, nil
	}
	out := make([]Row, 0, len(sel))
	for _, i := range sel {
		out = append(out, rows[i][:4])
	}
	if t.api {
		return result{rows: out}, nil
	}
	var b strings.Builder
	for i, row := range out {
		name, _ := row.Get("name")
		typ, _ := row.Get("type")
		size, _ := row.Get("size")
		b.WriteString(strconv.Itoa(i) + " " + name + " " + typ + " " + size + "\n")
	}
	return result{text: b.String(), ret: b.String()}, nil
}
