package web

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/flower"
	"termtem/internal/httpx"
)

// matchRow is a service of the directory offered on the referral form.
type matchRow struct {
	serviceRow
	Verdict  string
	Refused  string
	Distance int
	Concerns []concernName
}

type concernName struct {
	Code, Title string
	Level       flower.Level
	LevelLabel  string
}

// referralMatches offers the directory's services for the child's red and
// yellow indicators (eligible, red and nearest first, with waiting times).
// The form's chosen service fills in the receiving organisation and kind.
func (h *Handler) referralMatches(r *http.Request, personID string, rf *referralForm) error {
	p := httpx.Principal(r.Context())
	if !p.Can(account.AssessmentsRead) {
		return nil
	}
	lang := httpx.Lang(r.Context())
	m, err := h.DB.MatchServicesFor(r.Context(), personID, httpx.Actor(r))
	if err != nil {
		return err
	}
	in := flower.Default()
	for _, x := range m.Matches {
		row := matchRow{serviceRow: h.serviceRow(p, lang, x.Service), Verdict: string(x.Verdict), Refused: x.Refused, Distance: x.Distance}
		for _, c := range x.Concerns {
			t := c.Code
			if ind := in.Indicator(c.Code); ind != nil {
				t = ind.Title.In(lang)
			}
			row.Concerns = append(row.Concerns, concernName{Code: c.Code, Title: t, Level: c.Level, LevelLabel: levelLabel(c.Level, lang)})
		}
		rf.Matches = append(rf.Matches, row)
	}
	for i := range rf.Matches {
		if rf.Matches[i].ID == rf.Form["service_id"] {
			rf.Chosen = &rf.Matches[i]
			if rf.Form["to_organisation_id"] == "" {
				rf.Form["to_organisation_id"] = rf.Chosen.OrganisationID
			}
			if rf.Form["service"] == "" {
				rf.Form["service"] = string(rf.Chosen.ReferralKind)
			}
		}
	}
	if rf.Chosen == nil {
		rf.Form["service_id"] = ""
	}
	return nil
}
