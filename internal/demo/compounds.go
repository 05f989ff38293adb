package demo

import (
	"strings"
	"sync"
)

// Compound names. Thai family names are by law unique to one family line
// (the Personal Names Act), so a real million people carry hundreds of
// thousands of them, not the hundred of familyNames; and children born
// since the 2000s mostly have rare two-part Pali–Sanskrit given names
// (ธน + กฤต). A population drawn only from the short lists would give every
// name tens of thousands of holders and make name search look far harder
// than it is. So most family names, and half the younger generation's given
// names, are built from auspicious parts the way real ones are: about
// 20,000 family names and 800 given names more.

type morpheme struct{ th, latin string }

var surnameHeads = []morpheme{
	{"ศรี", "Si"}, {"ทอง", "Thong"}, {"แก้ว", "Kaeo"}, {"บุญ", "Bun"}, {"วงศ์", "Wong"}, {"สุข", "Suk"},
	{"เจริญ", "Charoen"}, {"ชัย", "Chai"}, {"มณี", "Mani"}, {"จันทร์", "Chan"}, {"สุวรรณ", "Suwan"}, {"รุ่ง", "Rung"},
	{"แสง", "Saeng"}, {"เพชร", "Phet"}, {"พร", "Phon"}, {"อินทร์", "In"}, {"ประเสริฐ", "Prasoet"}, {"นาค", "Nak"},
	{"คำ", "Kham"}, {"พูล", "Phun"}, {"ดวง", "Duang"}, {"ยอด", "Yot"}, {"เรือง", "Rueang"}, {"มั่น", "Man"},
	{"เกียรติ", "Kiat"}, {"ธนา", "Thana"}, {"สิริ", "Siri"}, {"กิตติ", "Kitti"}, {"รัตน", "Rattana"}, {"วิเศษ", "Wiset"},
	{"อุดม", "Udom"}, {"ศักดิ์", "Sak"}, {"พงษ์", "Phong"}, {"นิล", "Nin"}, {"บัว", "Bua"},
}

var surnameMiddles = []morpheme{
	{"ประ", "pra"}, {"สม", "som"}, {"กิจ", "kit"}, {"ไพ", "phai"}, {"วิ", "wi"}, {"ธรรม", "tham"},
	{"ทรัพย์", "sap"}, {"มงคล", "mongkhon"}, {"ชาติ", "chat"}, {"เลิศ", "loet"}, {"ภักดิ์", "phak"}, {"นิธิ", "nithi"},
}

var surnameTails = []morpheme{
	{"สุข", "suk"}, {"ทอง", "thong"}, {"ดี", "di"}, {"มา", "ma"}, {"วงศ์", "wong"}, {"สวัสดิ์", "sawat"},
	{"ศรี", "si"}, {"แก้ว", "kaeo"}, {"มณี", "mani"}, {"เจริญ", "charoen"}, {"ประเสริฐ", "prasoet"}, {"พันธ์", "phan"},
	{"รัตน์", "rat"}, {"ชัย", "chai"}, {"ผล", "phon"}, {"ทรัพย์", "sap"}, {"กุล", "kun"}, {"วัฒนา", "watthana"},
	{"พงษ์", "phong"}, {"ศักดิ์", "sak"}, {"สมบัติ", "sombat"}, {"เรือง", "rueang"}, {"งาม", "ngam"}, {"ไพศาล", "phaisan"},
	{"ธรรม", "tham"}, {"บุญ", "bun"}, {"อุดม", "udom"}, {"สกุล", "sakun"}, {"ภักดี", "phakdi"}, {"ยืน", "yuen"},
	{"นิยม", "niyom"}, {"พัฒน์", "phat"}, {"เดช", "det"}, {"สิทธิ์", "sit"}, {"ศิลป์", "sin"},
}

var maleHeads = []morpheme{
	{"ธน", "Thana"}, {"ภูมิ", "Phumi"}, {"กิตติ", "Kitti"}, {"ณัฐ", "Natta"}, {"ศุภ", "Supha"}, {"พีร", "Phira"},
	{"ชย", "Chaya"}, {"ธีร", "Thira"}, {"วร", "Wora"}, {"สิร", "Sira"}, {"ภัทร", "Phatthara"}, {"กันต", "Kanta"},
	{"จิร", "Chira"}, {"รัฐ", "Rattha"}, {"วีร", "Wira"}, {"อภิ", "Aphi"}, {"ศิว", "Siwa"}, {"ปวร", "Pawara"},
	{"เตช", "Techa"}, {"ภาณุ", "Phanu"},
}

var maleTails = []morpheme{
	{"พล", "phon"}, {"กร", "kon"}, {"วัฒน์", "wat"}, {"ภัทร", "phat"}, {"กฤต", "krit"}, {"ภูมิ", "phum"},
	{"พงศ์", "phong"}, {"ชัย", "chai"}, {"วุฒิ", "wut"}, {"ดนัย", "danai"}, {"วิชญ์", "wit"}, {"ภพ", "phop"},
	{"นนท์", "non"}, {"เดช", "det"}, {"ธร", "thon"}, {"ศักดิ์", "sak"}, {"ปกรณ์", "pakon"}, {"ธาดา", "thada"},
	{"กานต์", "kan"}, {"เมธ", "met"},
}

var femaleHeads = []morpheme{
	{"ณัฐ", "Nat"}, {"พิมพ์", "Phim"}, {"ธัญ", "Than"}, {"กมล", "Kamon"}, {"ปภา", "Papha"}, {"ศิร", "Sira"},
	{"วร", "Wora"}, {"สุ", "Su"}, {"กัญญา", "Kanya"}, {"ภัทร", "Phattha"}, {"ปาณิ", "Pani"}, {"อริ", "Ari"},
	{"เบญ", "Ben"}, {"พัชร", "Phatchara"}, {"ศุภ", "Supha"}, {"จิรา", "Chira"}, {"นภ", "Napha"}, {"ชญา", "Chaya"},
	{"ปิย", "Piya"}, {"อัญ", "An"},
}

var femaleTails = []morpheme{
	{"ชนก", "chanok"}, {"ณิชา", "nicha"}, {"นันท์", "nan"}, {"ภา", "pha"}, {"ดา", "da"}, {"ธิดา", "thida"},
	{"วรรณ", "wan"}, {"พร", "phon"}, {"รัตน์", "rat"}, {"ญา", "ya"}, {"สรา", "sara"}, {"มน", "mon"},
	{"ลดา", "lada"}, {"วดี", "wadi"}, {"ทิพย์", "thip"}, {"ณี", "ni"}, {"ชา", "cha"}, {"นิษฐ์", "nit"},
	{"กานต์", "kan"}, {"ลักษณ์", "lak"},
}

type compoundNames struct {
	family, male, female []string
	latin                map[string]string // Thai → RTGS
}

// compounds builds the compound names once, when first asked for.
var compounds = sync.OnceValue(func() *compoundNames {
	c := &compoundNames{latin: map[string]string{}}
	taken := map[string]bool{}
	for _, lists := range [][]string{maleNamesOlder, maleNamesNewer, femaleNamesOlder, femaleNamesNewer, familyNames} {
		for _, n := range lists {
			taken[n] = true
		}
	}
	add := func(dst *[]string, th, latin string) {
		if taken[th] {
			return
		}
		taken[th] = true
		*dst = append(*dst, th)
		c.latin[th] = latin
	}
	for _, h := range surnameHeads {
		for _, t := range surnameTails {
			if h.th == t.th {
				continue
			}
			add(&c.family, h.th+t.th, h.latin+t.latin)
			for _, m := range surnameMiddles {
				add(&c.family, h.th+m.th+t.th, h.latin+m.latin+t.latin)
			}
		}
	}
	for _, h := range maleHeads {
		for _, t := range maleTails {
			if !strings.HasSuffix(h.th, t.th) && h.th != t.th {
				add(&c.male, h.th+t.th, h.latin+t.latin)
			}
		}
	}
	for _, h := range femaleHeads {
		for _, t := range femaleTails {
			if h.th != t.th {
				add(&c.female, h.th+t.th, h.latin+t.latin)
			}
		}
	}
	return c
})

// latinOf returns the Latin spellings of a Thai given or family name.
func latinOf(name string) string {
	if s, ok := latinSpellings[name]; ok {
		return s
	}
	return compounds().latin[name]
}
