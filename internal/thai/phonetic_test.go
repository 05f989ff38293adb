package thai

import (
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

// Published examples for the two Thai soundex systems (THAI-FACTS.md and
// the examples that accompany the published rules).
func TestUdom83(t *testing.T) {
	tests := []struct{ in, want string }{
		{"รัก", "ร100000"},
		{"ลัก", "ร100000"},
		{"รักษ์", "ร100000"},
		{"บูรณการ", "บ931900"},
		{"ปัจจุบัน", "ป775300"},
		{"รถ", "ร800000"},
		{"น์", ""},
		{"", ""},
		{"Somchai", ""},
		{"สมชาย", "ส072000"},
		{"  รัก\u200b", "ร100000"}, // normalised first
	}
	for _, tc := range tests {
		if got := Udom83(tc.in); got != tc.want {
			t.Errorf("Udom83(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, pair := range [][2]string{{"วรร", "วัน"}, {"เหตุ", "เหด"}, {"ไท", "ทย"}, {"จำ", "จม"}} {
		if a, b := Udom83(pair[0]), Udom83(pair[1]); a != b {
			t.Errorf("Udom83(%q) = %q, Udom83(%q) = %q; want equal", pair[0], a, pair[1], b)
		}
	}
}

func TestLK82(t *testing.T) {
	tests := []struct{ in, want string }{
		{"รัก", "ร1000"},
		{"ลัก", "ร1000"},
		{"รักษ์", "ร1000"},
		{"บูรณการ", "บE419"},
		{"ปัจจุบัน", "ป3E54"},
		{"รถ", "ร3000"},
		{"ก", "ก0000"},
		{"ก็", "ก0000"},
		{"เ", "B0000"},
		{"น์", ""},
		{"ๆ", ""},
		{"", ""},
		{"Somchai", ""},
		{"สมชาย", "ซ6397"},
	}
	for _, tc := range tests {
		if got := LK82(tc.in); got != tc.want {
			t.Errorf("LK82(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if a, b := LK82("เหตุ"), LK82("เหด"); a != b {
		t.Errorf("LK82(เหตุ) = %q, LK82(เหด) = %q; want equal", a, b)
	}
}

// thaiLatinCases pairs Thai names with their key and romanised spellings
// (RTGS and the personal spellings found on ID cards and passports) that
// must reach the same key.
var thaiLatinCases = []struct {
	thai, key string
	latin     []string
}{
	{"สมชาย", "smcn", []string{"Somchai", "Somchay", "SOMCHAI", "Som-chai"}},
	{"สมชาญ", "smcn", []string{"Somchan"}},
	{"กิตติพงษ์", "kItIpg", []string{"Kittipong", "Kittiphong", "Kitipong", "Gittipong"}},
	{"กิตติพงศ์", "kItIpg", nil},
	{"ณัฐวุฒิ", "ntwUt", []string{"Nattawut", "Natthawut", "Natthawoot"}},
	{"นัฐวุฒิ", "ntwUt", nil},
	{"ศรีสุข", "sIsUk", []string{"Srisuk", "Sisuk", "Srisook"}},
	{"สีสุข", "sIsUk", nil},
	{"รัตนา", "rtnA", []string{"Rattana", "Ratana", "Rattanah"}},
	{"สุดา", "sUdA", []string{"Suda", "Sooda"}},
	{"มานี", "mn", []string{"Manee", "Mani"}},
	{"มานะ", "mnA", []string{"Mana"}},
	{"สมศรี", "sms", []string{"Somsri", "Somsee"}},
	{"ประเสริฐ", "psIt", []string{"Prasert", "Prasoet", "Prasirt"}},
	{"บุญมี", "bUnm", []string{"Boonmee", "Bunmi", "Boonmi"}},
	{"ใจดี", "cnd", []string{"Jaidee", "Chaidi", "Chaidee"}},
	{"พรทิพย์", "pntIp", []string{"Pornthip", "Phonthip", "Porntip"}},
	{"สุภาพร", "sUppn", []string{"Supaporn", "Suphaphon", "Supaphorn"}},
	{"ธนากร", "tnkn", []string{"Thanakorn", "Thanakon", "Tanakorn"}},
	{"ชลธิชา", "cntIcA", []string{"Chonthicha", "Cholticha", "Chontícha"}},
	{"นพดล", "npdn", []string{"Noppadon", "Nopphadon", "Noppadol"}},
	{"ธนกฤต", "tnkIt", []string{"Thanakrit", "Tanakrit"}},
	{"ชยพล", "cypn", []string{"Chayaphon", "Chayapol"}},
	{"วรวุฒิ", "wrwUt", []string{"Worawut", "Vorawut", "Worawoot"}},
	{"สุรชัย", "sUrcn", []string{"Surachai", "Surachay"}},
	{"ธีรพงษ์", "tIrpg", []string{"Theerapong", "Thiraphong", "Teerapong"}},
	{"เสาวลักษณ์", "swrk", []string{"Saowalak", "Saowaluck"}},
	{"นงลักษณ์", "ngrk", []string{"Nonglak", "Nongluck", "Nongrak"}},
	{"จันทร์เพ็ญ", "cnpIn", []string{"Chanpen", "Janpen", "Chanphen"}},
	{"อรอุมา", "xnUmA", []string{"Onuma", "Ornuma", "Orn-uma"}},
	{"อำนาจ", "xmnt", []string{"Amnat", "Umnart", "Amnart"}},
	{"ไพโรจน์", "pnrt", []string{"Phairot", "Pairote", "Pairoj"}},
	{"เอกชัย", "xIkcn", []string{"Ekachai", "Ekkachai", "Eakachai"}},
	{"ชัยวัฒน์", "cnwt", []string{"Chaiwat", "Chaiyawat", "Chaiwath"}},
	{"บุญชัย", "bUncn", []string{"Boonchai", "Bunchai"}},
	{"วิชัย", "wIcn", []string{"Wichai", "Vichai", "Wichay"}},
	{"อภิชาติ", "xpIct", []string{"Aphichat", "Apichart", "Apichat"}},
	{"สุเทพ", "sUtIp", []string{"Suthep", "Sutep"}},
	{"ประภาพร", "pppn", []string{"Praphaphon", "Prapaporn"}},
	{"วันเพ็ญ", "wnpIn", []string{"Wanpen", "Wanphen"}},
	{"ยุพิน", "yUpIn", []string{"Yupin", "Yuphin"}},
	{"ศิริพร", "sIrIpn", []string{"Siriporn", "Siriphon"}},
	{"จิราพร", "cIrpn", []string{"Jiraporn", "Chiraphon"}},
	{"ดวงใจ", "dUgcn", []string{"Duangjai", "Duangchai"}},
	{"บัวแก้ว", "bUkw", []string{"Buakaew", "Buakaeo", "Bua-kaew"}},
	{"แสงทอง", "sgtg", []string{"Saengthong", "Sangthong", "Sangtong"}},
	{"ทองดี", "tgd", []string{"Thongdee", "Tongdee", "Thongdi"}},
	{"ภัทรพล", "ptrpn", []string{"Phattharaphon", "Pattarapon", "Phattarapol"}},
	{"จักรพันธ์", "ckpn", []string{"Chakkraphan", "Chakraphan", "Jakkapan"}},
	{"ธีรภัทร", "tIrpt", []string{"Thiraphat", "Teerapat", "Theeraphat"}},
	{"ภูมิ", "pUm", []string{"Phum", "Phumi", "Poom", "Bhumi"}},
	{"เบญจวรรณ", "bIncwn", []string{"Benjawan", "Benchawan"}},
	{"วรรณา", "wnA", []string{"Wanna", "Wannah"}},
	{"พรรณี", "pn", []string{"Phannee", "Pannee", "Phanni"}},
	{"อรรถพล", "xtpn", []string{"Attaphon", "Auttapol", "Atthaphon"}},
	{"ยุทธนา", "yUtnA", []string{"Yutthana", "Yuttana"}},
	{"บุตรดี", "bUtd", []string{"Butdee", "Bootdee"}},
	{"สมหญิง", "smyIg", []string{"Somying"}},
	{"อยู่สุข", "yUsUk", []string{"Yusuk", "Yoosuk"}},
	{"พรหมมา", "pmA", []string{"Phromma", "Promma"}},
	{"รุ่งนภา", "rUgnpA", []string{"Rungnapa", "Rungnapha"}},
	{"เกศินี", "kIsIn", []string{"Kesinee", "Kesini", "Ketsini"}},
	{"ขวัญใจ", "kwncn", []string{"Khwanjai", "Kwanjai"}},
	{"ธวัชชัย", "twtcn", []string{"Thawatchai", "Tawatchai"}},
	{"ศราวุธ", "srwUt", []string{"Sarawut", "Sarawoot"}},
	{"ชาตรี", "ct", []string{"Chatree", "Chatri"}},
	{"นิตยา", "nItyA", []string{"Nittaya", "Nitaya"}},
	{"ลำดวน", "rmdUn", []string{"Lamduan", "Ramduan"}},
	{"ปิยะนุช", "pIynUt", []string{"Piyanut", "Piyanuch"}},
	{"กาญจนา", "kncnA", []string{"Kanchana", "Kanjana", "Karnjana"}},
	{"ฤทธิ์", "rIt", []string{"Rit", "Ritt"}},
	{"กฤษณ์", "kIt", []string{"Krit"}},
	{"ทรงศักดิ์", "sgsk", []string{"Songsak", "Songsaak"}},
	{"อารีรัตน์", "xrIrt", []string{"Areerat", "Arirat"}},
	{"สายทอง", "sntg", []string{"Saithong", "Saitong"}},
	{"แซ่ตั้ง", "stg", []string{"Saetang", "Sae-Tang", "Sae Tang"}},
	{"เจริญสุข", "crInsUk", []string{"Charoensuk", "Jaroensuk"}},
	{"เรืองศรี", "rUgs", []string{"Ruangsri", "Rueangsi", "Ruengsri"}},
	{"ไชยวงศ์", "cnwg", []string{"Chaiwong", "Chaiyawong"}},
	{"ภานุวัฒน์", "pnUwt", []string{"Panuwat", "Phanuwat"}},
	{"ณัฐพล", "ntpn", []string{"Nattapon", "Natthaphon", "Nattaphol"}},
	{"มณีรัตน์", "mnIrt", []string{"Maneerat", "Manirat"}},
	{"ปวีณา", "pwInA", []string{"Paweena", "Pavina"}},
	{"สุพัตรา", "sUptA", []string{"Supattra", "Suphattra"}},
	{"ศักดิ์ชัย", "skcn", []string{"Sakchai", "Sakchay"}},
	{"เฉลิมชัย", "crImcn", []string{"Chalermchai", "Chaloemchai"}},
	{"ละเอียด", "rIt", []string{"La-iat"}},
	{"ธนภัทร", "tnpt", []string{"Thanaphat", "Tanapat"}},
	{"ภูริ", "pUr", []string{"Phuri", "Puri", "Poori"}},
	{"ปวริศ", "pwrIt", []string{"Pawarit", "Pavarit"}},
	{"ชนิดาภา", "cnIdpA", []string{"Chanidapha", "Chanidapa"}},
	{"พิมพ์ชนก", "pImcnk", []string{"Pimchanok", "Phimchanok"}},
	{"ญาณิศา", "ynIsA", []string{"Yanisa", "Yanissa", "Yaneesa"}},
	{"ธัญญาเรศ", "tnyrIt", []string{"Thanyaret", "Tanyaret"}},
	{"ศุภวิชญ์", "sUpwIt", []string{"Suppawit", "Suphawit", "Supawich"}},
	{"จิรายุ", "cIry", []string{"Jirayu", "Chirayu"}},
	{"เตชินท์", "tIcIn", []string{"Techin", "Tejin"}},
	{"หอมจันทร์", "hmcn", []string{"Homchan", "Homjan"}},
	{"วาสนา", "wsnA", []string{"Wasana", "Wassana", "Watsana"}},
	{"ณัฐสุดา", "nsUdA", []string{"Natsuda", "Nassuda"}},
	{"นภัสสร", "npsn", []string{"Napassorn", "Naphatsorn", "Napatsorn"}},
	{"ศรีสวัสดิ์", "sIswt", []string{"Srisawat", "Srisawad", "Sisawat"}},
	{"ทัศนีย์", "tsn", []string{"Thatsanee", "Tassanee", "Tasanee"}},
	{"เพ็ญศรี", "pIns", []string{"Pensri", "Phensi", "Pensee"}},
}

func TestPhoneticKeyThaiAndLatin(t *testing.T) {
	n := 0
	for _, tc := range thaiLatinCases {
		if got := PhoneticKey(tc.thai); got != tc.key {
			t.Errorf("PhoneticKey(%q) = %q, want %q", tc.thai, got, tc.key)
		}
		for _, l := range tc.latin {
			n++
			if got := LatinPhoneticKey(l); got != tc.key {
				t.Errorf("LatinPhoneticKey(%q) = %q, want %q (%s)", l, got, tc.key, tc.thai)
			}
			if got := PhoneticKey(l); got != tc.key {
				t.Errorf("PhoneticKey(%q) = %q, want %q (%s)", l, got, tc.key, tc.thai)
			}
		}
	}
	if n < 40 {
		t.Errorf("only %d Thai/Latin pairs", n)
	}
}

// Spelling variants that clerks confuse must share a key; genuinely
// different names must not.
func TestPhoneticKeyCollisions(t *testing.T) {
	same := [][]string{
		{"สมชาย", "สมชาญ"},
		{"กิตติพงษ์", "กิตติพงศ์", "กิตติพงค์"},
		{"ณัฐวุฒิ", "นัฐวุฒิ", "ณัฐวุฑิ"},
		{"ศรีสุข", "สีสุข", "ษีสุข", "ซีสุข"},
		{"รัตนา", "รัตนา", "ลัตนา"},
		{"ณัฐณิชา", "ณัฏฐณิชา", "นัฐณิชา"},
		{"ธนพร", "ทนพร", "ถนพร"},
		{"สุภาพร", "สุพาพร", "สุภาภร"},
		{"ประเสริฐ", "ประเสริด", "ประเสริท"},
		{"วรรณา", "วันนา"},
		{"เพ็ญศรี", "เพ็ญสี", "เพ็นศรี"},
		{"ลำดวน", "รำดวน"},
		{"ณรงค์", "นรงค์"},
		{"ภานุวัฒน์", "พานุวัฒน์", "ภานุวัฒ"},
		{"แก้วมณี", "เเก้วมณี", "แก้วมนี"},
		{"น้ำฝน", "นํ้าฝน", "นำ้ฝน"},
		{"จันทร์เพ็ญ", "จันเพ็ญ"},
		{"สมศักดิ์", "สมศัก"},
		{"บุญมี", "บุนมี"},
	}
	for _, group := range same {
		k := PhoneticKey(group[0])
		for _, s := range group[1:] {
			if got := PhoneticKey(s); got != k {
				t.Errorf("PhoneticKey(%q) = %q, PhoneticKey(%q) = %q; want equal", group[0], k, s, got)
			}
		}
	}
	different := [][2]string{
		{"สมชาย", "สมศรี"},
		{"มานี", "มานะ"},
		{"สมชาย", "สมหญิง"},
		{"กิตติพงษ์", "กิตติศักดิ์"},
		{"วิชัย", "วีระ"},
		{"สุดา", "สุนีย์"},
		{"ศรีสุข", "สุขศรี"},
		{"รัตนา", "นันทนา"},
		{"เก่ง", "กุ้ง"},
		{"ยุพิน", "ยุพา"},
		{"ประยูร", "ประพันธ์"},
		{"สมศักดิ์", "สมศรี"},
		{"ธนกฤต", "ธนพร"},
		{"บุญมี", "บุญมา"},
	}
	for _, p := range different {
		if a, b := PhoneticKey(p[0]), PhoneticKey(p[1]); a == b {
			t.Errorf("PhoneticKey(%q) = PhoneticKey(%q) = %q; want different", p[0], p[1], a)
		}
	}
}

// Known limits, pinned so that a change of rules is a conscious one: each
// romanisation here reads the Thai differently from the rules above.
func TestPhoneticKeyKnownMisses(t *testing.T) {
	for _, p := range [][2]string{
		{"ภัทรพล", "Phatraphon"},   // ทร taken as a cluster; Pattarapon matches
		{"ภัทรพล", "Phatthraphon"}, // the same
		{"เพชรรัตน์", "Phetrat"},   // compound: the silent ร of เพชร, then รัตน์
		{"ละเอียด", "Laiad"},       // the vowel run aia, without a hyphen
	} {
		if a, b := PhoneticKey(p[0]), LatinPhoneticKey(p[1]); a == b {
			t.Errorf("PhoneticKey(%q) = LatinPhoneticKey(%q) = %q: a known miss now matches; move it to thaiLatinCases", p[0], p[1], a)
		}
	}
	// จ and ช share a class, because จ is romanised both j and ch (Jaidee,
	// Chaidee); so สมใจ and สมชาย share a key.
	if PhoneticKey("สมใจ") != PhoneticKey("สมชาย") {
		t.Error("สมใจ and สมชาย should share a key")
	}
}

func TestPhoneticKeyOrder(t *testing.T) {
	// A space inside a name, normalisation artefacts and case do not matter.
	for _, pair := range [][2]string{
		{"สม ชาย", "สมชาย"}, {"\u200bสมชาย ", "สมชาย"}, {"Som Chai", "somchai"}, {"SOMCHAI", "Somchai"},
	} {
		if a, b := PhoneticKey(pair[0]), PhoneticKey(pair[1]); a != b {
			t.Errorf("PhoneticKey(%q) = %q, PhoneticKey(%q) = %q", pair[0], a, pair[1], b)
		}
	}
	for _, s := range []string{"", " ", "123", "...", "ๆ", "์", "\u200b"} {
		if k := PhoneticKey(s); k != "" {
			t.Errorf("PhoneticKey(%q) = %q, want empty", s, k)
		}
	}
	long := strings.Repeat("กิตติพงษ์", 20)
	if k := PhoneticKey(long); len(k) > MaxKeyLen || len(k) < MaxKeyLen-1 {
		t.Errorf("PhoneticKey(long) = %q: length %d", k, len(k))
	}
}

// givenNameSample is a mix of common Thai given names of several
// generations, all distinct, used to measure how often genuinely different
// names share a key.
var givenNameSample = []string{
	"สมชาย", "สมศักดิ์", "สมพงษ์", "สมบัติ", "สมหมาย", "สมเกียรติ", "สมนึก", "ประเสริฐ", "ประสิทธิ์",
	"ประพันธ์", "ประยูร", "วิชัย", "สุรชัย", "ชัยวัฒน์", "บุญชัย", "บุญมี", "บุญส่ง", "บุญเลิศ",
	"สุเทพ", "สุริยา", "วีระ", "วีรพงษ์", "ศักดิ์ชัย", "ชาตรี", "เอกชัย", "อภิชาติ", "อำนาจ", "ธีระ",
	"นพดล", "มานพ", "มานะ", "ยุทธนา", "วุฒิชัย", "ศราวุธ", "สิทธิชัย", "อดิศักดิ์", "ไพโรจน์",
	"ศุภชัย", "อนุชา", "กิตติพงษ์", "ณัฐพล", "ณัฐวุฒิ", "ธนากร", "จักรพันธ์", "วรวุฒิ", "พงศกร",
	"ภานุวัฒน์", "ปกรณ์", "เฉลิมชัย", "ณรงค์", "ธวัชชัย", "นิพนธ์", "พิทักษ์", "วสันต์", "สุชาติ",
	"ธนกฤต", "ภูมิ", "ภูริ", "ธนวัฒน์", "ธีรภัทร", "ภัทรพล", "ปวริศ", "ศุภวิชญ์", "ธนภัทร", "พีรพัฒน์",
	"ชยพล", "ภาคิน", "กวิน", "ธนดล", "จิรายุ", "ศิวกร", "เตชินท์", "กิตติภพ",
	"สมศรี", "สมหญิง", "สมใจ", "มาลี", "มานี", "บุญเรือน", "ประไพ", "ประภาพร", "วันเพ็ญ", "สุนีย์",
	"สุภาพร", "สุกัญญา", "สุดารัตน์", "อรุณี", "อรอุมา", "อัญชลี", "ยุพิน", "ยุพา", "รัตนา", "วรรณา",
	"วิไลวรรณ", "ศิริพร", "จันทร์เพ็ญ", "นงลักษณ์", "นงนุช", "นันทนา", "บุษบา", "ปราณี", "พรทิพย์",
	"เพ็ญศรี", "มณีรัตน์", "ละเอียด", "ลำดวน", "วาสนา", "เสาวลักษณ์", "กาญจนา", "จิราพร", "ชลธิชา",
	"ดวงใจ", "ทิพวรรณ", "นภาพร", "นิตยา", "ปวีณา", "พัชรี", "รุ่งนภา", "วนิดา", "สุพัตรา", "อารีรัตน์",
	"กนกวรรณ", "จุฑามาศ", "ปิยะนุช", "พรรณี", "ลัดดา", "ศศิธร", "ขวัญใจ", "อมรรัตน์", "เกศินี",
	"พิมพ์ชนก", "ธัญชนก", "ณัฐณิชา", "กัญญาณัฐ", "ชนิดาภา", "ปภาวรินท์", "ญาณิศา", "ธัญญาเรศ",
	"พิชญาภา", "กชกร", "ปาณิสรา", "ภัทรวดี", "ชญานิศ", "วรัญญา", "สุพิชชา", "อภิสรา", "ธนพร",
	"ขวัญข้าว", "ชนัญชิดา", "ศุภิสรา", "กมลชนก", "ณัฐชยา", "อริสา", "วริศรา", "นภัสสร", "ศิรประภา",
}

// TestPhoneticKeyCollisionRate guards the key's precision: of the sample's
// distinct names, few may share a key with a different name.
func TestPhoneticKeyCollisionRate(t *testing.T) {
	byKey := map[string][]string{}
	seen := map[string]bool{}
	for _, n := range givenNameSample {
		if seen[n] {
			t.Fatalf("duplicate sample name %q", n)
		}
		seen[n] = true
		k := PhoneticKey(n)
		byKey[k] = append(byKey[k], n)
	}
	shared := 0
	var groups []string
	for k, ns := range byKey {
		if len(ns) > 1 {
			shared += len(ns)
			groups = append(groups, k+": "+strings.Join(ns, " "))
		}
	}
	sort.Strings(groups)
	t.Logf("%d of %d names share a key with another name; %d distinct keys", shared, len(seen), len(byKey))
	for _, g := range groups {
		t.Log("  ", g)
	}
	if max := len(seen) / 15; shared > max {
		t.Errorf("%d names share keys, want at most %d", shared, max)
	}
}

func FuzzPhoneticKey(f *testing.F) {
	for _, s := range []string{
		"สมชาย", "กิตติพงษ์", "ณัฐวุฒิ", "ศรีสุข", "รัตนา", "บูรณการ", "ปัจจุบัน", "เจริญสุข", "วรรณา",
		"อรรถพล", "พรหมมา", "ภัทรพล", "ไทย", "เเก้ว", "นํ้า", "์", "ๆ", "เ", "ฤ", "Somchai", "Natthawut",
		"La-iat", "x", "ก์ข", "ั", "เาะ", "รรร", "\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := PhoneticKey(s)
		if len(k) > MaxKeyLen {
			t.Fatalf("PhoneticKey(%q) = %q: longer than %d", s, k, MaxKeyLen)
		}
		for i := 0; i < len(k); i++ {
			if c := k[i]; !(c >= 'a' && c <= 'z') && c != 'A' && c != 'E' && c != 'O' && c != 'I' && c != 'U' {
				t.Fatalf("PhoneticKey(%q) = %q: bad byte %q", s, k, c)
			}
		}
		if k != "" && (k[0] < 'a' || k[0] > 'z') {
			t.Fatalf("PhoneticKey(%q) = %q: does not start with a consonant", s, k)
		}
		if n := NormalizeName(s); PhoneticKey(n) != k {
			t.Fatalf("PhoneticKey(%q) = %q but PhoneticKey(NormalizeName) = %q", s, k, PhoneticKey(n))
		}
		if l := LatinPhoneticKey(s); len(l) > MaxKeyLen {
			t.Fatalf("LatinPhoneticKey(%q) = %q: too long", s, l)
		}
		if u := Udom83(s); u != "" && utf8.RuneCountInString(u) != 7 {
			t.Fatalf("Udom83(%q) = %q: not 7 characters", s, u)
		}
		if l := LK82(s); l != "" && utf8.RuneCountInString(l) != 5 {
			t.Fatalf("LK82(%q) = %q: not 5 characters", s, l)
		}
		for _, w := range NameKeys(s) {
			if w == "" || len(w) > MaxKeyLen {
				t.Fatalf("NameKeys(%q) has %q", s, w)
			}
		}
	})
}

var benchNames = []string{
	"สมชาย", "กิตติพงษ์", "ณัฐวุฒิ", "ศรีสุข", "เสาวลักษณ์", "ประภาพร", "ธนกฤต", "ทองประเสริฐ",
	"เจริญสุข", "พิมพ์ชนก", "บุญเรือง", "ชัยวัฒน์",
}

func BenchmarkPhoneticKey(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		PhoneticKey(benchNames[i%len(benchNames)])
	}
}

func BenchmarkUdom83(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Udom83(benchNames[i%len(benchNames)])
	}
}

func BenchmarkLK82(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		LK82(benchNames[i%len(benchNames)])
	}
}
