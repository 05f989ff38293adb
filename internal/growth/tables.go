package growth

import (
	"embed"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

//go:embed data/*.tsv
var dataFS embed.FS

type lms struct{ l, m, s float64 }

type row struct {
	age float64
	lms
}

// table holds LMS rows per sex, sorted by age (days or months).
type table struct {
	name string
	rows [3][]row // indexed by Sex
}

// at returns the LMS values at age, interpolating linearly between the
// rows around it; false outside the table.
func (t *table) at(sex Sex, age float64) (lms, bool) {
	rs := t.rows[sex]
	if len(rs) == 0 || age < rs[0].age || age > rs[len(rs)-1].age {
		return lms{}, false
	}
	i := sort.Search(len(rs), func(i int) bool { return rs[i].age >= age })
	if rs[i].age == age {
		return rs[i].lms, true
	}
	a, b := rs[i-1], rs[i]
	f := (age - a.age) / (b.age - a.age)
	mix := func(x, y float64) float64 { return x + f*(y-x) }
	return lms{mix(a.l, b.l), mix(a.m, b.m), mix(a.s, b.s)}, true
}

var (
	weianthro  = mustLoad("data/weianthro.tsv")
	lenanthro  = mustLoad("data/lenanthro.tsv")
	hfawho2007 = mustLoad("data/hfawho2007.tsv")
	wfawho2007 = mustLoad("data/wfawho2007.tsv")
	bfawho2007 = mustLoad("data/bfawho2007.tsv")
)

func mustLoad(name string) *table {
	b, err := dataFS.ReadFile(name)
	if err != nil {
		panic(err)
	}
	t, err := parseTable(name, string(b))
	if err != nil {
		panic(err)
	}
	return t
}

// parseTable reads a tab-separated LMS table: '#' comment lines, a header
// line starting with "sex", then rows of sex, age, l, m, s (and any further
// columns, ignored). Ages must strictly increase within a sex. (WHO's 2007
// files repeat their last row one month later; it is kept, as AnthroPlus
// keeps it, so that ages in the last month interpolate to the last values.)
func parseTable(name, text string) (*table, error) {
	t := &table{name: name}
	header := false
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if !header {
			if len(f) < 5 || f[0] != "sex" || f[1] != "age" || f[2] != "l" || f[3] != "m" || f[4] != "s" {
				return nil, fmt.Errorf("%s:%d: want header sex age l m s", name, n+1)
			}
			header = true
			continue
		}
		if len(f) < 5 {
			return nil, fmt.Errorf("%s:%d: want 5 columns", name, n+1)
		}
		var v [5]float64
		for i := range v {
			x, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: column %d: %v", name, n+1, i+1, err)
			}
			v[i] = x
		}
		sex := Sex(v[0])
		if sex != Male && sex != Female {
			return nil, fmt.Errorf("%s:%d: sex %v", name, n+1, v[0])
		}
		if v[3] <= 0 || v[4] <= 0 {
			return nil, fmt.Errorf("%s:%d: m and s must be positive", name, n+1)
		}
		r := row{age: v[1], lms: lms{v[2], v[3], v[4]}}
		rs := t.rows[sex]
		if k := len(rs); k > 0 {
			if r.age <= rs[k-1].age {
				return nil, fmt.Errorf("%s:%d: age %v does not increase", name, n+1, r.age)
			}
		}
		t.rows[sex] = append(rs, r)
	}
	if len(t.rows[Male]) == 0 || len(t.rows[Female]) == 0 {
		return nil, fmt.Errorf("%s: both sexes needed", name)
	}
	return t, nil
}
