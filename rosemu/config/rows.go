package config

import "github.com/chrlab/chrlab/rosemu/script"

// Menus whose items are rows read at each command rather than stored
// configuration (/ip firewall connection from the kernel, /file from the
// router's file store) share find, and the reference handling of get and
// remove, here. Each gives its table (rows, and the ones the request's
// where selects) and how an item reference resolves to rows.

// selectRows returns the positions of the rows the request's where
// selects (all of them without one).
func selectRows(rows []Row, req *request) ([]int, error) {
	var sel []int
	for i, row := range rows {
		if req.where != nil {
			ok, err := req.where(connValue(row))
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
		}
		sel = append(sel, i)
	}
	return sel, nil
}

// findRows is find: the ids of the selected rows.
func findRows(rows []Row, sel []int, err error) (result, error) {
	if err != nil {
		return result{}, err
	}
	ids := make([]script.Value, 0, len(sel))
	for _, i := range sel {
		id, _ := rows[i].Get(".id")
		ids = append(ids, script.ID(id))
	}
	return result{val: script.ArrayOf(ids...)}, nil
}

// refRows reads every row and resolves the request's item references in
// them, all before anything acts on one, so a bad reference changes
// nothing.
func refRows(req *request, table func(*request) ([]Row, []int, error), resolve func([]Row, string) ([]int, error)) ([]Row, []int, error) {
	if !req.hasRef {
		return nil, nil, &Error{Msg: "missing value for argument numbers", Category: 1, arg: "numbers"}
	}
	rows, _, err := table(&request{})
	if err != nil {
		return nil, nil, err
	}
	pos, err := resolve(rows, req.ref)
	return rows, pos, err
}

// getRow is get's part of refRows: exactly one row, and the name of the
// value asked for.
func (t *tx) getRow(req *request, table func(*request) ([]Row, []int, error), resolve func([]Row, string) ([]int, error)) (Row, string, error) {
	rows, pos, err := refRows(req, table, resolve)
	if err != nil {
		return Row{}, "", err
	}
	if len(pos) != 1 {
		return Row{}, "", t.noSuchItem()
	}
	if len(req.extra) == 0 {
		return Row{}, "", &Error{Msg: "missing value for argument value-name", Category: 1}
	}
	return rows[pos[0]], req.extra[0], nil
}

// errNoValueName is get's answer for a value the row does not have.
func errNoValueName() *Error {
	return &Error{Msg: "input does not match any value of value-name", Category: 1}
}
