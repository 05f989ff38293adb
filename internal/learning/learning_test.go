package learning

import (
	"testing"

	"termtem/internal/errs"
	"termtem/internal/flower"
)

func TestFindIdentifying(t *testing.T) {
	names := NamesToAvoid([]string{"ด.ช.ต้นกล้า", "นางสายใจ"}, []string{"รักดี"}, []string{"กล้า", "ต้นข้าว"})
	for _, tc := range []struct {
		text       string
		kind       string
		line, col  int
		start, end int
	}{
		{"แม่แจ้งเลข 1-1009-00359-65-7 ไว้", FoundNationalID, 1, 12, 0, 0},
		{"บรรทัดแรก\nโทร 081-234-5678 ได้", FoundPhone, 2, 5, 0, 0},
		{"ติดต่อ 02 123 4567", FoundPhone, 1, 8, 0, 0},
		{"เบอร์ +66 81 234 5678", FoundPhone, 1, 7, 0, 0},
		{"เด็ก (ต้นกล้า) ไม่ได้ไปโรงเรียน", FoundName, 1, 7, 0, 0},
		{"ครอบครัวรักดีย้ายบ้านบ่อย", FoundName, 1, 9, 0, 0},
		{"ใช้เลข ๑๑๐๐๙๐๐๓๕๙๖๕๗ ติดต่อ", FoundNationalID, 1, 8, 0, 0},
	} {
		fs := FindIdentifying("lesson", tc.text, names)
		if len(fs) == 0 || fs[0].Kind != tc.kind || fs[0].Line != tc.line || fs[0].Column != tc.col {
			t.Errorf("%q: %+v, want %s at %d:%d", tc.text, fs, tc.kind, tc.line, tc.col)
		}
	}
	for _, clean := range []string{
		"เด็กอายุ 9 ปี ขาดเรียน 45 วัน ในปี 2568",
		"เลข 1-1009-00359-65-8 ผิดหลักตรวจสอบ ไม่ใช่เลขประจำตัว",
		"ได้รับเงิน 600 บาท ทุกเดือน ตั้งแต่ 1.5.2567",
		"ฝนตกหนักทั้งวัน เด็กจึงไม่ได้ไปเรียน", // a two-letter nickname (ฝน, rain) is an ordinary word: not searched
	} {
		if fs := FindIdentifying("lesson", clean, NamesToAvoid(nil, nil, []string{"ฝน"})); len(fs) > 0 {
			t.Errorf("%q: %+v", clean, fs)
		}
	}
	err := CheckAnonymous(map[string]string{"situation": "ปกติ", "lesson": "ok\nโทร 0812345678"}, []string{"situation", "lesson"}, nil)
	e := errs.As(err)
	if e.Field != "lesson" || e.MessageID != "lesson.identifying.phone" || e.Line != 2 || e.Data["Column"] != 5 {
		t.Errorf("%+v", e)
	}
}

func TestValidateGuide(t *testing.T) {
	g := Guide{Indicator: " edu02 ", Level: flower.Red, WhatToCheck: " ขาดเรียนกี่วัน ", FirstSteps: "เยี่ยมบ้าน"}
	if err := ValidateGuide(&g); err != nil || g.Indicator != "EDU02" || g.WhatToCheck != "ขาดเรียนกี่วัน" {
		t.Fatalf("%+v %v", g, err)
	}
	for _, bad := range []Guide{
		{Indicator: "XXX", Level: flower.Red, WhatToCheck: "a", FirstSteps: "b"},
		{Indicator: "EDU02", Level: flower.Green, WhatToCheck: "a", FirstSteps: "b"},
		{Indicator: "EDU02", Level: flower.Red, FirstSteps: "b"},
	} {
		if err := ValidateGuide(&bad); !errs.Is(err, errs.Invalid) {
			t.Errorf("%+v accepted", bad)
		}
	}
}
