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
		"add":    {syntax: &script.Syntax{Params: map[string]bool{"name": true, "contents": true, "type": true, "copy-from": true}}, run: (*tx).fileAdd},
		"set":    {syntax: &script.Syntax{Params: map[string]bool{"numbers": true, "contents": true, "name": true}, Unnamed: 1}, run: (*tx).fileSet},
		"read":   {syntax: &script.Syntax{Params: map[string]bool{"file": true, "chunk-size": true, "offset": true}, Flags: map[string]bool{"as-value": true}}, run: (*tx).fileRead},
	},
}

// fileWriter is the store's side that creates and replaces files.
type fileWriter interface {
	WriteFile(name string, data []byte) error
}

func (t *tx) fileStore(arg string) (fileWriter, error) {
	w, ok := t.r.opts.Files.(fileWriter)
	if !ok {
		return nil, errFailure(arg, "the router's files cannot be written here")
	}
	return w, nil
}

// maxFileContents is the largest contents /file add and set write: the
// Files page says contents can be retrieved and edited up to 60KB.
const maxFileContents = 60 * 1024

// fileAdd is /file add name= [contents=] [type=file|directory] (7.9+,
// Files page). A directory is taken without making anything: the store
// is flat and a file's name may hold its folder ("tmpfs/x/done"), so a
// script that makes a folder and then a file in it works. A name that is
// taken is refused [verify] RouterOS's words.
func (t *tx) fileAdd(req *request) (result, error) {
	name, _ := argValue(req.args, "name")
	name = strings.TrimPrefix(name, "/")
	if name == "" {
		return result{}, &Error{Msg: "failure: name not specified", Category: 4, arg: "name"}
	}
	typ, _ := argValue(req.args, "type")
	if typ != "" && typ != "file" && typ != "directory" {
		return result{}, errInvalid("type")
	}
	for _, n := range t.fileNames() {
		if n == name {
			return result{}, errFailure("name", "file already exists")
		}
	}
	if typ == "directory" {
		return result{}, nil
	}
	contents, _ := argValue(req.args, "contents")
	if len(contents) > maxFileContents {
		return result{}, errInvalid("contents")
	}
	w, err := t.fileStore("name")
	if err != nil {
		return result{}, err
	}
	if err := w.WriteFile(name, []byte(contents)); err != nil {
		return result{}, errFailure("name", err.Error())
	}
	return result{val: script.ID(fileID(name)), ret: fileID(name)}, nil
}

// exportFile is "/export file=name": the export is written to the
// router's files as name.rsc (".rsc" added unless the name has it) and
// nothing is printed, as backup scripts use it ("/export file=export"
// then "/tool e-mail send ... file=export.rsc"; "/export file=$name"
// then "/file find where name~...rsc"). Source: Configuration Management
// page of the manual (configuration export), and those public scripts.
// [verify] whether RouterOS refuses a name that a file holds or replaces
// it; rosemu replaces it.
func (t *tx) exportFile(file, text string) (result, error) {
	name := strings.TrimPrefix(file, "/")
	if !strings.HasSuffix(name, ".rsc") {
		name += ".rsc"
	}
	w, err := t.fileStore("file")
	if err != nil {
		return result{}, err
	}
	if err := w.WriteFile(name, []byte(text)); err != nil {
		return result{}, errFailure("file", err.Error())
	}
	return result{}, nil
}

// fileSet is /file set <file> contents= (the File page's "set 1
// contents=Hello"), which replaces what the file holds.
func (t *tx) fileSet(req *request) (result, error) {
	rows, pos, err := refRows(req, t.fileTable, t.fileResolve)
	if err != nil {
		return result{}, err
	}
	if _, ok := argValue(req.args, "name"); ok {
		return result{}, errFailure("name", "rosemu does not rename files")
	}
	contents, ok := argValue(req.args, "contents")
	if !ok {
		return result{}, nil
	}
	if len(contents) > maxFileContents {
		return result{}, errInvalid("contents")
	}
	w, err := t.fileStore("contents")
	if err != nil {
		return result{}, err
	}
	for _, i := range pos {
		name, _ := rows[i].Get("name")
		if err := w.WriteFile(name, []byte(contents)); err != nil {
			return result{}, errFailure("contents", err.Error())
		}
	}
	return result{}, nil
}

// fileRead is /file read file= chunk-size= [offset=] (7.13+, the Files
// page's "Get File Contents"): the chunk of the file from offset, as
// scripts read files larger than contents gives (eworm's FileGet reads
// [ /file/read offset=... chunk-size=32768 file=... as-value ]->"data").
// It returns data and offset as named values [verify] the other values
// RouterOS gives.
func (t *tx) fileRead(req *request) (result, error) {
	name, _ := argValue(req.args, "file")
	name = strings.TrimPrefix(name, "/")
	if name == "" {
		return result{}, &Error{Msg: "failure: file not specified", Category: 4, arg: "file"}
	}
	size := 0
	if v, ok := argValue(req.args, "chunk-size"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 || n > 1<<20 {
			return result{}, errInvalid("chunk-size")
		}
		size = n
	} else {
		return result{}, &Error{Msg: "missing value for argument chunk-size", Category: 1, arg: "chunk-size"}
	}
	off := 0
	if v, ok := argValue(req.args, "offset"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return result{}, errInvalid("offset")
		}
		off = n
	}
	if t.r.opts.Files == nil {
		return result{}, t.noSuchItem()
	}
	data, err := t.r.opts.Files.ReadFile(name)
	if err != nil {
		return result{}, t.noSuchItem()
	}
	if off > len(data) {
		off = len(data)
	}
	end := min(off+size, len(data))
	chunk := string(data[off:end])
	v := script.Value{Kind: script.KindArray, Arr: &script.Array{Keys: map[string]script.Value{"data": script.Str(chunk), "offset": script.Num(int64(off))}}}
	return result{val: v, text: chunk}, nil
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

// fileResolve turns references (ids or file names, with or without a
// leading /) into rows.
func (t *tx) fileResolve(rows []Row, ref string) ([]int, error) {
	return t.resolveEach(ref, func(r string) int {
		found := -1
		for i, row := range rows {
			id, _ := row.Get(".id")
			name, _ := row.Get("name")
			if id == r || name == r || name == strings.TrimPrefix(r, "/") {
				found = i
			}
		}
		return found
	})
}

func (t *tx) fileFind(req *request) (result, error) { return findRows(t.fileTable(req)) }

func (t *tx) fileGet(req *request) (result, error) {
	if req.hasRef && len(req.extra) == 0 {
		// [ /file/get $name ] gives the whole item as an array (7.x, as
		// every menu's get; eworm's backup-upload and FileGet).
		rows, pos, err := refRows(req, t.fileTable, t.fileResolve)
		if err != nil {
			return result{}, err
		}
		if len(pos) != 1 {
			return result{}, t.noSuchItem()
		}
		arr := &script.Array{Keys: map[string]script.Value{}}
		for _, p := range rows[pos[0]] {
			switch p.Name {
			case "size":
				n, _ := strconv.ParseInt(p.Value, 10, 64)
				arr.Keys[p.Name] = script.Num(n)
			case ".id":
				arr.Keys[p.Name] = script.ID(p.Value)
			default:
				arr.Keys[p.Name] = script.Str(p.Value)
			}
		}
		return result{val: script.Value{Kind: script.KindArray, Arr: arr}}, nil
	}
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
	if done, err := t.printToFile(req, b.String()); done || err != nil {
		return result{}, err
	}
	return result{text: b.String(), ret: b.String()}, nil
}

// WriteOutputFile implements script.OutputFileHost: `:execute ... file=`
// writes what the job printed to the router's files (replacing a file of
// that name, as /export file= does). Source: Scripting page of the manual,
// global commands (":execute ... file"), https://help.mikrotik.com/docs/display/ROS/Scripting
func (t *tx) WriteOutputFile(name, text string) error {
	w, err := t.fileStore("file")
	if err != nil {
		return err
	}
	return w.WriteFile(strings.TrimPrefix(name, "/"), []byte(text))
}
