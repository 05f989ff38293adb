package maps

import (
	"fmt"
	"math"
	"strings"
)

// Point is a community to draw at its location.
type Point struct {
	Name     string
	Lat, Lon float64
	Figure   Figure
}

const pointsW, pointsH, pointsPad = 960, 560, 70

// RenderPoints draws communities as points at their locations (an
// equirectangular projection fitted to them, no base map): each a circle
// filled by its class with the same colours and patterns as the district
// map, named and valued in text beside it, with a legend.
func RenderPoints(points []Point, l Labels) string {
	minLat, maxLat, minLon, maxLon := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, p := range points {
		minLat, maxLat = math.Min(minLat, p.Lat), math.Max(maxLat, p.Lat)
		minLon, maxLon = math.Min(minLon, p.Lon), math.Max(maxLon, p.Lon)
	}
	// A degree of longitude is shorter than one of latitude by cos(lat).
	k := math.Cos((minLat + maxLat) / 2 * math.Pi / 180)
	spanX, spanY := (maxLon-minLon)*k, maxLat-minLat
	scale := math.Min((pointsW-2*pointsPad)/math.Max(spanX, 1e-9), (pointsH-2*pointsPad)/math.Max(spanY, 1e-9))
	if len(points) < 2 || spanX+spanY == 0 {
		scale = 0
	}
	offX := (pointsW - spanX*scale) / 2
	offY := (pointsH - spanY*scale) / 2
	height := pointsH + legendH

	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	openSVG(&b, "community-map", "pts", pointsW, height, l)
	w(`<rect x="0" y="0" width="%d" height="%d" fill="#f7f7f4" stroke="%s"/>`, pointsW, pointsH, colourEdge)
	for _, p := range points {
		x := offX + (p.Lon-minLon)*k*scale
		y := offY + (maxLat-p.Lat)*scale
		c := ClassOf(p.Figure)
		value := p.Figure.Percent()
		label := p.Name + ": " + value
		fill, pattern := fillOf(c)
		w(`<g class="community" data-class="%d" role="img"><title>%s</title>`, c, esc(label))
		w(`<circle cx="%.1f" cy="%.1f" r="13" fill="%s" stroke="%s" stroke-width="2"/>`, x, y, fill, colourInk)
		if pattern != "" {
			w(`<circle cx="%.1f" cy="%.1f" r="13" fill="url(#%s)"/>`, x, y, pattern)
		}
		w(`<text x="%.1f" y="%.1f" font-size="12" fill="%s" stroke="#ffffff" stroke-width="3" paint-order="stroke">%s</text>`, x+18, y-2, colourInk, esc(p.Name))
		w(`<text x="%.1f" y="%.1f" font-size="13" font-weight="700" fill="%s" stroke="#ffffff" stroke-width="3" paint-order="stroke">%s</text>`, x+18, y+14, colourInk, esc(value))
		w(`</g>`)
	}
	ly := pointsH
	w(`<g class="legend" aria-label="%s">`, esc(l.Legend))
	w(`<text x="4" y="%d" font-size="13" font-weight="700" fill="%s">%s</text>`, ly+20, colourInk, esc(l.Legend))
	items := []Class{1, 2, 3, 4, 5, ClassSuppressed, ClassNoData}
	itemW := pointsW / len(items)
	for i, c := range items {
		x := i * itemW
		fill, pattern := fillOf(c)
		w(`<circle cx="%d" cy="%d" r="11" fill="%s" stroke="%s"/>`, x+16, ly+43, fill, colourInk)
		if pattern != "" {
			w(`<circle cx="%d" cy="%d" r="11" fill="url(#%s)"/>`, x+16, ly+43, pattern)
		}
		text := legendText(c, l)
		w(`<text x="%d" y="%d" font-size="11" fill="%s"%s>%s</text>`, x+32, ly+48, colourInk, fit(text, 13, itemW-36), esc(text))
	}
	w(`</g></svg>`)
	return b.String()
}
