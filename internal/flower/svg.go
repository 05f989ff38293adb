package flower

import (
	"encoding/xml"
	"fmt"
	"hash/fnv"
	"regexp"
	"strings"

	"termtem/internal/people"
)

// Colours of the levels (WCAG-checked against the glyphs drawn on them).
const (
	ColourGreen   = "#1b7f3b"
	ColourYellow  = "#c98a00"
	ColourRed     = "#b3261e"
	ColourUnknown = "#e3e3e3"
	colourOutline = "#5f5f5f"
	colourInk     = "#1a1a1a"
)

// SVGOptions sets how a flower is drawn.
type SVGOptions struct {
	Size  int    // width and height in px; default 160. Under 96 the petal letters are left out.
	Lang  string // "th" or "en": the title, description and letters
	Title string // accessible name; default "Flower: 4 dimensions" in Lang
	// ID prefixes the ids inside the SVG (patterns, title). Flowers inlined
	// in one page need distinct ids; the default is derived from the content,
	// so only identical flowers share them (with identical definitions).
	ID string
	// Letters overrides the petal letters (an instrument's DimensionSpec.Letter).
	Letters map[people.Dimension]string
}

// DefaultLetters are the petal labels.
var DefaultLetters = map[string]map[people.Dimension]string{
	"en": {people.Economy: "E", people.Safety: "S", people.Education: "L", people.Health: "H"},
	"th": {people.Economy: "ศก", people.Safety: "สว", people.Education: "กศ", people.Health: "สข"},
}

// Letters returns an instrument's petal letters in lang.
func (in *Instrument) Letters(lang string) map[people.Dimension]string {
	m := map[people.Dimension]string{}
	for _, d := range in.Dimensions {
		m[d.Dimension] = d.Letter.In(lang)
	}
	return m
}

var idRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,40}$`)

// RenderSVG draws the flower: four petals (economy up, safety right,
// education down, health left), each coloured by its level and marked so
// that it reads without colour: green solid with a tick, yellow dotted,
// red cross-hatched with "!", unknown light grey with a dashed outline and
// "?". It is self-contained (no scripts, styles or external references)
// and accessible: role="img" with a <title> and a <desc> naming every
// petal's level in words.
func RenderSVG(levels map[people.Dimension]Level, opts SVGOptions) string {
	size := opts.Size
	if size <= 0 {
		size = 160
	}
	if size > 2000 {
		size = 2000
	}
	lang := "en"
	if isThai(opts.Lang) {
		lang = "th"
	}
	title := strings.TrimSpace(opts.Title)
	if title == "" {
		title = pick(lang == "th", "ดอกไม้ 4 มิติ", "Flower: 4 dimensions")
	}
	lv := make([]Level, len(people.Dimensions))
	for i, d := range people.Dimensions {
		l := levels[d]
		if !l.Valid() {
			l = Unknown
		}
		lv[i] = l
	}
	letters := map[people.Dimension]string{}
	for d, s := range DefaultLetters[lang] {
		letters[d] = s
	}
	for d, s := range opts.Letters {
		if s = strings.TrimSpace(s); s != "" {
			letters[d] = s
		}
	}
	id := opts.ID
	if !idRe.MatchString(id) {
		h := fnv.New32a()
		fmt.Fprintf(h, "%v|%s|%s|%d|%v", lv, lang, title, size, letters)
		id = fmt.Sprintf("flower-%08x", h.Sum32())
	}

	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	w(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" width="%d" height="%d" role="img" aria-labelledby="%s-t %s-d" focusable="false">`,
		size, size, id, id)
	w(`<title id="%s-t">%s</title>`, id, esc(title))
	var desc []string
	for i, d := range people.Dimensions {
		desc = append(desc, fmt.Sprintf("%s (%s): %s, %s", DimensionName(d, lang), letters[d], lv[i].Label(lang), lv[i].Meaning(lang)))
	}
	w(`<desc id="%s-d">%s.</desc>`, id, esc(strings.Join(desc, "; ")))
	w(`<defs>`)
	w(`<pattern id="%s-hatch" width="8" height="8" patternUnits="userSpaceOnUse"><path d="M0 0L8 8M8 0L0 8" stroke="#ffffff" stroke-opacity="0.55" stroke-width="1.6"/></pattern>`, id)
	w(`<pattern id="%s-dots" width="9" height="9" patternUnits="userSpaceOnUse"><circle cx="4.5" cy="4.5" r="1.9" fill="#ffffff" fill-opacity="0.7"/></pattern>`, id)
	w(`</defs>`)

	const petal = "M100 100C62 74 64 16 100 10C136 16 138 74 100 100Z"
	// Where each petal's glyph and letter sit (petal axis, outward).
	dirs := [4][2]float64{{0, -1}, {1, 0}, {0, 1}, {-1, 0}}
	small := size < 96
	for i, d := range people.Dimensions {
		l := lv[i]
		rot := i * 90
		w(`<g data-dimension="%s" data-level="%s">`, d, l)
		switch l {
		case Unknown:
			w(`<path d="%s" transform="rotate(%d 100 100)" fill="%s" stroke="%s" stroke-width="2.5" stroke-dasharray="6 4"/>`,
				petal, rot, ColourUnknown, colourOutline)
		default:
			w(`<path d="%s" transform="rotate(%d 100 100)" fill="%s" stroke="#ffffff" stroke-width="2"/>`, petal, rot, colour(l))
			switch l {
			case Red:
				w(`<path d="%s" transform="rotate(%d 100 100)" fill="url(#%s-hatch)"/>`, petal, rot, id)
			case Yellow:
				w(`<path d="%s" transform="rotate(%d 100 100)" fill="url(#%s-dots)"/>`, petal, rot, id)
			}
		}
		scale := 1.0
		if small {
			scale = 1.5
		}
		gx, gy := 100+dirs[i][0]*58, 100+dirs[i][1]*58
		if small {
			gx, gy = 100+dirs[i][0]*50, 100+dirs[i][1]*50
		}
		// A plain disc under each mark keeps it legible over the pattern.
		w(`<circle cx="%.1f" cy="%.1f" r="%.1f" fill="%s"/>`, gx, gy, 15*scale, colour(l))
		glyph(&b, l, gx, gy, scale)
		if !small {
			tx, ty := 100+dirs[i][0]*30, 100+dirs[i][1]*30
			ink := "#ffffff"
			if l == Yellow || l == Unknown {
				ink = colourInk
			}
			w(`<circle cx="%.1f" cy="%.1f" r="12" fill="%s"/>`, tx, ty, colour(l))
			w(`<text x="%.1f" y="%.1f" text-anchor="middle" dominant-baseline="central" font-family="sans-serif" font-size="15" font-weight="bold" fill="%s" aria-hidden="true">%s</text>`,
				tx, ty, ink, esc(letters[d]))
		}
		w(`</g>`)
	}
	w(`<circle cx="100" cy="100" r="11" fill="#ffffff" stroke="%s" stroke-width="2"/>`, colourOutline)
	w(`</svg>`)
	return b.String()
}

func colour(l Level) string {
	switch l {
	case Green:
		return ColourGreen
	case Yellow:
		return ColourYellow
	case Red:
		return ColourRed
	}
	return ColourUnknown
}

// glyph draws the level's mark centred at (x, y): a tick, a wave, "!" or "?".
func glyph(b *strings.Builder, l Level, x, y, k float64) {
	switch l {
	case Green:
		fmt.Fprintf(b, `<path d="M%.1f %.1fl%.1f %.1fl%.1f %.1f" fill="none" stroke="#ffffff" stroke-width="%.1f" stroke-linecap="round" stroke-linejoin="round"/>`,
			x-9*k, y, 6*k, 6*k, 12*k, -12*k, 3.5*k)
	case Yellow:
		fmt.Fprintf(b, `<path d="M%.1f %.1fq%.1f %.1f %.1f 0t%.1f 0" fill="none" stroke="%s" stroke-width="%.1f" stroke-linecap="round"/>`,
			x-10*k, y, 5*k, -7*k, 10*k, 10*k, colourInk, 3.5*k)
	case Red:
		fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="%.1f" fill="#ffffff"/><circle cx="%.1f" cy="%.1f" r="%.1f" fill="#ffffff"/>`,
			x-2.2*k, y-12*k, 4.4*k, 15*k, 2*k, x, y+8.5*k, 2.6*k)
	default:
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="middle" dominant-baseline="central" font-family="sans-serif" font-size="%.1f" font-weight="bold" fill="%s" aria-hidden="true">?</text>`,
			x, y, 24*k, colourInk)
	}
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
