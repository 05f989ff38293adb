package flower

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"termtem/internal/people"
)

// svgNode is a generic XML element tree.
type svgNode struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Nodes   []svgNode  `xml:",any"`
	Text    string     `xml:",chardata"`
}

func (n svgNode) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (n svgNode) walk(fn func(svgNode)) {
	fn(n)
	for _, c := range n.Nodes {
		c.walk(fn)
	}
}

func decodeSVG(t *testing.T, s string) svgNode {
	t.Helper()
	var root svgNode
	dec := xml.NewDecoder(strings.NewReader(s))
	if err := dec.Decode(&root); err != nil {
		t.Fatalf("not well-formed XML: %v\n%s", err, s)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Fatalf("trailing content after </svg>: %v", err)
	}
	return root
}

func TestRenderSVG(t *testing.T) {
	levels := map[people.Dimension]Level{people.Economy: Green, people.Safety: Red, people.Education: Yellow}
	s := RenderSVG(levels, SVGOptions{Size: 240, Lang: "en", Title: `Somchai's flower <& "x">`})
	root := decodeSVG(t, s)
	if root.XMLName.Local != "svg" || root.XMLName.Space != "http://www.w3.org/2000/svg" {
		t.Fatalf("root %v", root.XMLName)
	}
	if root.attr("role") != "img" || root.attr("width") != "240" || root.attr("height") != "240" {
		t.Errorf("root attrs %v", root.Attrs)
	}
	ids := map[string]bool{}
	var title, desc string
	petals := map[string]string{}
	var texts []string
	root.walk(func(n svgNode) {
		if id := n.attr("id"); id != "" {
			if ids[id] {
				t.Errorf("duplicate id %s", id)
			}
			ids[id] = true
		}
		switch n.XMLName.Local {
		case "title":
			title = n.Text
		case "desc":
			desc = n.Text
		case "g":
			petals[n.attr("data-dimension")] = n.attr("data-level")
		case "text":
			texts = append(texts, n.Text)
		case "script", "style", "image", "use", "foreignObject", "a":
			t.Errorf("forbidden element %s", n.XMLName.Local)
		}
		for _, a := range n.Attrs {
			if a.Name.Local == "href" || a.Name.Local == "style" || strings.HasPrefix(a.Name.Local, "on") {
				t.Errorf("forbidden attribute %s on %s", a.Name.Local, n.XMLName.Local)
			}
			if strings.Contains(a.Value, "url(") && !strings.HasPrefix(a.Value, "url(#") {
				t.Errorf("external reference %s", a.Value)
			}
		}
	})
	// aria-labelledby points at the title and the description.
	for _, ref := range strings.Fields(root.attr("aria-labelledby")) {
		if !ids[ref] {
			t.Errorf("aria-labelledby %s missing", ref)
		}
	}
	if title != `Somchai's flower <& "x">` {
		t.Errorf("title %q", title)
	}
	for _, want := range []string{"Economy (E): green", "Safety (S): red", "Education (L): yellow", "Health (H): unknown"} {
		if !strings.Contains(desc, want) {
			t.Errorf("desc %q lacks %q", desc, want)
		}
	}
	if petals["economy"] != "green" || petals["safety"] != "red" || petals["education"] != "yellow" || petals["health"] != "unknown" {
		t.Errorf("petals %v", petals)
	}
	for _, want := range []string{ColourGreen, ColourRed, ColourYellow, ColourUnknown, "-hatch)", "-dots)", "stroke-dasharray"} {
		if !strings.Contains(s, want) {
			t.Errorf("svg lacks %q", want)
		}
	}
	joined := strings.Join(texts, "")
	for _, want := range []string{"E", "S", "L", "H", "?"} {
		if !strings.Contains(joined, want) {
			t.Errorf("texts %q lack %q", texts, want)
		}
	}
	if strings.Contains(s, "<script") || strings.Contains(s, "http://") && strings.Count(s, "http://") != 1 {
		t.Error("script or external reference")
	}
}

func TestRenderSVGThai(t *testing.T) {
	s := RenderSVG(map[people.Dimension]Level{people.Health: Red}, SVGOptions{Lang: "th", Letters: Default().Letters("th")})
	root := decodeSVG(t, s)
	var desc string
	root.walk(func(n svgNode) {
		if n.XMLName.Local == "desc" {
			desc = n.Text
		}
	})
	for _, want := range []string{"สุขภาพ (สข): แดง", "เศรษฐกิจ (ศก): ยังไม่ทราบ", "ดอกไม้ 4 มิติ"} {
		if !strings.Contains(desc+s, want) {
			t.Errorf("lacks %q", want)
		}
	}
	if root.attr("width") != "160" {
		t.Errorf("default size %s", root.attr("width"))
	}
}

func TestRenderSVGSmallAndIDs(t *testing.T) {
	lv := map[people.Dimension]Level{people.Economy: Red}
	small := RenderSVG(lv, SVGOptions{Size: 32})
	decodeSVG(t, small)
	if strings.Contains(small, ">E</text>") {
		t.Error("letters drawn at 32 px")
	}
	if !strings.Contains(small, "-hatch)") || !strings.Contains(small, ">?</text>") {
		t.Error("small flower lacks its patterns and marks")
	}
	// Different flowers get different ids; a given ID is used.
	a := RenderSVG(lv, SVGOptions{})
	b := RenderSVG(map[people.Dimension]Level{people.Economy: Green}, SVGOptions{})
	idOf := func(s string) string { return decodeSVG(t, s).attr("aria-labelledby") }
	if idOf(a) == idOf(b) {
		t.Error("distinct flowers share ids")
	}
	if a != RenderSVG(lv, SVGOptions{}) {
		t.Error("rendering is not deterministic")
	}
	c := RenderSVG(lv, SVGOptions{ID: "child-42"})
	if !strings.Contains(c, `id="child-42-t"`) {
		t.Error("ID option ignored")
	}
	d := RenderSVG(lv, SVGOptions{ID: `x" onload="alert(1)`})
	if strings.Contains(d, "onload") {
		t.Error("unsafe ID used")
	}
	// Invalid levels are drawn as unknown, never as green.
	e := RenderSVG(map[people.Dimension]Level{people.Economy: "greenish"}, SVGOptions{})
	if !strings.Contains(e, `data-dimension="economy" data-level="unknown"`) {
		t.Error("invalid level not unknown")
	}
}
