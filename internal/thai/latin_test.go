package thai

import (
	"slices"
	"testing"
)

func TestLatinPhoneticKey(t *testing.T) {
	tests := []struct{ in, want, why string }{
		{"", "", "empty"},
		{"123-.", "", "no letters"},
		{"Kittiphong", "kItIpg", "ph = p, ng = ง, tt once"},
		{"KITTIPONG", "kItIpg", "case"},
		{"Natthawut", "ntwUt", "tth once"},
		{"Somchay", "smcn", "ay is the y-glide"},
		{"Somchai", "smcn", "ai is the y-glide"},
		{"Chaiyawat", "cnwt", "y repeating the glide"},
		{"Buakaeo", "bUkw", "aeo is the w-glide"},
		{"Saowalak", "swrk", "ao is the w-glide, l onset r"},
		{"Porn", "pn", "r after a vowel marks length"},
		{"Phol", "pn", "final l = n"},
		{"Boonyarit", "bUnyrIt", "oo = u"},
		{"Jaroen", "crIn", "j = ch, oe = i/e class"},
		{"Prasert", "psIt", "pr cluster, er"},
		{"Srisuk", "sIsUk", "sr: silent r"},
		{"Sarawut", "srwUt", "r between vowels kept"},
		{"Pairote", "pnrt", "silent final e"},
		{"Wichai", "wIcn", "w"},
		{"Vichai", "wIcn", "v = w"},
		{"Gittipong", "kItIpg", "g = k"},
		{"Ekachai", "xIkcn", "initial vowel = x"},
		{"Umnart", "xmnt", "initial Um- for อำ"},
		{"Nongluck", "ngrk", "-uck for ัก"},
		{"Rüang", "rUg", "accents folded"},
		{"Thanakrit", "tnkIt", "kr cluster"},
		{"Mana", "mnA", "final a"},
		{"Mae", "mE", "final ae"},
		{"Por", "pO", "final o(r)"},
		{"Manee", "mn", "final i dropped"},
		{"Bua", "bA", "ua: u class, a at the end"},
		{"Sae-Tang", "stg", "hyphen"},
		{"Xay", "ksn", "x = ks"},
	}
	for _, tc := range tests {
		if got := LatinPhoneticKey(tc.in); got != tc.want {
			t.Errorf("LatinPhoneticKey(%q) = %q, want %q (%s)", tc.in, got, tc.want, tc.why)
		}
	}
}

func TestNameKeys(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"นาย", []string{"nn"}}, // a bare title is a name, not a title
		{"นาย สมชาย ใจดี", []string{"smcn", "cnd"}},
		{"Mr. Somchai Jaidee", []string{"smcn", "cnd"}},
		{"ด.ช.สมชาย  Jaidee", []string{"smcn", "cnd"}},
		{"นางสาว ศรีสุข สีสุข", []string{"sIsUk"}},
		{"ด.ญ. ณัฐณิชา แซ่ตั้ง", []string{"ntnIcA", "stg"}},
		{"เด็กหญิงพิมพ์ชนก ศรีสวัสดิ์", []string{"pImcnk", "sIswt"}},
		{"Miss Pimchanok Srisawat", []string{"pImcnk", "sIswt"}},
		{"สมชาย ...", []string{"smcn"}},
	}
	for _, tc := range tests {
		if got := NameKeys(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("NameKeys(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func BenchmarkLatinPhoneticKey(b *testing.B) {
	names := []string{"Somchai", "Kittiphong", "Natthawut", "Srisuk", "Saowalak", "Praphaphon", "Thanakrit", "Jaroensuk"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		LatinPhoneticKey(names[i%len(names)])
	}
}

func BenchmarkNameKeys(b *testing.B) {
	names := []string{"นาย สมชาย ใจดี", "ด.ญ.ณัฐณิชา แซ่ตั้ง", "นางสาว เสาวลักษณ์ ทองประเสริฐ", "Mr. Kittiphong Srisuk"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		NameKeys(names[i%len(names)])
	}
}
