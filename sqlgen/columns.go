package sqlgen

// columnOrder is the 1-based SQL column that orders the result's field i:
// a reference orders by its presentation.
func columnOrder(cols []ResultColumn, i int) int {
	pos := width(cols[:i]) + 1
	if cols[i].Presentation {
		pos += len(cols[i].Composite) + 1
	}
	return pos
}

// width counts the SQL columns of a result (a reference adds its presentation).
func width(cols []ResultColumn) int {
	n := 0
	for _, c := range cols {
		n++
		n += len(c.Composite)
		if c.Presentation {
			n++
		}
	}
	return n
}

// compositeOrder is the order of a composite's part columns in a result.
var compositeOrder = []string{"string", "number", "bool", "date", "ref", "bytes"}
