package demo

import (
	"context"
	"fmt"
	"io"
	"time"

	"termtem/internal/audit"
	"termtem/internal/cases"
	"termtem/internal/committees"
	"termtem/internal/directory"
	"termtem/internal/flower"
	"termtem/internal/learning"
	"termtem/internal/organisations"
	"termtem/internal/people"
	"termtem/internal/store"
)

// The demo's service network: the directory of services around Rom Klao
// (one of them unconfirmed for eight months, to show the stale flag), and
// a school-age child the social worker found out of school, whose referral
// form offers the matching services.

type demoService struct {
	org, th, en, descTH string
	dim                 people.Dimension
	indicators          []string
	kind                string
	eligibility         string
	howTo, hours, phone string
	capacity, wait      int
	area                string
	free                bool
	staleMonths         int
}

var demoServices = []demoService{
	{"LKB-SCH-KRK", "ห้องเรียนเสริมคืนสู่โรงเรียน", "Back-to-school catch-up class", "สอนเสริมหลังเลิกเรียนให้เด็กที่ขาดเรียนหรือหลุดจากระบบ กลับเข้าเรียนได้ทันเพื่อน",
		people.Education, []string{"EDU02", "EDU03", "EDU04", "EDU07"}, "school_reentry", "age >= 6\nage <= 15",
		"ครูประจำชั้นหรือนักสังคมสงเคราะห์โทรนัดครูฝ่ายแนะแนว พร้อมสำเนาสูติบัตรหรือเอกสารใดก็ได้ที่มี", "จ.–ศ. 15:30–17:30", "02-000-1101", 25, 14, districtLatKrabang, true, 0},
	{"LKB-NGO-TR", "ทุนการศึกษาและอุปกรณ์การเรียน", "School grants and supplies", "ค่าเดินทาง ชุดนักเรียน และอุปกรณ์การเรียน สำหรับเด็กจากครอบครัวรายได้น้อย ไม่จำกัดสัญชาติ",
		people.Education, []string{"EDU02", "EDU08"}, "welfare_grant", "age >= 4\nage <= 18\nincome <= 3000",
		"ส่งแบบคำขอพร้อมผลประเมินดอกไม้ มูลนิธิเยี่ยมบ้านภายใน 2 สัปดาห์", "จ.–ส. 09:00–16:00", "02-000-1102", 40, 30, subKhlongSamPrawet, true, 0},
	{"LKB-HC45", "คลินิกกระตุ้นพัฒนาการเด็กปฐมวัย", "Early development clinic", "ตรวจพัฒนาการ (DSPM) และสอนพ่อแม่กระตุ้นพัฒนาการที่บ้าน",
		people.Education, []string{"EDU06", "EDU09"}, "development_stimulation", "age <= 5",
		"นัดผ่านพยาบาลศูนย์บริการสาธารณสุข", "พ. 08:30–12:00", "02-000-1103", 15, 7, subKhlongSamPrawet, true, 0},
	{"LKB-HC45", "วัคซีนและตรวจสุขภาพตามวัย", "Vaccines and check-ups", "วัคซีนตามวัยและตรวจสุขภาพเด็ก ไม่ต้องมีบัตรประชาชน",
		people.Health, []string{"HLT02", "HLT03", "HLT04"}, "vaccination", "age <= 18",
		"พามาได้ทุกวันทำการ ไม่ต้องนัด", "จ.–ศ. 08:00–16:00", "02-000-1103", 60, 0, districtLatKrabang, true, 0},
	{"LKB-DSW", "เงินอุดหนุนเพื่อการเลี้ยงดูเด็กแรกเกิด", "Child-support grant", "เงินอุดหนุนเดือนละ 600 บาท สำหรับเด็กแรกเกิดถึง 6 ปี ในครัวเรือนรายได้น้อย",
		people.Economy, []string{"ECO06", "ECO01"}, "welfare_grant", "age <= 6\nnationality in thai",
		"ยื่นคำร้องที่ฝ่ายพัฒนาชุมชนฯ พร้อมสูติบัตรและสมุดบัญชี", "จ.–ศ. 08:30–16:30", "02-000-1104", 200, 45, districtLatKrabang, true, 0},
	{"LKB-NGO-TR", "ที่ปรึกษาครอบครัวและการเลี้ยงดูเชิงบวก", "Family counselling and positive parenting", "ให้คำปรึกษาครอบครัวที่มีความรุนแรงหรือการลงโทษรุนแรง และกลุ่มพ่อแม่",
		people.Safety, []string{"SAF02", "SAF06"}, "counselling", "",
		"โทรนัด หรือให้นักสังคมสงเคราะห์ส่งต่อ", "อ.–พฤ. 13:00–19:00", "02-000-1102", 12, 10, districtLatKrabang, true, 8},
}

// loadNetwork adds the directory unless the demo organisations already
// offer services, and the out-of-school child's assessment.
func loadNetwork(ctx context.Context, db *store.DB, orgs map[string]organisations.Organisation, placeIDs map[string]string, communityIDs []string,
	users map[string]string, res *Result, out io.Writer) error {
	existing, err := db.ListServices(ctx, store.ServiceFilter{OrganisationID: orgs["LKB-SCH-KRK"].ID})
	if err != nil {
		return err
	}
	if len(existing) > 0 {
		fmt.Fprintf(out, "services:      none added, the demo organisations already offer services\n")
		return nil
	}
	actor := audit.Event{ActorID: users[userSocialWork], RequestID: "demo-load", Detail: "demo"}
	now := db.Now()
	for _, d := range demoServices {
		s := directory.Service{OrganisationID: orgs[d.org].ID, NameTH: d.th, NameEN: d.en, DescriptionTH: d.descTH, Dimension: d.dim,
			Indicators: d.indicators, ReferralKind: cases.Service(d.kind), Eligibility: d.eligibility, HowToRefer: d.howTo, OpeningHours: d.hours,
			ContactPhone: d.phone, Capacity: d.capacity, WaitingDays: d.wait, AreaPlaceID: placeIDs[d.area], Free: d.free, Active: true}
		if d.staleMonths > 0 {
			s.ConfirmedAt = now.AddDate(0, -d.staleMonths, 0)
		}
		if _, err := db.SaveService(ctx, s, actor); err != nil {
			return fmt.Errorf("demo: service %s: %w", d.th, err)
		}
	}
	fmt.Fprintf(out, "services:      %d in the directory (one not confirmed for 8 months)\n", len(demoServices))
	// A school-age child out of school: the social worker's assessment.
	ps, err := db.PeopleInCommunities(ctx, communityIDs)
	if err != nil {
		return err
	}
	today := dateOf(now)
	for _, p := range ps {
		y, ok := people.AgeInYears(p.BirthDate, today)
		if !ok || y < 8 || y > 12 {
			continue
		}
		_, err := db.CreateAssessment(ctx, store.AssessmentInput{Subject: flower.Child, SubjectID: p.ID, On: today.Format(time.DateOnly),
			Answers: map[string]flower.Answer{"EDU02": {Option: "out_of_school", OverrideReason: "ครูแจ้งว่าไม่มาเรียนตั้งแต่เปิดภาคเรียน (ข้อมูลสมมติ)"}},
			Source:  store.ByStaff, OrganisationID: orgs[orgWelfare].ID, AuthorID: users[userSocialWork]}, actor)
		if err != nil {
			return fmt.Errorf("demo: out-of-school child: %w", err)
		}
		res.AssessmentsCreated++
		fmt.Fprintf(out, "network:       a child of %d found out of school (red education), for the referral form's matches\n", y)
		if err := demoSelfReporting(ctx, db, p, orgs, users, actor); err != nil {
			return err
		}
		break
	}
	for _, g := range demoGuides {
		if _, err := db.WriteGuide(ctx, g, 0, audit.Event{ActorID: users["demo.supervisor"], RequestID: "demo-load", Detail: "demo"}); err != nil {
			return fmt.Errorf("demo: guide %s: %w", g.Indicator, err)
		}
	}
	fmt.Fprintf(out, "guides:        %d practice guides\n", len(demoGuides))
	return loadCommittees(ctx, db, orgs, users, out)
}

// loadCommittees seats the district's agencies on its committees, and
// records a first meeting of the quality-of-life committee with a
// resolution, and a system constraint the social worker raised.
func loadCommittees(ctx context.Context, db *store.DB, orgs map[string]organisations.Organisation, users map[string]string, out io.Writer) error {
	actor := audit.Event{ActorID: users["demo.committee"], RequestID: "demo-load", Detail: "demo"}
	for _, committee := range []string{"LKB-QOL", "LKB-CPC"} {
		for _, member := range []string{"LKB-DSW", "LKB-HC45", "LKB-CDC-FNRK", "LKB-SCH-KRK", "LKB-SCH-SPR", "LKB-NGO-TR"} {
			if err := db.AddCommitteeOrganisation(ctx, orgs[committee].ID, orgs[member].ID, actor); err != nil {
				return fmt.Errorf("demo: seat %s on %s: %w", member, committee, err)
			}
		}
	}
	today := dateOf(db.Now())
	m, err := db.SaveMeeting(ctx, committees.Meeting{CommitteeID: orgs["LKB-QOL"].ID, Title: "ประชุม พชข. ลาดกระบัง (ตัวอย่าง)",
		HeldOn: today.AddDate(0, -1, 0).Format(time.DateOnly), Location: "ห้องประชุมสำนักงานเขตลาดกระบัง",
		Agenda:     "1. เด็กหลุดจากระบบการศึกษาในชุมชนร่มเกล้า\n2. บริการที่ต้องรอนานกว่า 30 วัน",
		Minutes:    "ที่ประชุมรับทราบสถานการณ์เด็กหลุดจากระบบการศึกษา และมอบหมายฝ่ายพัฒนาชุมชนฯ ประสานโรงเรียน (ข้อมูลสมมติ)",
		Attendance: []committees.Attendee{{UserID: users["demo.committee"], Present: true}}}, actor)
	if err != nil {
		return fmt.Errorf("demo: meeting: %w", err)
	}
	if _, err := db.AddResolution(ctx, m.ID, committees.Resolution{Text: "ฝ่ายพัฒนาชุมชนฯ ประสานโรงเรียนในเขตรับเด็กที่หลุดจากระบบกลับเข้าเรียน และรายงานในการประชุมครั้งหน้า",
		OwnerID: users[userSocialWork], DueOn: today.AddDate(0, 1, 0).Format(time.DateOnly)}, actor); err != nil {
		return fmt.Errorf("demo: resolution: %w", err)
	}
	if _, err := db.RaiseConstraint(ctx, store.ConstraintInput{OrganisationID: orgs[orgWelfare].ID, Constraint: committees.Constraint{Theme: "staff_shortage",
		Title:       "ไม่มีนักจิตวิทยาเด็กในเขตลาดกระบัง (ตัวอย่าง)",
		Description: "เด็กที่ต้องพบนักจิตวิทยาต้องเดินทางไปโรงพยาบาลนอกเขตและรอคิวนาน ครอบครัวจำนวนมากไม่ได้ไป",
		Evidence:    []committees.Figure{{Label: "เวลารอพบนักจิตวิทยาเด็กที่โรงพยาบาลนอกเขต", Value: 90, Unit: "days"}}}},
		audit.Event{ActorID: users[userSocialWork], RequestID: "demo-load", Detail: "demo"}); err != nil {
		return fmt.Errorf("demo: constraint: %w", err)
	}
	fmt.Fprintf(out, "committees:    agencies seated on the district committees, a meeting with a resolution, a system constraint raised\n")
	return nil
}

// demoSelfReporting opens the out-of-school child's case with a goal in
// the family's words, the family reporting every 30 days; and a closed
// case of another child with the lesson its manager wrote.
func demoSelfReporting(ctx context.Context, db *store.DB, child people.Person, orgs map[string]organisations.Organisation, users map[string]string, actor audit.Event) error {
	c, err := db.OpenCase(ctx, store.CaseInput{Subject: flower.Child, SubjectID: child.ID, Risk: cases.RiskHigh, Origin: cases.FromWorker,
		OrganisationID: orgs[orgWelfare].ID, ManagerID: users[userSocialWork]}, actor)
	if err != nil {
		return fmt.Errorf("demo: case: %w", err)
	}
	if c, err = db.AddGoal(ctx, c.ID, c.Version, cases.Goal{Dimension: people.Education, From: flower.Red, Target: flower.Green,
		TargetDate: dateOf(db.Now()).AddDate(0, 6, 0).Format(time.DateOnly), Commitment: "แม่จะพาลูกไปโรงเรียนทุกวันและคุยกับครูทุกเดือน"}, actor); err != nil {
		return fmt.Errorf("demo: goal: %w", err)
	}
	if _, err := db.SetSelfReportSchedule(ctx, c.ID, users["demo.family"], 30, 0, actor); err != nil {
		return fmt.Errorf("demo: self-reporting: %w", err)
	}
	if c, err = db.MoveCase(ctx, c.ID, c.Version, cases.Closed, "ตัวอย่าง: ปิดเพื่อแสดงบทเรียน", actor); err != nil {
		return fmt.Errorf("demo: close: %w", err)
	}
	if _, err := db.WriteLesson(ctx, store.LessonInput{CaseID: c.ID, OrganisationID: orgs[orgWelfare].ID, AuthorID: users[userSocialWork],
		Lesson: learning.Lesson{Indicators: []string{"EDU02"}, Situation: "เด็กวัยประถมหลุดจากโรงเรียนหลังย้ายบ้าน ครอบครัวไม่มีเอกสารย้ายโรงเรียน",
			Lesson: "โรงเรียนรับเด็กเข้าเรียนได้ก่อนโดยไม่ต้องรอเอกสาร เมื่อนักสังคมสงเคราะห์ไปคุยกับครูแนะแนวพร้อมผู้ปกครอง ควรนัดภายในสัปดาห์แรก"}}, actor); err != nil {
		return fmt.Errorf("demo: lesson: %w", err)
	}
	if c, err = db.MoveCase(ctx, c.ID, c.Version, cases.Open, "ตัวอย่าง: เปิดใหม่ ติดตามการรายงานตนเองของครอบครัว", actor); err != nil {
		return fmt.Errorf("demo: reopen: %w", err)
	}
	return nil
}

// demoGuides are written in plain Thai for the demo; the legal references
// are to be checked by the pilot's lawyers before real use.
var demoGuides = []learning.Guide{
	{Indicator: "EDU02", Level: flower.Red,
		WhatToCheck:  "เด็กออกจากโรงเรียนเมื่อไร เพราะอะไร (ค่าใช้จ่าย ย้ายบ้าน ไม่มีเอกสาร ถูกรังแก ต้องทำงาน) มีเอกสารอะไรบ้าง และใครในบ้านดูแลเรื่องเรียน",
		FirstSteps:   "1. เยี่ยมบ้านภายใน 7 วัน คุยกับเด็กและผู้ปกครอง\n2. ประสานครูแนะแนวของโรงเรียนใกล้บ้านเรื่องการรับกลับเข้าเรียน\n3. ถ้าไม่มีเลขประจำตัว ขอเลข G จากโรงเรียน เด็กทุกคนมีสิทธิ์เรียน\n4. ส่งต่อบริการสอนเสริมหรือทุนการศึกษาจากทำเนียบบริการ",
		LegalDuty:    "ผู้ปกครองมีหน้าที่ส่งเด็กเข้าเรียนตามกฎหมายการศึกษาภาคบังคับ เด็กไม่มีสัญชาติมีสิทธิ์เรียนตามมติคณะรัฐมนตรีว่าด้วยการศึกษาของผู้ไม่มีหลักฐานทางทะเบียน (ตรวจสอบกับนิติกรก่อนใช้)",
		ServicesHelp: "ห้องเรียนเสริมคืนสู่โรงเรียน; ทุนการศึกษาและอุปกรณ์การเรียน"},
	{Indicator: "EDU03", Level: flower.Yellow,
		WhatToCheck: "ขาดเรียนกี่วันในเดือนนี้ ขาดเป็นช่วงหรือกระจาย เด็กป่วยหรือต้องดูแลน้อง",
		FirstSteps:  "1. โทรคุยผู้ปกครองภายในสัปดาห์\n2. ตกลงกับครูประจำชั้นเรื่องการติดตามรายสัปดาห์\n3. ประเมินซ้ำในหนึ่งเดือน"},
	{Indicator: "SAF02", Level: flower.Red,
		WhatToCheck:  "การลงโทษรุนแรงเกิดบ่อยแค่ไหน มีรอยบาดเจ็บหรือไม่ เด็กปลอดภัยคืนนี้หรือไม่",
		FirstSteps:   "1. ถ้าเด็กไม่ปลอดภัย แจ้งพนักงานเจ้าหน้าที่ตาม พ.ร.บ.คุ้มครองเด็ก ทันที\n2. เปิดรายกรณีและประชุมทีมสหวิชาชีพภายใน 72 ชั่วโมง\n3. ส่งต่อที่ปรึกษาครอบครัวและการเลี้ยงดูเชิงบวก",
		LegalDuty:    "พ.ร.บ.คุ้มครองเด็ก พ.ศ. 2546: ผู้พบเห็นเด็กถูกทารุณกรรมต้องแจ้งพนักงานเจ้าหน้าที่ ครู แพทย์ พยาบาล และเจ้าหน้าที่สาธารณสุขมีหน้าที่แจ้งโดยเฉพาะ (ตรวจสอบมาตรากับนิติกร)",
		ServicesHelp: "ที่ปรึกษาครอบครัวและการเลี้ยงดูเชิงบวก"},
}
