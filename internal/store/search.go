package store

import (
	"context"
	"slices"
	"strings"

	"termtem/internal/audit"
	"termtem/internal/errs"
	"termtem/internal/people"
	"termtem/internal/thai"
)

// PersonQuery is a name search, narrowed by what the searcher knows.
type PersonQuery struct {
	Text          string // Thai or Latin, with or without title; misspellings allowed
	BirthYear     int    // C.E.; 0 = any
	Sex           people.Sex
	DistrictCode  string
	CommunityCode string
	Limit, Offset int
}

// PersonHit is one search result with what the list shows.
type PersonHit struct {
	Person        people.Person
	CommunityCode string
	CommunityName string
	CommunityEN   string
	Matched       int // how many of the query's name keys the person has
	// Restricted: outside the searcher's area; the list shows who, and the
	// record opens only by breaking the glass.
	Restricted bool
}

// maxCandidates bounds the people scored for one query: a query word as
// common as a frequent family name must not scan a city. Scoring reads
// each candidate's names, a row lookup each: at a million people 2,000 of
// them took 20 ms of a search's 50, and the 2,000 people sharing a common
// name's key were no better a pool to rank than the first 500 are.
const maxCandidates = 500

// maxRanked bounds the people ranked by keys before filters and the
// searcher's area narrow them to maxCandidates: enough that a district's
// worker, whose search area is a sixth of the city, still fills the pool.
const maxRanked = 20 * maxCandidates

// nameColumns are what ranking needs of a candidate besides its ID; the
// rest of a person is read only for the page shown.
const nameColumns = `p.given_name, p.family_name, p.nickname, p.given_name_latin, p.family_name_latin`

// SearchPeople finds people by name, however it was spelt: every query word
// becomes a phonetic key (Thai and Latin spellings share one key space), and
// a word typed as the start of a given name matches by prefix. Candidates
// are ranked by keys matched, then by closeness of spelling. The search is
// audited with its filters but never its text.
func (db *DB) SearchPeople(ctx context.Context, q PersonQuery, actor audit.Event) ([]PersonHit, int, error) {
	text := thai.NormalizeName(q.Text)
	if _, rest, ok := thai.SplitTitle(text); ok {
		text = rest
	}
	keys := thai.NameKeys(text)
	words := strings.Fields(strings.ToLower(text))
	if len(keys) == 0 && len(words) == 0 {
		return nil, 0, errs.Field("q", "search.empty", nil)
	}
	if q.Limit <= 0 || q.Limit > 100 {
		q.Limit = 20
	}
	// A request searches only its search area and the people in its care.
	scope, sargs, err := db.searchScope(ctx)
	if err != nil {
		return nil, 0, err
	}
	filter, fargs := personFilter(q)
	filter, fargs = filter+scope, append(fargs, sargs...)
	// Search may lag: a streaming replica serves it when one is set.
	r := db.lagging()
	var cands []candidate
	seen := map[string]bool{}
	// scan adds candidates; withNames: the query also selects nameColumns,
	// because it reads the person's row anyway (a filter, the prefix
	// search), so candidateNames need not read it again.
	scan := func(query string, args []any, withNames bool) error {
		rows, err := r.query(ctx, query, args...)
		if err != nil {
			return classify(err)
		}
		defer rows.Close()
		for rows.Next() {
			var c candidate
			dest := []any{&c.id, &c.matched}
			if withNames {
				dest = append(dest, &c.given, &c.family, &c.nickname, &c.givenLatin, &c.familyLatin)
			}
			if err := rows.Scan(dest...); err != nil {
				return classify(err)
			}
			c.named = withNames
			if !seen[c.id] {
				seen[c.id] = true
				cands = append(cands, c)
			}
		}
		return classify(rows.Err())
	}
	keys = slices.Compact(slices.Sorted(slices.Values(keys)))
	// Candidates come from the key index alone: the selective filters
	// (birth year, place) are sets of IDs read from covering indexes of
	// people, and the rest (sex, the searcher's area) is tested afterwards
	// on the best-ranked only. Joining every holder of a common key to
	// people read a row for each of them, tens of thousands for a common
	// given name, and was two thirds of a search's time.
	keyFilter, kargs := personKeyFilter(q, db.postgres)
	rest, rargs := sexFilter(q)
	rest, rargs = rest+scope, append(rargs, sargs...)
	if len(keys) > 0 {
		// One key: a person holds it at most once, so the candidates are
		// the key's first people in the index, with no counting.
		query := `SELECT k.person_id, 1 FROM person_name_keys k WHERE k.key = ?` + keyFilter + ` ORDER BY k.person_id LIMIT ?`
		if len(keys) > 1 {
			query = `SELECT k.person_id, COUNT(*) AS hits FROM person_name_keys k WHERE k.key IN (?` + strings.Repeat(", ?", len(keys)-1) + `)` +
				keyFilter + ` GROUP BY k.person_id ORDER BY hits DESC, k.person_id LIMIT ?`
		}
		// With a filter left to test, the best-ranked are read twice as many
		// as are needed, and only if too few pass (a district's worker
		// searching a city's common name) again up to maxRanked: reading
		// ten thousand IDs into Go for every search cost more than the rare
		// second query does.
		limits := []int{maxCandidates}
		if rest != "" {
			limits = []int{2 * maxCandidates, maxRanked}
		}
		for _, limit := range limits {
			cands = cands[:0]
			clear(seen)
			args := make([]any, 0, len(keys)+len(kargs)+1)
			for _, k := range keys {
				args = append(args, k)
			}
			if err := scan(query, append(append(args, kargs...), limit), false); err != nil {
				return nil, 0, err
			}
			read := len(cands)
			if rest != "" {
				if cands, err = db.narrow(ctx, cands, rest, rargs); err != nil {
					return nil, 0, err
				}
			}
			if read < limit || len(cands) >= maxCandidates {
				break
			}
		}
		// The prefix search below adds only people not already kept.
		clear(seen)
		for _, c := range cands {
			seen[c.id] = true
		}
	}
	// A first word of two or more letters also matches given names that
	// start with it: people type the beginning of a name.
	if len(words) > 0 && len([]rune(words[0])) >= 2 && len(cands) < maxCandidates {
		prefix := words[0]
		args := append([]any{prefix, prefix + "\U0010FFFF"}, fargs...)
		args = append(args, maxCandidates-len(cands))
		if err := scan(`SELECT p.id, 0, `+nameColumns+` FROM people p WHERE p.search_name >= ? AND p.search_name < ?`+filter+
			` ORDER BY p.search_name LIMIT ?`, args, true); err != nil {
			return nil, 0, err
		}
	}
	total := len(cands)
	var hits []PersonHit
	if q.Offset < total {
		end := min(total, q.Offset+q.Limit)
		// Candidates come ordered by keys matched, the first ranking rule,
		// so only the runs of equal keys matched that reach into the page
		// need their names read and ranked.
		lo, hi := q.Offset, end
		for lo > 0 && cands[lo-1].matched == cands[q.Offset].matched {
			lo--
		}
		for hi < total && cands[hi].matched == cands[end-1].matched {
			hi++
		}
		if err := db.candidateNames(ctx, cands[lo:hi]); err != nil {
			return nil, 0, err
		}
		rankCandidates(cands[lo:hi], text, q.Offset-lo, end-lo)
		if hits, err = db.loadHits(ctx, cands[q.Offset:end]); err != nil {
			return nil, 0, err
		}
		if hits, err = db.scopeHits(ctx, hits); err != nil {
			return nil, 0, err
		}
	}
	actor.Action, actor.ObjectType = ActionPeopleSearched, "person"
	actor.Detail = searchDetail(q, total)
	if err := db.AuditRead(ctx, actor); err != nil {
		return nil, 0, err
	}
	return hits, total, nil
}

// narrow keeps, in their order, the candidates that pass filter (SQL on
// people p, as personFilter and searchScope make), up to maxCandidates, and
// reads their names on the way.
func (db *DB) narrow(ctx context.Context, cs []candidate, filter string, fargs []any) ([]candidate, error) {
	at := make(map[string]int, len(cs))
	for i := range cs {
		at[cs[i].id] = i
	}
	keep := make([]bool, len(cs))
	kept := 0
	r := db.reader()
	for start := 0; start < len(cs) && kept < maxCandidates; start += 500 {
		batch := cs[start:min(len(cs), start+500)]
		args := make([]any, 0, len(batch)+len(fargs))
		for _, c := range batch {
			args = append(args, c.id)
		}
		rows, err := r.query(ctx, `SELECT p.id, `+nameColumns+` FROM people p WHERE p.id IN (?`+strings.Repeat(", ?", len(batch)-1)+`)`+filter, append(args, fargs...)...)
		if err != nil {
			return nil, classify(err)
		}
		for rows.Next() {
			var id string
			var n candidate
			if err := rows.Scan(&id, &n.given, &n.family, &n.nickname, &n.givenLatin, &n.familyLatin); err != nil {
				rows.Close()
				return nil, classify(err)
			}
			c := &cs[at[id]]
			c.given, c.family, c.nickname, c.givenLatin, c.familyLatin, c.named = n.given, n.family, n.nickname, n.givenLatin, n.familyLatin, true
			keep[at[id]] = true
			kept++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, classify(err)
		}
	}
	out := cs[:0]
	for i, c := range cs {
		if keep[i] && len(out) < maxCandidates {
			out = append(out, c)
		}
	}
	return out, nil
}

// candidateNames reads what ranking needs of the candidates found without
// their names.
func (db *DB) candidateNames(ctx context.Context, cs []candidate) error {
	at := make(map[string]int, len(cs))
	var ids []any
	for i := range cs {
		if !cs[i].named {
			at[cs[i].id] = i
			ids = append(ids, cs[i].id)
		}
	}
	r := db.reader()
	for start := 0; start < len(ids); start += 500 {
		args := ids[start:min(len(ids), start+500)]
		rows, err := r.query(ctx, `SELECT p.id, `+nameColumns+` FROM people p WHERE p.id IN (?`+strings.Repeat(", ?", len(args)-1)+`)`, args...)
		if err != nil {
			return classify(err)
		}
		for rows.Next() {
			var id, given, family, nickname, givenLatin, familyLatin string
			if err := rows.Scan(&id, &given, &family, &nickname, &givenLatin, &familyLatin); err != nil {
				rows.Close()
				return classify(err)
			}
			c := &cs[at[id]]
			c.given, c.family, c.nickname, c.givenLatin, c.familyLatin = given, family, nickname, givenLatin, familyLatin
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return classify(err)
		}
	}
	return nil
}

// personKeyFilter is personFilter's selective part as SQL on the name key
// index k: birth year and district are columns of the key rows (indexed
// with the key), a community the IDs of its people, read from the
// people_community_id index without touching a row.
//
// On SQLite the unary + keeps the planner from driving the query by the
// community's people (a probe of the key index for each of them); it scans
// the key's range and tests each holder against the set instead.
// PostgreSQL chooses from its statistics and has no unary + for text.
func personKeyFilter(q PersonQuery, postgres bool) (string, []any) {
	var b strings.Builder
	var args []any
	if q.BirthYear > 0 {
		b.WriteString(` AND k.birth_year = ?`)
		args = append(args, q.BirthYear)
	}
	if q.CommunityCode != "" {
		col := "+k.person_id"
		if postgres {
			col = "k.person_id"
		}
		b.WriteString(` AND ` + col + ` IN (SELECT p.id FROM people p WHERE p.community_id = (SELECT id FROM places WHERE code = ? AND kind = 'community'))`)
		args = append(args, strings.ToUpper(q.CommunityCode))
	} else if q.DistrictCode != "" {
		b.WriteString(` AND k.district_code = ?`)
		args = append(args, q.DistrictCode)
	}
	return b.String(), args
}

// personFilter turns the query's narrowing fields into SQL on people p.
func personFilter(q PersonQuery) (string, []any) {
	var b strings.Builder
	var args []any
	if q.BirthYear > 0 {
		b.WriteString(` AND p.birth_year = ?`)
		args = append(args, q.BirthYear)
	}
	if q.CommunityCode != "" {
		b.WriteString(` AND p.community_id = (SELECT id FROM places WHERE code = ? AND kind = 'community')`)
		args = append(args, strings.ToUpper(q.CommunityCode))
	} else if q.DistrictCode != "" {
		b.WriteString(` AND p.community_id IN (SELECT c.id FROM places c JOIN places s ON s.id = c.parent_id
			JOIN places d ON d.id = s.parent_id WHERE d.code = ?)`)
		args = append(args, q.DistrictCode)
	}
	sex, sargs := sexFilter(q)
	return b.String() + sex, append(args, sargs...)
}

func sexFilter(q PersonQuery) (string, []any) {
	if q.Sex == people.Unknown {
		return "", nil
	}
	return ` AND p.sex = ?`, []any{string(q.Sex)}
}

func searchDetail(q PersonQuery, total int) string {
	var parts []string
	if q.BirthYear > 0 {
		parts = append(parts, "birth_year")
	}
	if q.Sex != "" {
		parts = append(parts, "sex")
	}
	if q.DistrictCode != "" {
		parts = append(parts, "district="+q.DistrictCode)
	}
	if q.CommunityCode != "" {
		parts = append(parts, "community="+q.CommunityCode)
	}
	return strings.Join(append(parts, "results="+itoa(total)), " ")
}

// loadHits reads the people of a page of candidates with their community,
// in the candidates' order.
func (db *DB) loadHits(ctx context.Context, page []candidate) ([]PersonHit, error) {
	if len(page) == 0 {
		return nil, nil
	}
	args := make([]any, len(page))
	at := make(map[string]int, len(page))
	for i, c := range page {
		args[i] = c.id
		at[c.id] = i
	}
	rows, err := db.reader().query(ctx, `SELECT `+personColumns+`, COALESCE(c.code, ''), COALESCE(c.name_th, ''), COALESCE(c.name_en, '')
		FROM people p LEFT JOIN places c ON c.id = p.community_id WHERE p.id IN (?`+strings.Repeat(", ?", len(page)-1)+`)`, args...)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	out := make([]PersonHit, len(page))
	for rows.Next() {
		var h PersonHit
		var p people.Person
		var sex, nationality, relation, created, updated string
		if err := rows.Scan(&p.ID, &p.Version, &p.HouseholdID, &p.CommunityID, &p.Title, &p.GivenName, &p.FamilyName, &p.Nickname,
			&p.GivenNameLatin, &p.FamilyNameLatin, &sex, &p.BirthDate, &nationality, &p.Phone, &relation,
			&p.FromPregnancyID, &created, &updated, &h.CommunityCode, &h.CommunityName, &h.CommunityEN); err != nil {
			return nil, classify(err)
		}
		p.Sex, p.Nationality, p.Relation = people.Sex(sex), people.Nationality(nationality), people.Relationship(relation)
		p.CreatedAt, p.UpdatedAt = parseTS(created), parseTS(updated)
		i := at[p.ID]
		h.Person, h.Matched = p, page[i].matched
		out[i] = h
	}
	return out, classify(rows.Err())
}

// PossibleDuplicates lists people who are probably p: the same name keys for
// given and family name and the same birth date (or year).
func (db *DB) PossibleDuplicates(ctx context.Context, p people.Person) ([]people.Person, error) {
	given, family := thai.NameKeys(p.GivenName), thai.NameKeys(p.FamilyName)
	if len(given) == 0 || len(family) == 0 || len(p.BirthDate) < 4 {
		return nil, nil
	}
	rows, err := db.reader().query(ctx, `SELECT `+personColumns+` FROM people p
		JOIN person_name_keys g ON g.person_id = p.id AND g.key = ?
		JOIN person_name_keys f ON f.person_id = p.id AND f.key = ?
		WHERE p.birth_year = ? AND p.id <> ? LIMIT 10`, given[0], family[0], birthYear(p.BirthDate), p.ID)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []people.Person
	for rows.Next() {
		q, err := scanPerson(rows)
		if err != nil {
			return nil, classify(err)
		}
		// Same year is enough when either date is partial; otherwise the
		// full dates must agree.
		if len(q.BirthDate) == 10 && len(p.BirthDate) == 10 && q.BirthDate != p.BirthDate {
			continue
		}
		out = append(out, q)
	}
	return out, classify(rows.Err())
}
