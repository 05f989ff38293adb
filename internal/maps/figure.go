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

// SmallLabel is what a count of 1 to 4 is published as.
const SmallLabel = "< 5"

// Figure is one area's value of a share indicator as published to its
// viewer: Count of Total, or, when the small-cell rule withholds the count
// or the total, the labels published instead ("< 5", "—").
type Figure struct {
	Count, Total int
	// Suppressed: the share is not published (the count or the total is
	// not); CountLabel and TotalLabel say what is.
	Suppressed             bool
	CountLabel, TotalLabel string
}

// HasData reports whether the figure has something to show.
func (f Figure) HasData() bool { return f.Suppressed || f.Total > 0 }

// Share is Count/Total (0 when there is no total or it is suppressed).
func (f Figure) Share() float64 {
	if f.Suppressed || f.Total == 0 {
		return 0
	}
	return float64(f.Count) / float64(f.Total)
}

// Percent renders the share, e.g. "12.5%"; the published count's label
// ("< 5", "—") when the share is withheld; "–" when nobody was counted.
func (f Figure) Percent() string {
	switch {
	case f.Suppressed && f.CountLabel == SmallLabel:
		return SmallLabel
	case f.Suppressed:
		return "—"
	case f.Total == 0:
		return "–"
	}
	return strconv.FormatFloat(100*f.Share(), 'f', 1, 64) + "%"
}

// CountText and TotalText render the count and the total as published.
func (f Figure) CountText() string {
	if f.CountLabel != "" {
		return f.CountLabel
	}
	return strconv.Itoa(f.Count)
}

func (f Figure) TotalText() string {
	if f.TotalLabel != "" {
		return f.TotalLabel
	}
	return strconv.Itoa(f.Total)
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

// MinCell is the smallest count published as a number.
const MinCell = 5

// Suppress applies the small-cell rule to a share counted outside the
// dashboards (the meeting agenda's figures): when the count, or the rest
// of the total, is 1 to 4 the share would single out a handful of
// children, so neither is published.
func Suppress(count, total int) Figure {
	small := func(n int) bool { return n > 0 && n < MinCell }
	if small(count) || small(total-count) {
		return Figure{Suppressed: true, CountLabel: SmallLabel, TotalLabel: "—"}
	}
	return Figure{Count: count, Total: total}
}

// Count is a plain count as published: a number, or "< 5".
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
		return SmallLabel
	}
	return strconv.Itoa(c.N)
}
