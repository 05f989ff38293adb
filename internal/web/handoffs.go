package web

import (
	"context"
	"net/http"

	"termtem/internal/account"
	"termtem/internal/flower"
	"termtem/internal/httpx"
	"termtem/internal/people"
	"termtem/internal/store"
)

// Life-stage hand-offs: a child enrolled elsewhere is handed to the new
// unit with its open concerns; the new unit acknowledges, the old one sees
// when, and a hand-off nobody acknowledges in 30 days is a continuity gap.

type handoffRow struct {
	store.Handoff
	Concerns []concernTitle
}

// concernTitle is an indicator a hand-off carries, in words or restricted.
type concernTitle struct {
	Title      string
	Restricted bool
}

type handoffsPage struct {
	Tab      string // incoming or outgoing
	Handoffs []handoffRow
	GapDays  int
	ErrorFor string // the hand-off a refused acknowledgement was about
}

// HandoffsList lists the hand-offs to (incoming) or from (outgoing) the
// user's units: GET /handoffs?tab=incoming|outgoing.
func (h *Handler) HandoffsList(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.ReferralsManage) == nil {
		return
	}
	h.renderHandoffs(w, r, http.StatusOK, r.URL.Query().Get("tab"), "", nil)
}

func (h *Handler) renderHandoffs(w http.ResponseWriter, r *http.Request, status int, tab, errFor string, fe *FormError) {
	ctx := r.Context()
	p := httpx.Principal(ctx)
	if tab != "outgoing" {
		tab = "incoming"
	}
	list, err := h.DB.ListHandoffs(ctx, store.HandoffFilter{UserID: p.User.ID, Incoming: tab == "incoming"}, httpx.Actor(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.view(r, "handoffs.title", nil)
	page := handoffsPage{Tab: tab, GapDays: store.HandoffGapDays, ErrorFor: errFor}
	rows, err := h.handoffRows(ctx, v.Lang, p, list)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page.Handoffs = rows
	v.Data, v.Error = page, fe
	v.Return = "/handoffs?tab=" + tab
	h.render(w, r, status, "handoffs", v)
}

// handoffRows names the concerns a hand-off carries with the current
// instrument's words; what a sensitive indicator is about is shown only to
// roles granted that category.
func (h *Handler) handoffRows(ctx context.Context, lang string, p *account.Principal, list []store.Handoff) ([]handoffRow, error) {
	if len(list) == 0 {
		return nil, nil
	}
	in, err := h.DB.CurrentInstrument(ctx)
	if err != nil {
		return nil, err
	}
	var out []handoffRow
	for _, ho := range list {
		row := handoffRow{Handoff: ho}
		for _, c := range ho.Concerns.Indicators {
			ind := in.Indicator(c.Code)
			switch {
			case ind == nil:
				row.Concerns = append(row.Concerns, concernTitle{Title: flower.DimensionName(c.Dimension, lang) + " · " + levelLabel(c.Level, lang)})
			case ind.Sensitivity != people.NotSensitive && !p.SeesSensitive(string(ind.Sensitivity)):
				row.Concerns = append(row.Concerns, concernTitle{Title: flower.DimensionName(c.Dimension, lang) + " · " + h.Cat.T(lang, "handoff.restricted", nil),
					Restricted: true})
			default:
				row.Concerns = append(row.Concerns, concernTitle{Title: levelLabel(c.Level, lang) + " · " + ind.Title.In(lang)})
			}
		}
		out = append(out, row)
	}
	return out, nil
}

// HandoffAcknowledge records that the receiving unit has taken the child on
// (POST /handoffs/{id}/acknowledge with the version seen).
func (h *Handler) HandoffAcknowledge(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.ReferralsManage) == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	id := r.PathValue("id")
	if _, err := h.DB.AcknowledgeHandoff(r.Context(), id, postVersion(r), httpx.Actor(r)); err != nil {
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.renderHandoffs(w, r, status, "incoming", id, fe)
		return
	}
	h.redirectWithFlash(w, r, "/handoffs?tab=incoming", "flash.handoff_acknowledged")
}
