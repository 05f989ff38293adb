package maps

import (
	"encoding/xml"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Area is one district to draw.
type Area struct {
	Code     string // district code (1001…1050)
	Name     string // in the page's language
	ZoneCode string // its zone group: the outlines follow these
	Figure   Figure
	Outside  bool   // not in the chosen area: drawn, without a value
	Href     string // where its tile leads (the district's report); empty: not a link
}

// Labels are the words the drawing needs, in the page's language.
type Labels struct {
	Title      string // accessible name of the map
	Desc       string // one sentence saying what it shows
	Suppressed string // "fewer than 5"
	NoData     string // "nobody assessed"
	Outside    string // "outside the chosen area"
	ZoneEdge   string // "thick line: zone group"
	Legend     string // "Legend"
}

// Colours of the share classes, light to dark (WCAG: the value is written
// on a white label, so the fill carries no text).
var classColours = []string{"#fde4e1", "#f5aaa3", "#e2685f", "#b3261e", "#6b130e"}

const (
	colourSuppressed = "#c9c9c9"
	colourNoData     = "#ffffff"
	colourOutside    = "#eeeeee"
	colourInk        = "#1a1a1a"
	colourEdge       = "#5f5f5f"

	tileW, tileH = 96, 72
	legendH      = 118
)

// Render draws the districts as a tile cartogram: a square per district
// filled by its class (colour and a pattern, so that colour is not the
// only signal), its name and value written on it, the zone groups outlined
// with a thick line, and a legend. Each district with an Href is a link,
// focusable, named by its name and value. The SVG is self-contained: no
// scripts, styles or external references.
func Render(areas []Area, l Labels) (string, error) {
	tiles, err := Tiles()
	if err != nil {
		return "", err
	}
	maxRow, maxCol := 0, 0
	for _, t := range tiles {
		maxRow, maxCol = max(maxRow, t.Row), max(maxCol, t.Col)
	}
	width := (maxCol + 1) * tileW
	height := (maxRow+1)*tileH + legendH
	byPos := map[[2]int]Area{}
	var drawn []Area
	for _, a := range areas {
		if t, ok := tiles[a.Code]; ok {
			byPos[[2]int{t.Row, t.Col}] = a
			drawn = append(drawn, a)
		}
	}
	sort.Slice(drawn, func(i, j int) bool { return drawn[i].Code < drawn[j].Code })

	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	openSVG(&b, "district-map", "map", width, height, l)

	for _, a := range drawn {
		t := tiles[a.Code]
		x, y := t.Col*tileW, t.Row*tileH
		c := ClassOf(a.Figure)
		if a.Outside {
			c = ClassOutside
		}
		value := valueText(a, c, l)
		label := a.Name + ": " + value
		if a.Href != "" {
			// Named by its <title> (name and value), which holds the text
			// shown on the square.
			w(`<a href="%s" class="district" data-code="%s" data-class="%d">`, esc(a.Href), esc(a.Code), c)
		} else {
			w(`<g class="district" data-code="%s" data-class="%d" role="img">`, esc(a.Code), c)
		}
		w(`<title>%s</title>`, esc(label))
		fill, pattern := fillOf(c)
		w(`<rect class="tile" x="%d" y="%d" width="%d" height="%d" fill="%s" stroke="%s" stroke-width="1"/>`, x+1, y+1, tileW-2, tileH-2, fill, colourEdge)
		if pattern != "" {
			w(`<rect x="%d" y="%d" width="%d" height="%d" fill="url(#%s)"/>`, x+1, y+1, tileW-2, tileH-2, pattern)
		}
		// The name and value on a white label: readable whatever the fill.
		w(`<rect x="%d" y="%d" width="%d" height="%d" rx="3" fill="#ffffff" fill-opacity="0.92"/>`, x+5, y+22, tileW-10, 44)
		w(`<text x="%d" y="%d" font-size="11" text-anchor="middle" fill="%s"%s>%s</text>`, x+tileW/2, y+38, colourInk, fit(a.Name, 14, tileW-14), esc(a.Name))
		w(`<text x="%d" y="%d" font-size="14" font-weight="700" text-anchor="middle" fill="%s">%s</text>`, x+tileW/2, y+58, colourInk, esc(value))
		if a.Href != "" {
			w(`</a>`)
		} else {
			w(`</g>`)
		}
	}

	// Zone groups: a thick line on every tile side whose neighbour is of
	// another group or absent.
	w(`<path class="zones" d="%s" fill="none" stroke="%s" stroke-width="3.5" stroke-linecap="round" aria-hidden="true"/>`, zoneEdges(tiles, byPos), colourInk)

	// Legend.
	ly := (maxRow + 1) * tileH
	w(`<g class="legend" aria-label="%s">`, esc(l.Legend))
	w(`<text x="4" y="%d" font-size="13" font-weight="700" fill="%s">%s</text>`, ly+20, colourInk, esc(l.Legend))
	items := []Class{1, 2, 3, 4, 5, ClassSuppressed, ClassNoData, ClassOutside}
	itemW := width / len(items)
	for i, c := range items {
		x := i * itemW
		fill, pattern := fillOf(c)
		w(`<rect x="%d" y="%d" width="30" height="22" fill="%s" stroke="%s"/>`, x+4, ly+32, fill, colourEdge)
		if pattern != "" {
			w(`<rect x="%d" y="%d" width="30" height="22" fill="url(#%s)"/>`, x+4, ly+32, pattern)
		}
		text := legendText(c, l)
		w(`<text x="%d" y="%d" font-size="11" fill="%s"%s>%s</text>`, x+40, ly+48, colourInk, fit(text, 11, itemW-44), esc(text))
	}
	w(`<path d="M4 %dH34" stroke="%s" stroke-width="3.5"/>`, ly+80, colourInk)
	w(`<text x="40" y="%d" font-size="11" fill="%s">%s</text>`, ly+84, colourInk, esc(l.ZoneEdge))
	w(`</g>`)
	w(`</svg>`)
	return b.String(), nil
}

// openSVG starts a drawing: its element, accessible name and description,
// and the patterns.
func openSVG(b *strings.Builder, class, id string, width, height int, l Labels) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" class="%s" role="group" aria-labelledby="%s-t" aria-describedby="%s-d">`,
		width, height, class, id, id)
	fmt.Fprintf(b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(l.Title), id, esc(l.Desc))
	b.WriteString(patternDefs())
}

// legendText says what a class means in the legend.
func legendText(c Class, l Labels) string {
	switch c {
	case ClassSuppressed:
		return "< 5, —: " + l.Suppressed
	case ClassNoData:
		return "–: " + l.NoData
	case ClassOutside:
		return l.Outside
	}
	return ClassRange(c)
}

// patternDefs are the fill patterns of the classes, dark ink on the light
// classes and white on the dark, shared by both drawings.
func patternDefs() string {
	return `<defs>` +
		`<pattern id="map-p2" width="8" height="8" patternUnits="userSpaceOnUse"><circle cx="4" cy="4" r="1.4" fill="` + colourInk + `" fill-opacity="0.55"/></pattern>` +
		`<pattern id="map-p3" width="8" height="8" patternUnits="userSpaceOnUse"><path d="M0 8L8 0" stroke="` + colourInk + `" stroke-opacity="0.5" stroke-width="1.3"/></pattern>` +
		`<pattern id="map-p4" width="8" height="8" patternUnits="userSpaceOnUse"><path d="M0 8L8 0M0 0L8 8" stroke="#ffffff" stroke-opacity="0.6" stroke-width="1.3"/></pattern>` +
		`<pattern id="map-p5" width="6" height="6" patternUnits="userSpaceOnUse"><path d="M0 6L6 0M0 0L6 6" stroke="#ffffff" stroke-opacity="0.7" stroke-width="1.6"/></pattern>` +
		`<pattern id="map-ps" width="10" height="10" patternUnits="userSpaceOnUse"><path d="M0 5H10" stroke="` + colourInk + `" stroke-opacity="0.6" stroke-width="1.5"/></pattern>` +
		`</defs>`
}

func valueText(a Area, c Class, l Labels) string {
	switch c {
	case ClassOutside:
		return "·"
	case ClassNoData:
		return "–"
	}
	return a.Figure.Percent()
}

func fillOf(c Class) (fill, pattern string) {
	switch c {
	case ClassOutside:
		return colourOutside, ""
	case ClassSuppressed:
		return colourSuppressed, "map-ps"
	case ClassNoData:
		return colourNoData, ""
	}
	i := int(c) - 1
	if i < 0 || i >= len(classColours) {
		return colourNoData, ""
	}
	if i == 0 {
		return classColours[i], ""
	}
	return classColours[i], fmt.Sprintf("map-p%d", i+1)
}

// zoneEdges returns the path of the zone groups' outlines.
func zoneEdges(tiles map[string]Tile, byPos map[[2]int]Area) string {
	var d strings.Builder
	zoneAt := func(r, c int) (string, bool) {
		a, ok := byPos[[2]int{r, c}]
		return a.ZoneCode, ok
	}
	var positions [][2]int
	for p := range byPos {
		positions = append(positions, p)
	}
	sort.Slice(positions, func(i, j int) bool {
		if positions[i][0] != positions[j][0] {
			return positions[i][0] < positions[j][0]
		}
		return positions[i][1] < positions[j][1]
	})
	for _, p := range positions {
		r, c := p[0], p[1]
		z := byPos[p].ZoneCode
		x0, y0, x1, y1 := c*tileW, r*tileH, (c+1)*tileW, (r+1)*tileH
		differs := func(rr, cc int) bool {
			o, ok := zoneAt(rr, cc)
			return !ok || o != z
		}
		if differs(r-1, c) {
			fmt.Fprintf(&d, "M%d %dH%d", x0, y0, x1)
		}
		if differs(r+1, c) {
			fmt.Fprintf(&d, "M%d %dH%d", x0, y1, x1)
		}
		if differs(r, c-1) {
			fmt.Fprintf(&d, "M%d %dV%d", x0, y0, y1)
		}
		if differs(r, c+1) {
			fmt.Fprintf(&d, "M%d %dV%d", x1, y0, y1)
		}
	}
	return d.String()
}

// fit squeezes a long text into width (a few long district names, such as
// Pom Prap Sattru Phai, would overflow their square).
func fit(s string, maxRunes, width int) string {
	if utf8.RuneCountInString(s) <= maxRunes {
		return ""
	}
	return fmt.Sprintf(` textLength="%d" lengthAdjust="spacingAndGlyphs"`, width)
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
