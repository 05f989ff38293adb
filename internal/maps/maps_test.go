package maps_test

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"

	"termtem/internal/maps"
	"termtem/internal/places"
)

// Every reference district has a square of its own, and every square is a
// reference district.
func TestTilesCoverTheFiftyDistricts(t *testing.T) {
	tiles, err := maps.Tiles()
	if err != nil {
		t.Fatal(err)
	}
	ref, err := places.BangkokReference()
	if err != nil {
		t.Fatal(err)
	}
	districts := map[string]bool{}
	for _, p := range ref {
		if p.Kind == places.District {
			districts[p.Code] = true
			if _, ok := tiles[p.Code]; !ok {
				t.Errorf("district %s %s has no square", p.Code, p.NameEN)
			}
		}
	}
	if len(districts) != 50 || len(tiles) != 50 {
		t.Fatalf("%d districts, %d squares", len(districts), len(tiles))
	}
	for code := range tiles {
		if !districts[code] {
			t.Errorf("square %s is no district", code)
		}
	}
}

func TestFigure(t *testing.T) {
	small := maps.Figure{Suppressed: true, CountLabel: "< 5", TotalLabel: "40"}
	hidden := maps.Figure{Suppressed: true, CountLabel: "—", TotalLabel: "—"}
	totalHidden := maps.Figure{Suppressed: true, CountLabel: "12", TotalLabel: "—"}
	for _, c := range []struct {
		f                   maps.Figure
		percent, count, tot string
	}{
		{maps.Figure{}, "–", "0", "0"}, {maps.Figure{Total: 12}, "0.0%", "0", "12"}, {maps.Figure{Count: 6, Total: 12}, "50.0%", "6", "12"},
		{small, "< 5", "< 5", "40"}, {hidden, "—", "—", "—"}, {totalHidden, "—", "12", "—"},
	} {
		if c.f.Percent() != c.percent || c.f.CountText() != c.count || c.f.TotalText() != c.tot {
			t.Errorf("%+v: %q %q %q, want %q %q %q", c.f, c.f.Percent(), c.f.CountText(), c.f.TotalText(), c.percent, c.count, c.tot)
		}
	}
	if maps.ClassOf(small) != maps.ClassSuppressed || maps.ClassOf(maps.Figure{}) != maps.ClassNoData {
		t.Error("classes of the special figures")
	}
	for share, want := range map[float64]maps.Class{0: 1, 0.049: 1, 0.05: 2, 0.15: 3, 0.25: 4, 0.3: 5, 1: 5} {
		if got := maps.ClassOf(maps.Figure{Count: int(share * 1000), Total: 1000}); got != want {
			t.Errorf("share %v: class %d, want %d", share, got, want)
		}
	}
	if maps.ClassRange(1) != "0–5%" || maps.ClassRange(3) != "10–20%" || maps.ClassRange(5) != "≥ 30%" {
		t.Errorf("ranges %q %q %q", maps.ClassRange(1), maps.ClassRange(3), maps.ClassRange(5))
	}
}

func TestRenderIsAccessibleAndSelfContained(t *testing.T) {
	tiles, err := maps.Tiles()
	if err != nil {
		t.Fatal(err)
	}
	var areas []maps.Area
	for code := range tiles {
		a := maps.Area{Code: code, Name: "เขต " + code, ZoneCode: "Z" + code[:3], Outside: true}
		switch code {
		case "1011":
			a = maps.Area{Code: code, Name: "ลาดกระบัง <&>", ZoneCode: "10-Z4", Figure: maps.Figure{Count: 6, Total: 12}, Href: "/reports/committee?area=1011&indicator=red_safety"}
		case "1003":
			a = maps.Area{Code: code, Name: "หนองจอก", ZoneCode: "10-Z4", Figure: maps.Figure{Suppressed: true, CountLabel: "< 5", TotalLabel: "10"}, Href: "/reports/committee?area=1003"}
		case "1010":
			a = maps.Area{Code: code, Name: "มีนบุรี", ZoneCode: "10-Z4"}
		}
		areas = append(areas, a)
	}
	svg, err := maps.Render(areas, maps.Labels{Title: "แผนที่ทดสอบ", Desc: "คำอธิบาย", Suppressed: "น้อยกว่า 5", NoData: "ไม่มี", Outside: "นอกพื้นที่",
		ZoneEdge: "กลุ่มเขต", Legend: "คำอธิบายสัญลักษณ์"})
	if err != nil {
		t.Fatal(err)
	}
	// Well-formed XML, no script, no external reference.
	d := xml.NewDecoder(strings.NewReader(svg))
	links, groups := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			switch se.Name.Local {
			case "script", "image", "foreignObject", "style":
				t.Errorf("element %s in the map", se.Name.Local)
			case "a":
				links++
			case "g":
				for _, at := range se.Attr {
					if at.Name.Local == "class" && at.Value == "district" {
						groups++
					}
				}
			}
		}
	}
	if links != 2 || links+groups != 50 {
		t.Errorf("%d links and %d plain districts", links, groups)
	}
	for _, want := range []string{
		`<title id="map-t">แผนที่ทดสอบ</title>`, `<desc id="map-d">คำอธิบาย</desc>`,
		`<title>ลาดกระบัง &lt;&amp;&gt;: 50.0%</title>`, `<title>หนองจอก: &lt; 5</title>`, `<title>มีนบุรี: –</title>`,
		`href="/reports/committee?area=1011&amp;indicator=red_safety"`, `data-class="-1"`, `data-class="-2"`, `class="zones"`, "คำอธิบายสัญลักษณ์",
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("map lacks %s", want)
		}
	}
	if strings.Contains(svg, "http://") && strings.Count(svg, "http://") != 1 { // the xmlns only
		t.Error("the map references another address")
	}
}

func TestRenderPoints(t *testing.T) {
	svg := maps.RenderPoints([]maps.Point{
		{Name: "ชุมชนร่มเกล้า", Lat: 13.7279, Lon: 100.7782, Figure: maps.Figure{Count: 6, Total: 12}},
		{Name: "ชุมชน <b>", Lat: 13.7401, Lon: 100.7510, Figure: maps.Figure{Suppressed: true, CountLabel: "< 5", TotalLabel: "30"}},
	}, maps.Labels{Title: "จุด", Desc: "ชุมชน", Suppressed: "น้อยกว่า 5", NoData: "ไม่มี", Legend: "คำอธิบาย"})
	if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
		t.Fatalf("not XML: %v", err)
	}
	for _, want := range []string{`<title>ชุมชนร่มเกล้า: 50.0%</title>`, `<title>ชุมชน &lt;b&gt;: &lt; 5</title>`, `<title id="pts-t">จุด</title>`} {
		if !strings.Contains(svg, want) {
			t.Errorf("points lack %s", want)
		}
	}
	// East is right, north is up.
	var x1, y1, x2, y2 float64
	first := svg[strings.Index(svg, "ชุมชนร่มเกล้า"):]
	if _, err := fmt.Sscanf(first[strings.Index(first, "<circle cx=\"")+len("<circle "):], `cx="%f" cy="%f"`, &x1, &y1); err != nil {
		t.Fatal(err)
	}
	rest := svg[strings.Index(svg, "ชุมชน &lt;b&gt;"):]
	if _, err := fmt.Sscanf(rest[strings.Index(rest, "<circle cx=\"")+len("<circle "):], `cx="%f" cy="%f"`, &x2, &y2); err != nil {
		t.Fatal(err)
	}
	if !(x1 > x2 && y1 > y2) {
		t.Errorf("Rom Klao (east, south) at %v,%v; the other at %v,%v", x1, y1, x2, y2)
	}
}
