package config

// addrIndex finds the address-list entries of a transaction by list and
// address, so that the duplicate check of each add is a map lookup rather
// than a scan of the whole table: a 50,000-entry block list then adds in
// linear time. It is built from the table on first use in a transaction
// and kept up to date by add, set and remove; any other change of the
// table (one it was not told of) shows as a different length or first
// entry, and the index is built again.
type addrIndex struct {
	first *item // the table's first entry when the index last matched it
	n     int   // the table's length then
	byKey map[string][]*item
}

const addrTable = "ip firewall address-list"

func addrKey(it *item) string { return it.props["list"] + "\x00" + it.props["address"] }

// addrIndex returns the transaction's index, built again if the table
// changed behind it.
func (t *tx) addrIndex() *addrIndex {
	tbl := t.m.tables[addrTable]
	if ix := t.al; ix != nil && ix.matches(tbl) {
		return ix
	}
	ix := &addrIndex{byKey: make(map[string][]*item, len(tbl))}
	for _, it := range tbl {
		ix.put(it)
	}
	ix.sync(tbl)
	t.al = ix
	return ix
}

func (ix *addrIndex) matches(tbl []*item) bool {
	if len(tbl) != ix.n {
		return false
	}
	return ix.n == 0 || tbl[0] == ix.first
}

func (ix *addrIndex) sync(tbl []*item) {
	ix.n = len(tbl)
	ix.first = nil
	if len(tbl) > 0 {
		ix.first = tbl[0]
	}
}

func (ix *addrIndex) put(it *item) {
	k := addrKey(it)
	ix.byKey[k] = append(ix.byKey[k], it)
}

func (ix *addrIndex) del(it *item) {
	k := addrKey(it)
	xs := ix.byKey[k]
	for i, x := range xs {
		if x == it {
			xs = append(xs[:i:i], xs[i+1:]...)
			break
		}
	}
	if len(xs) == 0 {
		delete(ix.byKey, k)
	} else {
		ix.byKey[k] = xs
	}
}

// addrMatched reports, before add, set or remove changes the table of m,
// whether the address-list index is in step with it.
func (t *tx) addrMatched(m *menu) bool {
	return m.tableName() == addrTable && t.al != nil && t.al.matches(t.m.tables[addrTable])
}

// addrChanged tells the index of the change add, set or remove made to the
// table of m: old left it, new joined it (either may be nil). matched is
// what addrMatched said before the change; an index that was not in step
// is dropped and built again when next used.
func (t *tx) addrChanged(m *menu, matched bool, old []*item, new *item) {
	if m.tableName() != addrTable {
		return
	}
	if !matched {
		t.al = nil
		return
	}
	for _, o := range old {
		t.al.del(o)
	}
	if new != nil {
		t.al.put(new)
	}
	t.al.sync(t.m.tables[addrTable])
}

// addrDuplicate returns an entry other than it with its list and address.
func (t *tx) addrDuplicate(it *item) *item {
	for _, x := range t.addrIndex().byKey[addrKey(it)] {
		if x.id != it.id {
			return x
		}
	}
	return nil
}
