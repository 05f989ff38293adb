package flower

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"termtem/internal/errs"
	"termtem/internal/people"
)

// MaxFileSize bounds an instrument file.
const MaxFileSize = 1 << 20

// maxProblems bounds the problems Parse reports at once.
const maxProblems = 50

// Text limits.
const (
	maxTitleLen    = 200
	maxQuestionLen = 600
	maxSourceLen   = 600
)

var (
	instrumentCodeRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)
	indicatorCodeRe  = regexp.MustCompile(`^[A-Z][A-Z0-9_]{1,15}$`)
	optionCodeRe     = regexp.MustCompile(`^[a-z0-9][a-z0-9_]{0,39}$`)
)

// Parse reads and validates an instrument file (JSON, see the file format
// in instruments/README.md). The error, if any, joins up to 50 problems,
// each an *errs.Error naming the field ("indicators[ECO03].options[2].level")
// and, where it can, the file line; errs.As gives the first, Problems all.
func Parse(data []byte) (*Instrument, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errs.Field("file", "flower.file_empty", nil)
	}
	if len(data) > MaxFileSize {
		return nil, errs.Field("file", "flower.file_too_large", map[string]any{"Max": MaxFileSize})
	}
	var in Instrument
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return nil, decodeError(data, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		e := errs.Field("file", "flower.file_syntax", nil)
		e.Line = lineOf(data, dec.InputOffset())
		return nil, e
	}
	v := &validator{lines: valueLines(data)}
	v.instrument(&in)
	if len(v.problems) > 0 {
		return nil, errors.Join(v.problems...)
	}
	return &in, nil
}

// Problems lists every *errs.Error in err (as Parse joins them).
func Problems(err error) []*errs.Error {
	if err == nil {
		return nil
	}
	var out []*errs.Error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			out = append(out, Problems(e)...)
		}
		return out
	}
	return []*errs.Error{errs.As(err)}
}

func decodeError(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		e := errs.Field("file", "flower.file_syntax", nil)
		e.Line, e.Err = lineOf(data, syn.Offset), err
		return e
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "file"
		}
		e := errs.Field(field, "flower.file_type", map[string]any{"Want": typ.Type.String()})
		e.Line, e.Err = lineOf(data, typ.Offset), err
		return e
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		e := errs.Field(name, "flower.file_unknown_field", map[string]any{"Name": name})
		e.Err = err
		// The decoder does not say where; the first value by that name is
		// the likely place (the earliest line among equal names).
		for p, line := range valueLines(data) {
			if (p == name || strings.HasSuffix(p, "."+name)) && (e.Line == 0 || line < e.Line) {
				e.Field, e.Line = p, line
			}
		}
		return e
	case errors.Is(err, io.EOF) || strings.Contains(err.Error(), "unexpected EOF"):
		e := errs.Field("file", "flower.file_syntax", nil)
		e.Line, e.Err = lineOf(data, int64(len(data))), err
		return e
	}
	e := errs.Field("file", "flower.file_syntax", nil)
	e.Err = err
	return e
}

// lineOf is the 1-based line of a byte offset.
func lineOf(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	if off < 0 {
		off = 0
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// ValueLine returns the line on which the value at path (a top-level
// field such as "version", or "indicators[3].code") starts in an instrument
// file, or 0 when it is not there.
func ValueLine(data []byte, path string) int { return valueLines(data)[path] }

// valueLines maps the path of every value in a JSON document
// ("indicators[3].options[2].level") to the line it starts on.
func valueLines(data []byte) map[string]int {
	lines := map[string]int{}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	start := func() int {
		off := int(dec.InputOffset())
		for off < len(data) && strings.IndexByte(" \t\r\n,:", data[off]) >= 0 {
			off++
		}
		return lineOf(data, int64(off))
	}
	var walk func(path string, depth int) bool
	walk = func(path string, depth int) bool {
		if depth > 64 {
			return false
		}
		line := start()
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		lines[path] = line
		d, ok := tok.(json.Delim)
		if !ok {
			return true
		}
		switch d {
		case '{':
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return false
				}
				key, _ := k.(string)
				p := key
				if path != "" {
					p = path + "." + key
				}
				if !walk(p, depth+1) {
					return false
				}
			}
		case '[':
			for i := 0; dec.More(); i++ {
				if !walk(fmt.Sprintf("%s[%d]", path, i), depth+1) {
					return false
				}
			}
		}
		_, err = dec.Token()
		return err == nil
	}
	walk("", 0)
	return lines
}

// loc is where a value is: its path by index (to find its line) and the
// name shown to people (indicators by code).
type loc struct{ idx, show string }

func (l loc) key(k string) loc {
	if l.idx == "" {
		return loc{k, k}
	}
	return loc{l.idx + "." + k, l.show + "." + k}
}

func (l loc) elem(i int, name string) loc {
	n := l
	n.idx = fmt.Sprintf("%s[%d]", l.idx, i)
	if name != "" {
		n.show = l.show + "[" + name + "]"
	} else {
		n.show = fmt.Sprintf("%s[%d]", l.show, i)
	}
	return n
}

type validator struct {
	lines    map[string]int
	problems []error
}

func (v *validator) add(at loc, id string, data map[string]any) {
	if len(v.problems) >= maxProblems {
		return
	}
	e := errs.Field(at.show, id, data)
	for p := at.idx; ; {
		if n, ok := v.lines[p]; ok {
			e.Line = n
			break
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	v.problems = append(v.problems, e)
}

func (v *validator) text(at loc, t Text, max int, required bool) {
	for _, f := range []struct {
		k, s string
	}{{"th", t.TH}, {"en", t.EN}} {
		s := strings.TrimSpace(f.s)
		switch {
		case s == "" && required:
			v.add(at.key(f.k), "field.required", nil)
		case utf8.RuneCountInString(s) > max:
			v.add(at.key(f.k), "field.too_long", map[string]any{"Max": max})
		}
	}
}

func (v *validator) source(at loc, s string, required bool) {
	switch {
	case strings.TrimSpace(s) == "" && required:
		v.add(at, "field.required", nil)
	case utf8.RuneCountInString(s) > maxSourceLen:
		v.add(at, "field.too_long", map[string]any{"Max": maxSourceLen})
	}
}

func parseDay(s string) (time.Time, bool) {
	t, err := time.Parse("2006-01-02", s)
	return t, err == nil
}

func (v *validator) instrument(in *Instrument) {
	root := loc{}
	if !instrumentCodeRe.MatchString(in.Code) {
		v.add(root.key("code"), "flower.code_format", nil)
	}
	if in.Version < 1 {
		v.add(root.key("version"), "flower.version", nil)
	}
	v.text(root.key("title"), in.Title, maxTitleLen, true)
	v.text(root.key("description"), in.Description, 4000, false)
	if t, ok := parseDay(in.PublishedAt); ok {
		in.published = t
	} else {
		v.add(root.key("published_at"), "flower.date", nil)
	}
	v.dimensions(in)
	v.references(in)
	v.indicators(in)
}

func (v *validator) dimensions(in *Instrument) {
	at := loc{}.key("dimensions")
	seen := map[people.Dimension]bool{}
	for i := range in.Dimensions {
		d := &in.Dimensions[i]
		a := at.elem(i, string(d.Dimension))
		switch {
		case !slices.Contains(people.Dimensions, d.Dimension):
			a = at.elem(i, "")
			v.add(a.key("dimension"), "field.choice", nil)
		case seen[d.Dimension]:
			v.add(a.key("dimension"), "flower.dimension_duplicate", nil)
		}
		seen[d.Dimension] = true
		switch d.Rule.Kind {
		case "":
			v.add(a.key("rule"), "flower.rule_missing", nil)
		case RuleWorst:
			if d.Rule.MinAnswered != 0 {
				v.add(a.key("rule").key("min_answered"), "flower.min_answered", nil)
			}
		case RuleWorstOfAnswered:
			if d.Rule.MinAnswered < 0 || d.Rule.MinAnswered > 100 {
				v.add(a.key("rule").key("min_answered"), "flower.min_answered", nil)
			}
		default:
			v.add(a.key("rule").key("kind"), "field.choice", nil)
		}
		for _, f := range []struct{ k, s string }{{"th", d.Letter.TH}, {"en", d.Letter.EN}} {
			if n := utf8.RuneCountInString(strings.TrimSpace(f.s)); n == 0 || n > 3 {
				v.add(a.key("letter").key(f.k), "flower.letter", nil)
			}
		}
	}
	for _, d := range people.Dimensions {
		if !seen[d] {
			v.add(at, "flower.dimension_missing", map[string]any{"Dimension": string(d)})
		}
	}
	// Keep the flower's order whatever the file's.
	slices.SortStableFunc(in.Dimensions, func(a, b DimensionSpec) int {
		return slices.Index(people.Dimensions, a.Dimension) - slices.Index(people.Dimensions, b.Dimension)
	})
}

func (v *validator) references(in *Instrument) {
	at := loc{}.key("references")
	seen := map[string]bool{}
	for i := range in.References {
		r := &in.References[i]
		a := at.elem(i, r.Code)
		if !optionCodeRe.MatchString(r.Code) {
			a = at.elem(i, "")
			v.add(a.key("code"), "flower.code_format", nil)
		} else if seen[r.Code] {
			v.add(a.key("code"), "flower.code_duplicate", nil)
		}
		seen[r.Code] = true
		v.text(a.key("label"), r.Label, maxTitleLen, true)
		v.source(a.key("source"), r.Source, true)
		if len(r.Values) == 0 {
			v.add(a.key("values"), "flower.reference_values", nil)
		}
		var prev time.Time
		for j := range r.Values {
			dv := &r.Values[j]
			b := a.key("values").elem(j, "")
			t, ok := parseDay(dv.From)
			switch {
			case !ok:
				v.add(b.key("from"), "flower.date", nil)
			case j > 0 && !t.After(prev):
				v.add(b.key("from"), "flower.reference_order", nil)
			}
			dv.from, prev = t, t
			if !(dv.Value > 0) || math.IsInf(dv.Value, 0) {
				v.add(b.key("value"), "flower.positive", nil)
			}
			v.source(b.key("source"), dv.Source, false)
		}
	}
}

func (v *validator) indicators(in *Instrument) {
	at := loc{}.key("indicators")
	if len(in.Indicators) == 0 {
		v.add(at, "flower.no_indicators", nil)
	}
	in.byCode = map[string]*Indicator{}
	declared := map[people.Dimension]bool{}
	for _, d := range in.Dimensions {
		declared[d.Dimension] = true
	}
	for i, ind := range in.Indicators {
		if ind == nil {
			v.add(at.elem(i, ""), "field.required", nil)
			continue
		}
		a := at.elem(i, ind.Code)
		switch {
		case !indicatorCodeRe.MatchString(ind.Code):
			a = at.elem(i, "")
			v.add(a.key("code"), "flower.code_format", nil)
		case in.byCode[ind.Code] != nil:
			v.add(a.key("code"), "flower.code_duplicate", nil)
		default:
			in.byCode[ind.Code] = ind
		}
		v.indicator(in, ind, a, declared)
	}
	v.dependencies(in, at)
}

func (v *validator) indicator(in *Instrument, ind *Indicator, a loc, declared map[people.Dimension]bool) {
	if !slices.Contains(people.Dimensions, ind.Dimension) || !declared[ind.Dimension] {
		v.add(a.key("dimension"), "field.choice", nil)
	}
	if ind.Subject != Household && ind.Subject != Child {
		v.add(a.key("subject"), "field.choice", nil)
	}
	v.appliesTo(ind, a.key("applies_to"))
	v.text(a.key("title"), ind.Title, maxTitleLen, true)
	v.text(a.key("question"), ind.Question, maxQuestionLen, true)
	v.source(a.key("source"), ind.Source, true)
	switch ind.Sensitivity {
	case people.NotSensitive, people.SensitiveHealth, people.SensitiveSafety:
	default:
		v.add(a.key("sensitivity"), "field.choice", nil)
	}
	ans := &ind.Answer
	b := a.key("answer")
	switch ans.Kind {
	case Choice:
		v.shape(b, ans.Options != nil, ans.Number != nil, ans.Derived != nil, true, false)
		v.options(b, ans.Options)
	case Number:
		v.shape(b, ans.Options != nil, ans.Number != nil, ans.Derived != nil, false, true)
		v.number(in, b, ans.Number)
	case Derived:
		if ans.Derived == nil {
			v.add(b.key("derived"), "field.required", nil)
			return
		}
		want, known := derivedShapes[ans.Derived.From]
		if !known {
			v.add(b.key("derived").key("from"), "field.choice", nil)
			return
		}
		if want != nil {
			v.shape(b, ans.Options != nil, ans.Number != nil, false, true, false)
			v.options(b, ans.Options)
			for _, code := range want {
				if ans.Option(code) == nil {
					v.add(b.key("options"), "flower.derived_options", map[string]any{"Code": code})
				}
			}
		} else {
			v.shape(b, ans.Options != nil, ans.Number != nil, false, false, true)
			v.number(in, b, ans.Number)
		}
		if ans.Derived.From == FromWorstOf {
			if len(ans.Derived.Indicators) == 0 {
				v.add(b.key("derived").key("indicators"), "field.required", nil)
			}
		} else if len(ans.Derived.Indicators) > 0 {
			v.add(b.key("derived").key("indicators"), "flower.answer_shape", nil)
		}
	case "":
		v.add(b.key("kind"), "field.required", nil)
	default:
		v.add(b.key("kind"), "field.choice", nil)
	}
}

// shape checks that an answer has exactly the parts its kind uses.
func (v *validator) shape(b loc, hasOptions, hasNumber, hasDerived, wantOptions, wantNumber bool) {
	if hasOptions != wantOptions {
		v.add(b.key("options"), pickID(wantOptions), nil)
	}
	if hasNumber != wantNumber {
		v.add(b.key("number"), pickID(wantNumber), nil)
	}
	if hasDerived {
		v.add(b.key("derived"), "flower.answer_shape", nil)
	}
}

func pickID(wanted bool) string {
	if wanted {
		return "field.required"
	}
	return "flower.answer_shape"
}

func (v *validator) appliesTo(ind *Indicator, a loc) {
	ap := ind.AppliesTo
	if ind.Subject == Household {
		if ap.MinMonths != nil || ap.MaxMonths != nil || len(ap.Stages) > 0 || len(ap.Conditions) > 0 {
			v.add(a, "flower.applies_subject", nil)
		}
		if ap.WithChildUnderMonths != nil && (*ap.WithChildUnderMonths < 1 || *ap.WithChildUnderMonths > 216) {
			v.add(a.key("with_child_under_months"), "flower.age_band", nil)
		}
		return
	}
	if ap.WithChildUnderMonths != nil {
		v.add(a.key("with_child_under_months"), "flower.applies_subject", nil)
	}
	const maxMonths = 25 * 12
	if ap.MinMonths != nil && (*ap.MinMonths < 0 || *ap.MinMonths > maxMonths) {
		v.add(a.key("min_months"), "flower.age_band", nil)
	}
	if ap.MaxMonths != nil && (*ap.MaxMonths < 0 || *ap.MaxMonths > maxMonths) {
		v.add(a.key("max_months"), "flower.age_band", nil)
	}
	if ap.MinMonths != nil && ap.MaxMonths != nil && *ap.MinMonths > *ap.MaxMonths {
		v.add(a.key("max_months"), "flower.age_band", nil)
	}
	for i, s := range ap.Stages {
		if !slices.Contains(people.LifeStages, s) {
			v.add(a.key("stages").elem(i, ""), "field.choice", nil)
		}
	}
	for i, c := range ap.Conditions {
		if !slices.Contains(people.Conditions, c) {
			v.add(a.key("conditions").elem(i, ""), "field.choice", nil)
		}
	}
}

func (v *validator) options(b loc, opts []Option) {
	if opts == nil {
		return
	}
	at := b.key("options")
	if len(opts) < 2 {
		v.add(at, "flower.options_count", nil)
	}
	seen := map[string]bool{}
	green := false
	for i := range opts {
		o := &opts[i]
		a := at.elem(i, "")
		switch {
		case !optionCodeRe.MatchString(o.Code):
			v.add(a.key("code"), "flower.code_format", nil)
		case seen[o.Code]:
			v.add(a.key("code"), "flower.code_duplicate", nil)
		}
		seen[o.Code] = true
		v.text(a.key("label"), o.Label, maxTitleLen, true)
		v.source(a.key("source"), o.Source, false)
		switch {
		case o.Level == "":
			v.add(a.key("level"), "flower.level_missing", nil)
		case !o.Level.Valid():
			v.add(a.key("level"), "field.choice", nil)
		}
		if o.Urgent && o.Level != Red {
			v.add(a.key("urgent"), "flower.urgent_not_red", nil)
		}
		green = green || o.Level == Green
	}
	if len(opts) > 0 && !green {
		v.add(at, "flower.no_green", nil)
	}
}

func (v *validator) number(in *Instrument, b loc, n *NumberSpec) {
	if n == nil {
		return
	}
	at := b.key("number")
	if strings.TrimSpace(n.Unit) == "" {
		v.add(at.key("unit"), "field.required", nil)
	}
	v.text(at.key("unit_label"), n.UnitLabel, 40, true)
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	if !finite(n.Min) || !finite(n.Max) || n.Max <= n.Min {
		v.add(at.key("max"), "flower.bounds", nil)
	}
	switch n.Direction {
	case HigherBetter, LowerBetter, TwoSided:
	case "":
		v.add(at.key("direction"), "field.required", nil)
	default:
		v.add(at.key("direction"), "field.choice", nil)
	}
	if n.Reference != "" && in.Reference(n.Reference) == nil {
		v.add(at.key("reference"), "flower.reference_unknown", nil)
	}
	ta := at.key("thresholds")
	if len(n.Thresholds) == 0 {
		v.add(ta, "field.required", nil)
		return
	}
	green := false
	type span struct {
		i        int
		from, to float64
	}
	spans := make([]span, 0, len(n.Thresholds))
	for i, t := range n.Thresholds {
		a := ta.elem(i, "")
		switch {
		case t.Level == "":
			v.add(a.key("level"), "flower.level_missing", nil)
		case !t.Level.Valid():
			v.add(a.key("level"), "field.choice", nil)
		}
		if t.Urgent && t.Level != Red {
			v.add(a.key("urgent"), "flower.urgent_not_red", nil)
		}
		green = green || t.Level == Green
		v.text(a.key("label"), t.Label, maxTitleLen, false)
		v.source(a.key("source"), t.Source, true)
		s := span{i, math.Inf(-1), math.Inf(1)}
		if t.From != nil {
			s.from = *t.From
		}
		if t.Below != nil {
			s.to = *t.Below
		}
		if (t.From != nil && !finite(*t.From)) || (t.Below != nil && !finite(*t.Below)) || s.from >= s.to {
			v.add(a, "flower.threshold_empty", nil)
			continue
		}
		spans = append(spans, s)
	}
	if !green {
		v.add(ta, "flower.no_green", nil)
	}
	if len(spans) != len(n.Thresholds) {
		return
	}
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].from < spans[j].from })
	lo, hi := n.Min, n.Max
	if n.Reference != "" {
		// Multiples of a reference: cover every ratio the bounds allow.
		lo, hi = math.Inf(-1), math.Inf(1)
		if n.Min >= 0 {
			lo = 0
		}
	}
	if spans[0].from > lo {
		v.add(ta.elem(spans[0].i, ""), "flower.threshold_gap", map[string]any{"At": lo})
	}
	for k := 1; k < len(spans); k++ {
		prev, cur := spans[k-1], spans[k]
		switch {
		case cur.from > prev.to:
			v.add(ta.elem(cur.i, ""), "flower.threshold_gap", map[string]any{"At": prev.to})
		case cur.from < prev.to:
			v.add(ta.elem(cur.i, ""), "flower.threshold_overlap", map[string]any{"At": cur.from})
		}
	}
	if last := spans[len(spans)-1]; !math.IsInf(last.to, 1) && last.to <= hi {
		v.add(ta.elem(last.i, ""), "flower.threshold_gap", map[string]any{"At": last.to})
	}
	// Levels must follow the direction, from low values to high ones.
	for k := 1; k < len(spans); k++ {
		a, b := n.Thresholds[spans[k-1].i].Level, n.Thresholds[spans[k].i].Level
		if (n.Direction == HigherBetter && b.Worse(a)) || (n.Direction == LowerBetter && a.Worse(b)) {
			v.add(ta.elem(spans[k].i, "").key("level"), "flower.direction", nil)
		}
	}
}

// dependencies checks worst_of references and orders evaluation so that an
// indicator comes after those it depends on; a cycle is an error.
func (v *validator) dependencies(in *Instrument, at loc) {
	deps := map[*Indicator][]*Indicator{}
	for i, ind := range in.Indicators {
		if ind == nil || ind.Answer.Kind != Derived || ind.Answer.Derived == nil || ind.Answer.Derived.From != FromWorstOf {
			continue
		}
		a := at.elem(i, ind.Code).key("answer").key("derived").key("indicators")
		for j, code := range ind.Answer.Derived.Indicators {
			dep := in.byCode[code]
			switch {
			case code == ind.Code:
				v.add(a.elem(j, ""), "flower.depends_self", nil)
			case dep == nil:
				v.add(a.elem(j, ""), "flower.depends_unknown", map[string]any{"Code": code})
			default:
				deps[ind] = append(deps[ind], dep)
			}
		}
	}
	const (
		unseen = iota
		visiting
		done
	)
	state := map[*Indicator]int{}
	var stack []*Indicator
	reported := false
	var visit func(ind *Indicator)
	visit = func(ind *Indicator) {
		switch state[ind] {
		case done:
			return
		case visiting:
			if !reported {
				reported = true
				k := slices.Index(stack, ind)
				path := make([]string, 0, len(stack)-k+1)
				for _, s := range stack[k:] {
					path = append(path, s.Code)
				}
				path = append(path, ind.Code)
				i := slices.Index(in.Indicators, ind)
				v.add(at.elem(i, ind.Code).key("answer").key("derived").key("indicators"), "flower.cycle",
					map[string]any{"Path": strings.Join(path, " → ")})
			}
			return
		}
		state[ind] = visiting
		stack = append(stack, ind)
		for _, d := range deps[ind] {
			visit(d)
		}
		stack = stack[:len(stack)-1]
		state[ind] = done
		in.order = append(in.order, ind)
	}
	for _, ind := range in.Indicators {
		if ind != nil {
			visit(ind)
		}
	}
}
