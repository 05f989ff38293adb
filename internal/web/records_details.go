package web

import (
	"strconv"
	"strings"

	"termtem/internal/people"
)

// recordDetail is one labelled value of a record, as the timeline shows it.
type recordDetail struct {
	Label, Value string
	Warn         bool // a result that needs attention (a suspected or delayed domain)
}

// dspmDomains names the five DSPM domains in the order the form shows them.
var dspmDomains = []string{"gm", "fm", "rl", "el", "ps"}

func domainResult(d *people.Domains, domain string) string {
	switch domain {
	case "gm":
		return d.GM
	case "fm":
		return d.FM
	case "rl":
		return d.RL
	case "el":
		return d.EL
	case "ps":
		return d.PS
	}
	return ""
}

// number shows a measurement without trailing zeros: 10.5, 78.
func number(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// recordDetails formats a record's kind-specific data readably in lang.
func (h *Handler) recordDetails(lang string, rec people.Record) []recordDetail {
	t := func(id string, args ...any) string {
		var data map[string]any
		if len(args) > 1 {
			data = map[string]any{}
			for i := 0; i+1 < len(args); i += 2 {
				data[args[i].(string)] = args[i+1]
			}
		}
		return h.Cat.T(lang, id, data)
	}
	var out []recordDetail
	add := func(labelID, value string) {
		if value != "" {
			out = append(out, recordDetail{Label: t(labelID), Value: value})
		}
	}
	d := rec.Data
	if d.GestationalWeeks > 0 {
		add("record.gestational_weeks", t("record.weeks", "Weeks", d.GestationalWeeks))
	}
	if d.BirthWeightGrams > 0 {
		add("record.birth_weight_g", t("record.grams", "Grams", d.BirthWeightGrams))
	}
	if d.Vaccine != "" {
		dose := ""
		if d.Dose > 0 {
			dose = " · " + t("record.dose_n", "Dose", d.Dose)
		}
		add("record.vaccine", d.Vaccine+dose)
	}
	if d.WeightKg > 0 {
		add("record.weight_kg", t("record.kg", "Value", number(d.WeightKg)))
	}
	if d.HeightCm > 0 {
		add("record.height_cm", t("record.cm", "Value", number(d.HeightCm)))
	}
	if d.HeadCm > 0 {
		add("record.head_cm", t("record.cm", "Value", number(d.HeadCm)))
	}
	if d.ScreeningAge > 0 {
		add("record.screening_age", t("record.months", "Months", d.ScreeningAge))
	}
	if d.AgeMonths > 0 && rec.Kind != people.DevelopmentScreening {
		add("record.age_months", t("record.months", "Months", d.AgeMonths))
	}
	if d.Domains != nil {
		for _, dom := range dspmDomains {
			res := domainResult(d.Domains, dom)
			out = append(out, recordDetail{Label: t("dspm.domain." + dom), Value: t("dspm." + res), Warn: res != people.DSPMPass})
		}
	}
	if d.RescreenBy != "" {
		out = append(out, recordDetail{Label: t("record.rescreen_by"), Value: dayText(lang, d.RescreenBy), Warn: true})
	}
	if d.Condition != "" {
		v := t("condition." + d.Condition)
		if d.Managed != nil && *d.Managed {
			v += " · " + t("record.managed")
		}
		add("record.condition", v)
	}
	if d.Grade != "" {
		add("record.grade", t("grade."+d.Grade))
	}
	if d.AttendancePct != nil {
		add("record.attendance_pct", strconv.Itoa(*d.AttendancePct)+" %")
	}
	if d.Grant != "" {
		add("record.grant", t("grant."+d.Grant))
	}
	if d.AmountBaht > 0 {
		add("record.amount_baht", t("record.baht", "Amount", thousands(d.AmountBaht)))
	}
	if d.Period != "" {
		add("record.period", dayText(lang, d.Period))
	}
	if d.Reason != "" {
		add("record.reason", d.Reason)
	}
	return out
}

// thousands writes 600000 as 600,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
