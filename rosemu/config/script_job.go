package config

import (
	"strconv"

	"github.com/chrlab/chrlab/rosemu/script"
)

// /system script job lists the scripts running. Scripts read it to run
// one at a time, the Scripting manual's example with :jobname:
//
//	:if ([/system script job print count-only as-value where script=[:jobname]] > 1) do={ :error "script instance already running" }
//
// The list holds the /system scripts of every run in progress: the one
// holding the router's lock and those waiting (:delay) beside it, such as
// an earlier scheduler run of the same script, which is what the guard
// counts. Inline event scripts (an on-event or netwatch script that is not a
// script's name) are not listed [verify how RouterOS lists them]. Source:
// https://help.mikrotik.com/docs/display/ROS/Scripting (Global commands,
// :jobname; Script repository, Jobs).
var scriptJobMenu = &menu{
	path: "system script job", readOnly: true,
	props: []*prop{sProp("script", ""), sProp("owner", ""), sProp("type", ""), sProp("started", "")},
	commands: map[string]menuCommand{
		"print":  {run: (*tx).jobPrint},
		"find":   {run: (*tx).jobFind},
		"remove": {syntax: &script.Syntax{Params: map[string]bool{"numbers": true}, Unnamed: 1}, run: (*tx).jobRemove},
	},
}

// jobRemove is /system script job remove, which stops a running job: the
// manual's :execute example ends its background job so, in
// ":do { /system script job remove $j } on-error={}". rosemu runs an
// :execute'd job to its end before the caller goes on, so such a job is
// no longer listed and the removal is "no such item", which the example
// catches. The jobs that are listed are the scripts running now (the
// caller and the scripts that ran it): rosemu cannot stop one of them from
// inside and says so. Was "bad command name remove".
func (t *tx) jobRemove(req *request) (result, error) {
	_, pos, err := refRows(req, t.jobTable, t.jobResolve)
	if err != nil {
		return result{}, err
	}
	if len(pos) > 0 {
		return result{}, errFailure("numbers", "rosemu cannot stop a script job that is running the command")
	}
	return result{}, nil
}

func (t *tx) jobResolve(rows []Row, ref string) ([]int, error) {
	return t.resolveEach(ref, func(r string) int {
		for i, row := range rows {
			if id, _ := row.Get(".id"); id == r {
				return i
			}
		}
		return -1
	})
}

func init() { insertMenus("system script", scriptJobMenu) }

func (t *tx) jobTable(req *request) ([]Row, []int, error) {
	var rows []Row
	for i, name := range t.r.sys.jobs {
		rows = append(rows, Row{{".id", formatID(uint64(i + 1))}, {"script", name}, {"owner", "admin"}, {"type", "script"}})
	}
	sel, err := selectRows(rows, req)
	return rows, sel, err
}

func (t *tx) jobFind(req *request) (result, error) { return findRows(t.jobTable(req)) }

func (t *tx) jobPrint(req *request) (result, error) {
	rows, sel, err := t.jobTable(req)
	if err != nil {
		return result{}, err
	}
	if res, ok := t.rowsPrinted(req, rows, sel); ok {
		return res, nil
	}
	text := ""
	for i, j := range sel {
		row := rows[j]
		s, _ := row.Get("script")
		text += strconv.Itoa(i) + " script=" + s + " owner=admin type=script\n"
	}
	return result{text: text, ret: text}, nil
}
