// Package maps draws Termtem's maps: Bangkok's 50 districts coloured by an
// indicator, with the zone groups outlined, and the communities of a
// district as points where they have coordinates. The drawings are SVG
// made on the server from data shipped with the project: no map tiles, no
// scripts, nothing fetched from elsewhere.
package maps

import (
	"fmt"
	"strconv"
)

// MinCell is the smallest count a committee or executive sees as a number:
// 1 to MinCell-1 is a small cell, shown as "< 5".
const MinCell = 5

// Figure is one area's value of a share indicator, as the viewer may see
// it: Count of Total, or a suppressed small cell.
type Figure struct {
	Count      int
	Total      int
	Suppressed bool // a small cell: neither the count nor the share is shown
}

// Suppress applies the small-cell rule to a share: when the count, or the
// rest of the total (Total-Count), is between 1 and MinCell-1 the share
// would reveal a handful of children (3 of 40; or 38 of 40, hence "all but
// 2"), so neither is shown. A zero count of a large total is shown.
func Suppress(count, total int) Figure {
	f := Figure{Count: count, Total: total}
	small := func(n int) bool { return n > 0 && n < MinCell }
	if small(count) || small(total-count) {
		f = Figure{Suppressed: true}
	}
	return f
}

// HasData reports whether the figure has something to show (a suppressed
// cell has: "< 5").
func (f Figure) HasData() bool { return f.Suppressed || f.Total > 0 }

// Share is Count/Total (0 when there is no total or the cell is suppressed).
func (f Figure) Share() float64 {
	if f.Suppressed || f.Total == 0 {
		return 0
	}
	return float64(f.Count) / float64(f.Total)
}

// Percent renders the share, e.g. "12.5%", "< 5" for a small cell, "–" when
// nobody was counted.
func (f Figure) Percent() string {
	switch {
	case f.Suppressed:
		return "< " + strconv.Itoa(MinCell)
	case f.Total == 0:
		return "–"
	}
	return strconv.FormatFloat(100*f.Share(), 'f', 1, 64) + "%"
}

// CountText renders the count for a table: a number, or "< 5" for a small
// cell.
func (f Figure) CountText() string {
	if f.Suppressed {
		return "< " + strconv.Itoa(MinCell)
	}
	return strconv.Itoa(f.Count)
}

// TotalText renders the total for a table ("< 5" hides it with the count:
// a total would give the count back with the complement).
func (f Figure) TotalText() string {
	if f.Suppressed {
		return "–"
	}
	return strconv.Itoa(f.Total)
}

// Count is a plain count a committee sees: a number, or "< 5".
type Count struct {
	N          int
	Suppressed bool
}

// SuppressCount applies the small-cell rule to a single count.
func SuppressCount(n int) Count {
	if n > 0 && n < MinCell {
		return Count{Suppressed: true}
	}
	return Count{N: n}
}

func (c Count) String() string {
	if c.Suppressed {
		return "< " + strconv.Itoa(MinCell)
	}
	return strconv.Itoa(c.N)
}

// Class is a figure's colour class on the map: 1 (lowest) to len(Breaks)+1,
// or one of the special classes below.
type Class int

const (
	ClassOutside    Class = -2 // the area is outside what the viewer chose or may see
	ClassSuppressed Class = -1
	ClassNoData     Class = 0
)

// Breaks are the upper bounds of the share classes: fixed, so that maps of
// different months and districts compare.
var Breaks = []float64{0.05, 0.10, 0.20, 0.30}

// ClassOf places a figure in a class.
func ClassOf(f Figure) Class {
	switch {
	case f.Suppressed:
		return ClassSuppressed
	case f.Total == 0:
		return ClassNoData
	}
	s := f.Share()
	for i, b := range Breaks {
		if s < b {
			return Class(i + 1)
		}
	}
	return Class(len(Breaks) + 1)
}

// ClassRange renders a share class's range, e.g. "10–20%".
func ClassRange(c Class) string {
	pct := func(x float64) string { return strconv.FormatFloat(100*x, 'f', -1, 64) }
	i := int(c) - 1
	switch {
	case i < 0 || i > len(Breaks):
		return ""
	case i == 0:
		return fmt.Sprintf("0–%s%%", pct(Breaks[0]))
	case i == len(Breaks):
		return fmt.Sprintf("≥ %s%%", pct(Breaks[i-1]))
	}
	return fmt.Sprintf("%s–%s%%", pct(Breaks[i-1]), pct(Breaks[i]))
}
