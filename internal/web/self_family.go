package web

import (
	"html/template"
	"net"
	"net/http"
	"strconv"
	"strings"

	"termtem/internal/errs"
	"termtem/internal/flower"
	"termtem/internal/httpx"
	"termtem/internal/people"
	"termtem/internal/store"
)

// The family self-assessment: a family member with no account enters the
// code their social worker gave them (/self), answers the family-facing
// questions on a phone (/self/form) and sees their own flower
// (/self/result). The code buys a short session held in a cookie that only
// /self pages receive.

// selfCookieName: the __Secure- prefix makes browsers refuse the cookie
// unless it is Secure (__Host- would need Path=/, and this cookie must stay
// on /self).
func selfCookieName(secure bool) string {
	if secure {
		return "__Secure-termtem-self"
	}
	return "termtem_self"
}

const selfCookiePath = "/self"

func (h *Handler) setSelfCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: selfCookieName(h.SecureCookies), Value: token, Path: selfCookiePath,
		MaxAge: int(store.SelfSessionLifetime.Seconds()), HttpOnly: true, Secure: h.SecureCookies, SameSite: http.SameSiteStrictMode})
}

func (h *Handler) clearSelfCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: selfCookieName(h.SecureCookies), Path: selfCookiePath, MaxAge: -1,
		HttpOnly: true, Secure: h.SecureCookies, SameSite: http.SameSiteStrictMode})
}

// selfEntry is the code entry page.
type selfEntry struct{ Code string }

// SelfShow is the code entry page (GET /self). A link from the social
// worker carries the code in the fragment (#code=…), which browsers never
// send; a few lines of script move it into the field.
func (h *Handler) SelfShow(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "self", h.view(r, "self.title", selfEntry{}))
}

// SelfClaim exchanges a code for a family session (POST /self). Wrong,
// used and expired codes get one message; wrong ones count against the
// client's address.
func (h *Handler) SelfClaim(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	code := r.PostFormValue("code")
	token, err := h.DB.ClaimSelfCode(r.Context(), code, clientAddress(r), httpx.Actor(r))
	if err != nil {
		e := errs.As(err)
		if e.Code != errs.Invalid && e.Code != errs.TooManyRequests {
			h.fail(w, r, err)
			return
		}
		httpx.LogError(h.Log, r, e)
		v := h.view(r, "self.title", selfEntry{Code: code})
		v.Error = &FormError{Field: "code", Message: h.Cat.T(v.Lang, e.MessageID, e.Data)}
		h.render(w, r, httpx.Status(e.Code), "self", v)
		return
	}
	h.setSelfCookie(w, token)
	http.Redirect(w, r, "/self/form", http.StatusSeeOther)
}

// clientAddress is the address wrong codes are counted against: the peer
// of the connection (Termtem does not trust forwarding headers, which any
// client can write).
func clientAddress(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// selfSession returns the family's open session, or answers: no cookie →
// the code page; an ended session → the "time is up" page.
func (h *Handler) selfSession(w http.ResponseWriter, r *http.Request) (store.SelfSession, bool) {
	c, err := r.Cookie(selfCookieName(h.SecureCookies))
	if err != nil || c.Value == "" {
		http.Redirect(w, r, "/self", http.StatusSeeOther)
		return store.SelfSession{}, false
	}
	s, err := h.DB.GetSelfSession(r.Context(), c.Value)
	if err != nil {
		if !errs.Is(err, errs.Unauthenticated) {
			h.fail(w, r, err)
			return s, false
		}
		h.clearSelfCookie(w)
		h.render(w, r, http.StatusUnauthorized, "self_expired", h.view(r, "self.expired_title", nil))
		return s, false
	}
	return s, true
}

// selfQuestion is one question of the family form: one fieldset.
type selfQuestion struct {
	Name     string // form field: h.CODE or c.CHILD.CODE
	ID       string // HTML id base
	Question string
	Number   bool
	Options  []selfOption
	Unit     string
	Integer  bool
	Value    string // the number typed
	Skipped  bool   // "not sure" chosen
	Error    string
	errKey   string // the store's field name for this question
	code     string
}

type selfOption struct {
	Value, Label string
	Checked      bool
}

// selfGroup is the household's questions or one child's.
type selfGroup struct {
	ID        string
	Title     string
	childID   string
	Questions []selfQuestion
}

type selfFormPage struct {
	Groups []selfGroup
}

func (h *Handler) selfGroups(lang string, f store.SelfForm) []selfGroup {
	build := func(id, title, childID string, inds []*flower.Indicator) selfGroup {
		g := selfGroup{ID: id, Title: title, childID: childID}
		for _, ind := range inds {
			q := selfQuestion{Question: ind.Question.In(lang), code: ind.Code}
			if childID == "" {
				q.Name, q.ID, q.errKey = "h."+ind.Code, "q-h-"+ind.Code, "answers["+ind.Code+"]"
			} else {
				q.Name, q.ID, q.errKey = "c."+childID+"."+ind.Code, "q-"+id+"-"+ind.Code, "children["+childID+"].answers["+ind.Code+"]"
			}
			if ind.Answer.Kind == flower.Number && ind.Answer.Number != nil {
				q.Number, q.Unit, q.Integer = true, ind.Answer.Number.UnitLabel.In(lang), ind.Answer.Number.Integer
			} else {
				for _, o := range ind.Answer.Options {
					q.Options = append(q.Options, selfOption{Value: o.Code, Label: o.Label.In(lang)})
				}
			}
			g.Questions = append(g.Questions, q)
		}
		return g
	}
	groups := []selfGroup{build("household", h.Cat.T(lang, "self.household_questions", nil), "", f.Household)}
	for i, k := range f.Children {
		groups = append(groups, build("child"+strconv.Itoa(i+1), h.Cat.T(lang, "self.child_questions", map[string]any{"Name": k.Name}), k.ID, f.ByChild[k.ID]))
	}
	return groups
}

// openSelfForm returns the session and its questions while the family
// may still answer; once it has, the form leads to the result.
func (h *Handler) openSelfForm(w http.ResponseWriter, r *http.Request) (store.SelfSession, store.SelfForm, bool) {
	s, ok := h.selfSession(w, r)
	if !ok {
		return s, store.SelfForm{}, false
	}
	if s.Submitted {
		if r.Method == http.MethodPost {
			// The answers sent again (a double tap, back and send): they
			// were saved once, by the first sending; the family is told so.
			h.redirectWithFlash(w, r, "/self/result", "flash.resend2_self")
			return s, store.SelfForm{}, false
		}
		http.Redirect(w, r, "/self/result", http.StatusSeeOther)
		return s, store.SelfForm{}, false
	}
	f, err := h.DB.SelfAssessmentForm(r.Context(), s)
	if err != nil {
		h.fail(w, r, err)
		return s, f, false
	}
	return s, f, true
}

// SelfFormShow shows the questions (GET /self/form).
func (h *Handler) SelfFormShow(w http.ResponseWriter, r *http.Request) {
	_, f, ok := h.openSelfForm(w, r)
	if !ok {
		return
	}
	v := h.view(r, "self.form_title", nil)
	v.Data = selfFormPage{Groups: h.selfGroups(v.Lang, f)}
	h.render(w, r, http.StatusOK, "self_form", v)
}

// SelfSubmit stores the family's answers (POST /self/form). Any question
// may be left out; a wrong answer is shown next to its question and
// nothing is saved.
func (h *Handler) SelfSubmit(w http.ResponseWriter, r *http.Request) {
	s, f, ok := h.openSelfForm(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, errs.Wrap(errs.Invalid, "error.form", err))
		return
	}
	v := h.view(r, "self.form_title", nil)
	groups := h.selfGroups(v.Lang, f)
	answers := store.SelfAnswers{Household: map[string]flower.Answer{}, Children: map[string]map[string]flower.Answer{}}
	var formErr *errs.Error
	for gi := range groups {
		g := &groups[gi]
		as := answers.Household
		if g.childID != "" {
			as = map[string]flower.Answer{}
		}
		for qi := range g.Questions {
			q := &g.Questions[qi]
			raw := strings.TrimSpace(r.PostFormValue(q.Name))
			switch {
			case raw == "" || raw == "skip":
				q.Skipped = raw == "skip"
			case q.Number:
				q.Value = raw
				n, err := parseFamilyNumber(raw)
				if err != nil {
					if formErr == nil {
						formErr = errs.Field(q.errKey+".number", "flower.number", nil)
					}
					continue
				}
				as[q.code] = flower.Answer{Number: &n}
			default:
				for oi := range q.Options {
					q.Options[oi].Checked = q.Options[oi].Value == raw
				}
				as[q.code] = flower.Answer{Option: raw}
			}
		}
		// A child the family said nothing about gets no self-assessment.
		if g.childID != "" && len(as) > 0 {
			answers.Children[g.childID] = as
		}
	}
	var saveErr error = formErr
	if formErr == nil {
		_, saveErr = h.DB.SubmitSelfAssessment(r.Context(), s, answers, httpx.Actor(r))
	}
	if saveErr != nil {
		e := errs.As(saveErr)
		if errs.Is(saveErr, errs.Conflict) {
			// Sent already (a double tap, back and send, another tab): the
			// code is used up in the first sending's transaction, so the
			// answers are saved once; the family sees the first result.
			h.redirectWithFlash(w, r, "/self/result", "flash.resend2_self")
			return
		}
		fe, status, ok := h.formError(r, saveErr)
		if !ok {
			h.fail(w, r, saveErr)
			return
		}
		placed := false
		for gi := range groups {
			for qi := range groups[gi].Questions {
				q := &groups[gi].Questions[qi]
				if e.Field == q.errKey || strings.HasPrefix(e.Field, q.errKey+".") {
					q.Error, placed = fe.Message, true
				}
			}
		}
		v.Error = &FormError{Message: h.Cat.T(v.Lang, "self.fix_answers", nil)}
		if !placed {
			v.Error.Message = fe.Message
		}
		v.Data = selfFormPage{Groups: groups}
		h.render(w, r, status, "self_form", v)
		return
	}
	http.Redirect(w, r, "/self/result", http.StatusSeeOther)
}

// parseFamilyNumber reads a number as families type it: Thai digits,
// thousands separators, spaces.
func parseFamilyNumber(s string) (float64, error) {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= '๐' && r <= '๙':
			return '0' + (r - '๐')
		case r == ',' || r == ' ' || r == '\u00a0':
			return -1
		}
		return r
	}, s)
	return strconv.ParseFloat(s, 64)
}

// selfFlower is one flower of the result page.
type selfFlower struct {
	ID       string
	Title    string
	SVG      template.HTML
	Petals   []selfPetal
	Concerns []selfConcern
}

type selfPetal struct {
	Dimension string
	Level     flower.Level
	Label     string
}

type selfConcern struct {
	Title   string
	Level   flower.Level
	Label   string
	Meaning string
}

// SelfResult shows the family its own flower(s) and, in plain words, the
// things to look after (GET /self/result).
func (h *Handler) SelfResult(w http.ResponseWriter, r *http.Request) {
	s, ok := h.selfSession(w, r)
	if !ok {
		return
	}
	if !s.Submitted {
		http.Redirect(w, r, "/self/form", http.StatusSeeOther)
		return
	}
	ctx := r.Context()
	results, err := h.DB.SelfResults(ctx, s)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f, err := h.DB.SelfAssessmentForm(ctx, s)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	names := map[string]string{}
	for _, k := range f.Children {
		names[k.ID] = k.Name
	}
	v := h.view(r, "self.result_title", nil)
	var flowers []selfFlower
	for i, a := range results {
		in := f.Instrument
		if a.InstrumentCode != in.Code || a.InstrumentVersion != in.Version {
			if in, err = h.DB.Instrument(ctx, a.InstrumentCode, a.InstrumentVersion); err != nil {
				h.fail(w, r, err)
				return
			}
		}
		title := h.Cat.T(v.Lang, "self.flower_household", nil)
		if a.Subject == flower.Child {
			title = h.Cat.T(v.Lang, "self.flower_child", map[string]any{"Name": names[a.PersonID]})
		}
		fl := selfFlower{ID: "flower-" + strconv.Itoa(i+1), Title: title}
		// RenderSVG escapes every text it draws (the child's name is in
		// the title), so its output may go into the page as it is.
		fl.SVG = template.HTML(flower.RenderSVG(a.Result.Levels(), flower.SVGOptions{Size: 200, Lang: v.Lang, Title: title,
			ID: "self" + strconv.Itoa(i+1), Letters: in.Letters(v.Lang)}))
		for _, d := range people.Dimensions {
			l := a.Result.Dimension(d).Level
			fl.Petals = append(fl.Petals, selfPetal{Dimension: flower.DimensionName(d, v.Lang), Level: l, Label: l.Label(v.Lang)})
		}
		for _, c := range a.Result.Concerns {
			ct := selfConcern{Title: c.Code, Level: c.Level, Label: c.Level.Label(v.Lang), Meaning: c.Level.Meaning(v.Lang)}
			if ind := in.Indicator(c.Code); ind != nil {
				ct.Title = ind.Title.In(v.Lang)
			}
			fl.Concerns = append(fl.Concerns, ct)
		}
		flowers = append(flowers, fl)
	}
	v.Data = flowers
	h.render(w, r, http.StatusOK, "self_result", v)
}
