package cases

import "termtem/internal/errs"

// LegalKind is a part of the Child Protection Act B.E. 2546 a case is
// classified under, or a measure decided under it.
type LegalKind string

const (
	Welfare    LegalKind = "welfare_s32"    // children to be given welfare assistance (s.32)
	Protection LegalKind = "protection_s40" // children to be protected (s.40)
	Assistance LegalKind = "assistance_s33" // forms of welfare assistance (s.33)
	Measure    LegalKind = "measure_s42"    // protection measures (s.42 and following)
)

// LegalKinds in order.
var LegalKinds = []LegalKind{Welfare, Protection, Assistance, Measure}

// LegalCode is one category or measure with its labels. The codes are
// data: the store keeps the code, the screens show the label.
type LegalCode struct {
	Kind LegalKind
	Code string
	TH   string
	EN   string
}

// Label is the code's text in lang.
func (c LegalCode) Label(lang string) string {
	if lang == "en" {
		return c.EN
	}
	return c.TH
}

// LegalCodes follow the Act as summarised in THAI-FACTS (section numbers
// to be verified against the Royal Gazette text before legal use).
var LegalCodes = []LegalCode{
	{Welfare, "s32_1", "เด็กเร่ร่อน หรือเด็กกำพร้า", "Street child or orphan"},
	{Welfare, "s32_2", "เด็กที่ถูกทอดทิ้งหรือพลัดหลง", "Abandoned or lost child"},
	{Welfare, "s32_3", "เด็กที่ผู้ปกครองไม่สามารถอุปการะเลี้ยงดูได้ (เช่น ถูกจำคุก พิการ เจ็บป่วยเรื้อรัง ยากจน)", "Guardians unable to care (imprisoned, disabled, chronically ill, poor, …)"},
	{Welfare, "s32_4", "เด็กที่ผู้ปกครองมีพฤติกรรมหรือประกอบอาชีพที่อาจส่งผลกระทบต่อพัฒนาการของเด็ก", "Guardians' behaviour or occupation harmful to the child"},
	{Welfare, "s32_5", "เด็กที่ได้รับการเลี้ยงดูโดยมิชอบ ถูกแสวงหาประโยชน์ ถูกทารุณกรรม หรือตกอยู่ในภาวะเสี่ยง", "Unlawfully raised, exploited, abused or at risk"},
	{Welfare, "s32_6", "เด็กพิการ", "Child with a disability"},
	{Welfare, "s32_7", "เด็กที่อยู่ในสภาพยากลำบาก", "Child in difficult circumstances"},
	{Welfare, "s32_8", "เด็กที่อยู่ในสภาพที่จำต้องได้รับการสงเคราะห์ตามกฎกระทรวง", "Other, as set by ministerial regulation"},
	{Protection, "s40_1", "เด็กที่ถูกทารุณกรรม", "Abused child"},
	{Protection, "s40_2", "เด็กที่เสี่ยงต่อการกระทำผิด", "Child at risk of offending"},
	{Protection, "s40_3", "เด็กที่อยู่ในสภาพที่จำต้องได้รับการคุ้มครองสวัสดิภาพตามกฎกระทรวง", "Other, as set by ministerial regulation"},
	{Assistance, "s33_1", "ให้ความช่วยเหลือแก่ผู้ปกครองหรือครอบครัว", "Help to the guardians or family"},
	{Assistance, "s33_2", "มอบเด็กให้อยู่ในความอุปการะของบุคคลที่เหมาะสม (ไม่เกินหนึ่งเดือน)", "Placement with a suitable person (up to one month)"},
	{Assistance, "s33_3", "ดำเนินการเพื่อให้มีการรับเด็กไปเป็นบุตรบุญธรรม", "Adoption"},
	{Assistance, "s33_4", "ส่งเด็กเข้ารับการอุปการะในครอบครัวอุปถัมภ์หรือสถานรับเลี้ยงเด็ก", "Foster family or nursery"},
	{Assistance, "s33_5", "ส่งเด็กเข้ารับการอุปการะในสถานแรกรับ", "Reception home"},
	{Assistance, "s33_6", "ส่งเด็กเข้ารับการอุปการะในสถานสงเคราะห์", "Welfare institution"},
	{Assistance, "s33_7", "ส่งเด็กเข้ารับการศึกษา ฝึกอาชีพ หรือบำบัดฟื้นฟู", "Education, vocational training, rehabilitation or religious training"},
	{Measure, "s42_examine", "ตรวจและวินิจฉัยทางร่างกายและจิตใจ", "Physical and mental examination"},
	{Measure, "s42_inquiry", "สืบเสาะและพินิจเด็กและครอบครัว", "Inquiry into the child and family"},
	{Measure, "s42_plan", "จัดทำแผนการคุ้มครองสวัสดิภาพ", "Protection plan"},
	{Measure, "s42_place", "ส่งเด็กเข้ารับการคุ้มครองในสถานคุ้มครองสวัสดิภาพ", "Placement in a protection home"},
}

// Legal returns the code of a kind, if known.
func Legal(kind LegalKind, code string) (LegalCode, bool) {
	for _, c := range LegalCodes {
		if c.Kind == kind && c.Code == code {
			return c, true
		}
	}
	return LegalCode{}, false
}

// CheckLegal validates a classification or a measure.
func CheckLegal(kind LegalKind, code, decidedOn string) error {
	if _, ok := Legal(kind, code); !ok {
		return errs.Field("code", "field.choice", nil)
	}
	return CheckDate("decided_on", decidedOn, true)
}
