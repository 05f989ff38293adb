package thai

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalizeName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"\u200b", ""},
		{"สมชาย ใจดี", "สมชาย ใจดี"},
		{"  สมชาย   ใจดี ", "สมชาย ใจดี"},
		{"สมชาย\u200bใจดี", "สมชาย ใจดี"},         // zero-width space: a word break
		{"สมชาย\u00a0\u00a0ใจดี", "สมชาย ใจดี"},   // NBSP
		{"\tสมชาย\r\n ใจดี\u3000", "สมชาย ใจดี"},  // tab, CRLF, ideographic space
		{"สม\u200dชาย\u00ad", "สมชาย"},            // ZWJ and soft hyphen deleted
		{"\ufeffสมชาย", "สมชาย"},                  // BOM from a pasted CSV
		{"เเก้วมณี", "แก้วมณี"},                   // เ+เ typed for แ
		{"แเก้ว", "แเก้ว"},                        // a real แ followed by เ is left alone
		{"เเเ", "แเ"},                             // pairs only
		{"นํา", "นำ"},                             // nikhahit + sara aa
		{"นํ้า", "น้ำ"},                           // nikhahit, tone, sara aa
		{"น้ํา", "น้ำ"},                           // tone, nikhahit, sara aa
		{"นำ้", "น้ำ"},                            // tone typed after sara am
		{"ท่ี", "ที่"},                            // tone before the upper vowel
		{"ปู่", "ปู่"},                            // tone before the lower vowel
		{"ศักด์ิ", "ศักดิ์"},                      // thanthakhat before the vowel
		{"กิ่่ง", "กิ่ง"},                         // tone mark typed twice
		{"กิิ่ง", "กิ่ง"},                         // vowel typed twice
		{"สมชาาย", "สมชาย"},                       // sara aa typed twice
		{"แแก้ว", "แก้ว"},                         // sara ae typed twice
		{"นำำ", "นำ"},                             // sara am typed twice
		{"McDonald  O'Brien", "McDonald O'Brien"}, // Latin kept as typed
		{"somCHAI  jaiDEE", "somCHAI jaiDEE"},
		{"Nguyễn\u00a0Văn", "Nguyễn Văn"},
		{"\xffสมชาย", "\ufffdสมชาย"},
		{"สม\x00ชาย\x7f", "สมชาย"},         // control characters deleted
		{"\xe0   \x00", "\ufffd"},          // found by fuzzing: NUL was taken for "no base"
		{"\u0e34\u0e48ก", "\u0e34\u0e48ก"}, // marks with nothing to sit on stay as typed
		{"ํา็ำุ", "็ุำ"},                   // found by a random test: stray marks and sara am
	}
	for _, tc := range tests {
		got := NormalizeName(tc.in)
		if got != tc.want {
			t.Errorf("NormalizeName(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if again := NormalizeName(got); again != got {
			t.Errorf("NormalizeName not idempotent on %q: %q then %q", tc.in, got, again)
		}
	}
}

func TestSplitTitle(t *testing.T) {
	tests := []struct {
		in, code, rest string
	}{
		// Thai titles, full and abbreviated, with or without space and dots.
		{"ด.ช.สมชาย", TitleMaster, "สมชาย"},
		{"ด.ช. สมชาย ใจดี", TitleMaster, "สมชาย ใจดี"},
		{"ด. ช. สมชาย", TitleMaster, "สมชาย"},
		{"ด.ชสมชาย", TitleMaster, "สมชาย"},
		{"ดช สมชาย", TitleMaster, "สมชาย"},
		{"ดช. สมชาย", TitleMaster, "สมชาย"},
		{"  ด.ช.  สมชาย  ", TitleMaster, "สมชาย"},
		{"เด็กชายสมชาย", TitleMaster, "สมชาย"},
		{"เด็กชาย สมชาย", TitleMaster, "สมชาย"},
		{"ด.ญ.มาลี", TitleGirl, "มาลี"},
		{"ดญ มาลี", TitleGirl, "มาลี"},
		{"เด็กหญิงมาลี", TitleGirl, "มาลี"},
		{"เด็กหญิง ณัฐณิชา แซ่ตั้ง", TitleGirl, "ณัฐณิชา แซ่ตั้ง"},
		{"นางสาว สมหญิง", TitleMiss, "สมหญิง"},
		{"นางสาวสมหญิง", TitleMiss, "สมหญิง"},
		{"น.ส.สมหญิง", TitleMiss, "สมหญิง"},
		{"น.ส. สมหญิง", TitleMiss, "สมหญิง"},
		{"นส สมหญิง", TitleMiss, "สมหญิง"},
		{"นาง สมศรี", TitleMrs, "สมศรี"},
		{"นางสมศรี", TitleMrs, "สมศรี"},
		{"นาง สาวิตรี", TitleMrs, "สาวิตรี"},
		{"นางสาวิตรี", TitleMrs, "สาวิตรี"}, // ิ after นางสาว: the title is นาง
		{"นาย สมชาย", TitleMr, "สมชาย"},
		{"นายสมชาย", TitleMr, "สมชาย"},
		{"นายกร", TitleMr, "กร"},   // two consonants left: a name
		{"นายเอก", TitleMr, "เอก"}, // a leading vowel may start the name
		{"นาย ก", TitleMr, "ก"},    // with a space the title is explicit
		{"Mr. Somchai Jaidee", TitleMr, "Somchai Jaidee"},
		{"Mr Somchai", TitleMr, "Somchai"},
		{"MR.SOMCHAI", TitleMr, "SOMCHAI"},
		{"mrs Suda", TitleMrs, "Suda"},
		{"Ms.Suda", TitleMs, "Suda"},
		{"Miss Suda", TitleMiss, "Suda"},
		{"Master Kittipong", TitleMaster, "Kittipong"},
		{"Mr. สมชาย", TitleMr, "สมชาย"},

		// Not titles: the rest would be empty, a title that is part of a
		// longer one, or a name that merely starts with the same letters.
		{"", "", ""},
		{"สมชาย ใจดี", "", "สมชาย ใจดี"},
		{"นาย", "", "นาย"},
		{"นาง", "", "นาง"},
		{"นางสาว", "", "นางสาว"}, // never นาง + สาว
		{"นางสาว ", "", "นางสาว"},
		{"เด็กชาย", "", "เด็กชาย"},
		{"ด.ช.", "", "ด.ช."},
		{"นายก", "", "นายก"},     // one letter would be left
		{"นาคา", "", "นาคา"},     // starts with นา, no title
		{"นายิกา", "", "นายิกา"}, // ย carries ิ: not the end of a title
		{"นางาม", "", "นางาม"},
		{"นาวิน", "", "นาวิน"},
		{"ดชสมชาย", "", "ดชสมชาย"}, // dotless abbreviation needs a space
		{"นสรีน", "", "นสรีน"},
		{"ดิษฐ์", "", "ดิษฐ์"},
		{"Mr", "", "Mr"},
		{"Mr.", "", "Mr."},
		{"Mrsomchai", "", "Mrsomchai"},
		{"Msomchai", "", "Msomchai"},
		{"Mister Somchai", "", "Mister Somchai"},
		{"Missy Chan", "", "Missy Chan"},
		{"เเด็กชายสมชาย", "", "แด็กชายสมชาย"}, // เ+เ is แ: not เด็กชาย
	}
	for _, tc := range tests {
		title, rest, ok := SplitTitle(tc.in)
		if ok != (tc.code != "") || title.Code != tc.code || rest != tc.rest {
			t.Errorf("SplitTitle(%q) = %q, %q, %v; want %q, %q", tc.in, title.Code, rest, ok, tc.code, tc.rest)
		}
	}
}

func TestSplitTitleFields(t *testing.T) {
	title, _, _ := SplitTitle("ด.ญ.มาลี")
	want := Title{Code: TitleGirl, TH: "เด็กหญิง", Abbrev: "ด.ญ.", EN: "Miss", Sex: "female", Child: true}
	if title != want {
		t.Errorf("ด.ญ. = %+v, want %+v", title, want)
	}
	title, _, _ = SplitTitle("Mr Somchai")
	if title.TH != "นาย" || title.Sex != "male" || title.Child {
		t.Errorf("Mr = %+v", title)
	}
	// Every title has a code, an English form and a known sex.
	codes := map[string]bool{}
	for _, tt := range Titles() {
		if tt.Code == "" || tt.EN == "" || (tt.Sex != "male" && tt.Sex != "female" && tt.Sex != "") || codes[tt.Code] {
			t.Errorf("bad title %+v", tt)
		}
		codes[tt.Code] = true
		if got, ok := TitleByCode(tt.Code); !ok || got != tt {
			t.Errorf("TitleByCode(%q) = %+v, %v", tt.Code, got, ok)
		}
	}
	if _, ok := TitleByCode("dr"); ok {
		t.Error("TitleByCode(dr) found a title")
	}
	// Titles returns a copy.
	ts := Titles()
	ts[0].TH = "x"
	if Titles()[0].TH == "x" {
		t.Error("Titles() exposes the package's table")
	}
}

func TestSplitFullName(t *testing.T) {
	tests := []struct {
		in, code, given, family string
	}{
		{"นาย สมชาย ใจดี", TitleMr, "สมชาย", "ใจดี"},
		{"ด.ญ.ณัฐณิชา  แซ่ตั้ง", TitleGirl, "ณัฐณิชา", "แซ่ตั้ง"},
		{"สมชาย\u200bใจดี", "", "สมชาย", "ใจดี"},
		{"สมชาย", "", "สมชาย", ""},
		{"Mr. Somchai Jai Dee", TitleMr, "Somchai", "Jai Dee"},
		{"นางสาว", "", "นางสาว", ""},
		{"", "", "", ""},
	}
	for _, tc := range tests {
		title, given, family := SplitFullName(tc.in)
		if title.Code != tc.code || given != tc.given || family != tc.family {
			t.Errorf("SplitFullName(%q) = %q, %q, %q; want %q, %q, %q",
				tc.in, title.Code, given, family, tc.code, tc.given, tc.family)
		}
	}
}

func FuzzNormalizeName(f *testing.F) {
	for _, s := range []string{
		"", " ", "สมชาย ใจดี", "  นาย\u200bสมชาย\u00a0 ใจดี ", "เเก้ว", "เเเ", "นํ้า", "นำ้", "ท่ี",
		"ศักด์ิ", "กิ่่ง", "สมชาาย", "ํา", "่ิก", "ก่ํา", "Mr. Somchai", "\xff\xfe", "ำำ่", "า่า",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeName(s)
		if again := NormalizeName(n); again != n {
			t.Fatalf("not idempotent: %q → %q → %q", s, n, again)
		}
		if utf8.ValidString(s) && !utf8.ValidString(n) {
			t.Fatalf("invalid UTF-8 out of %q: %q", s, n)
		}
		if strings.HasPrefix(n, " ") || strings.HasSuffix(n, " ") || strings.Contains(n, "  ") {
			t.Fatalf("NormalizeName(%q) = %q: untidy spaces", s, n)
		}
		for _, r := range n {
			if r != ' ' && (isSpace(r) || isInvisible(r)) {
				t.Fatalf("NormalizeName(%q) = %q keeps %U", s, n, r)
			}
		}
	})
}

func FuzzSplitTitle(f *testing.F) {
	for _, s := range []string{
		"ด.ช.สมชาย", "ดช สมชาย", "เด็กชายสมชาย", "นางสาว สมหญิง", "นางสาว", "นางสาวิตรี", "นายก",
		"นาคา", "Mr. Somchai", "Ms.", "MRS x", "น.ส.", "ด. ญ. ", "นาย ิ", "Mr.. x", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		title, rest, ok := SplitTitle(s)
		if !ok {
			if title != (Title{}) || rest != NormalizeName(s) {
				t.Fatalf("SplitTitle(%q) = %+v, %q, false", s, title, rest)
			}
			return
		}
		if rest == "" || rest != NormalizeName(rest) {
			t.Fatalf("SplitTitle(%q): rest %q", s, rest)
		}
		if known, found := TitleByCode(title.Code); !found || known != title {
			t.Fatalf("SplitTitle(%q): unknown title %+v", s, title)
		}
		// The title in its canonical form plus the rest splits the same way.
		label := title.TH
		if label == "" {
			label = title.EN
		}
		t2, rest2, ok2 := SplitTitle(label + " " + rest)
		if !ok2 || t2 != title || rest2 != rest {
			t.Fatalf("SplitTitle(%q) = %q, %q; rebuilt %q splits as %q, %q, %v",
				s, title.Code, rest, label+" "+rest, t2.Code, rest2, ok2)
		}
		// The full-name split agrees.
		ft, given, family := SplitFullName(s)
		if ft != title || strings.TrimSpace(given+" "+family) != rest {
			t.Fatalf("SplitFullName(%q) = %q, %q, %q; SplitTitle rest %q", s, ft.Code, given, family, rest)
		}
	})
}

// randomNameAlphabet mixes every Thai letter, vowel and mark with the
// spaces, dots and Latin letters found in typed names, so that random
// strings reach the Thai-specific paths that byte-level fuzzing rarely
// assembles (a Thai character is three bytes).
var randomNameAlphabet = func() []string {
	var a []string
	for r := rune(0x0e01); r <= 0x0e4e; r++ {
		a = append(a, string(r))
	}
	for _, s := range []string{"เ", "เ", "่", "้", "ํ", "า", "ร", "ร", "์", " ", " ", "\u200b", "\u00a0",
		".", "a", "o", "h", "r", "y", "S", "-", "นาย", "นาง", "นางสาว", "ด.ช.", "ดช", "Mr.", "Ms "} {
		a = append(a, s)
	}
	return a
}()

func randomName(rng *rand.Rand) string {
	var b strings.Builder
	for n := rng.IntN(12); n >= 0; n-- {
		b.WriteString(randomNameAlphabet[rng.IntN(len(randomNameAlphabet))])
	}
	return b.String()
}

// TestNamePropertiesRandom checks the fuzz properties on 50,000 seeded
// random Thai-heavy strings.
func TestNamePropertiesRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 50000; i++ {
		s := randomName(rng)
		n := NormalizeName(s)
		if NormalizeName(n) != n {
			t.Fatalf("NormalizeName not idempotent on %q: %q → %q", s, n, NormalizeName(n))
		}
		if k := PhoneticKey(s); k != PhoneticKey(n) || len(k) > MaxKeyLen {
			t.Fatalf("PhoneticKey(%q) = %q, of normalised %q", s, k, PhoneticKey(n))
		}
		title, rest, ok := SplitTitle(s)
		if ok {
			label := title.TH
			if label == "" {
				label = title.EN
			}
			if t2, r2, ok2 := SplitTitle(label + " " + rest); !ok2 || t2 != title || r2 != rest {
				t.Fatalf("SplitTitle(%q) = %q, %q; rebuilt gives %q, %q, %v", s, title.Code, rest, t2.Code, r2, ok2)
			}
		} else if rest != n {
			t.Fatalf("SplitTitle(%q) not ok but rest %q != %q", s, rest, n)
		}
		if u := Udom83(s); u != "" && utf8.RuneCountInString(u) != 7 {
			t.Fatalf("Udom83(%q) = %q", s, u)
		}
		if l := LK82(s); l != "" && utf8.RuneCountInString(l) != 5 {
			t.Fatalf("LK82(%q) = %q", s, l)
		}
	}
}
