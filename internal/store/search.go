package store

import (
	"context"
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
}

// maxCandidates bounds the people scored for one query: a query word as
// common as a frequent family name must not scan a city.
const maxCandidates = 2000

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
	filter, fargs := personFilter(q)
	r := db.reader()
	matched := map[string]int{}
	var order []string
	if len(keys) > 0 {
		sql := `SELECT k.person_id, COUNT(*) AS hits FROM person_name_keys k JOIN people p ON p.id = k.person_id
			WHERE k.key IN (?` + strings.Repeat(", ?", len(keys)-1) + `)` + filter + `
			GROUP BY k.person_id ORDER BY hits DESC, k.person_id LIMIT ?`
		args := make([]any, 0, len(keys)+len(fargs)+1)
		for _, k := range keys {
			args = append(args, k)
		}
		args = append(append(args, fargs...), maxCandidates)
		rows, err := r.query(ctx, sql, args...)
		if err != nil {
			return nil, 0, classify(err)
		}
		for rows.Next() {
			var id string
			var hits int
			if err := rows.Scan(&id, &hits); err != nil {
				rows.Close()
				return nil, 0, classify(err)
			}
			matched[id] = hits
			order = append(order, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, 0, classify(err)
		}
	}
	// A first word of two or more letters also matches given names that
	// start with it: people type the beginning of a name.
	if len(words) > 0 && len([]rune(words[0])) >= 2 && len(order) < maxCandidates {
		prefix := words[0]
		args := append([]any{prefix, prefix + "\U0010FFFF"}, fargs...)
		args = append(args, maxCandidates-len(order))
		rows, err := r.query(ctx, `SELECT p.id FROM people p WHERE p.search_name >= ? AND p.search_name < ?`+filter+` ORDER BY p.search_name LIMIT ?`, args...)
		if err != nil {
			return nil, 0, classify(err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, 0, classify(err)
			}
			if _, ok := matched[id]; !ok {
				matched[id] = 0
				order = append(order, id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, 0, classify(err)
		}
	}
	hits, err := db.loadHits(ctx, order, matched)
	if err != nil {
		return nil, 0, err
	}
	rankHits(hits, text)
	total := len(hits)
	if q.Offset >= len(hits) {
		hits = nil
	} else {
		hits = hits[q.Offset:min(len(hits), q.Offset+q.Limit)]
	}
	actor.Action, actor.ObjectType = ActionPeopleSearched, "person"
	actor.Detail = searchDetail(q, total)
	if err := db.AuditRead(ctx, actor); err != nil {
		return nil, 0, err
	}
	return hits, total, nil
}

// personFilter turns the query's narrowing fields into SQL on people p.
func personFilter(q PersonQuery) (string, []any) {
	var b strings.Builder
	var args []any
	if q.BirthYear > 0 {
		b.WriteString(` AND p.birth_year = ?`)
		args = append(args, q.BirthYear)
	}
	if q.Sex != people.Unknown {
		b.WriteString(` AND p.sex = ?`)
		args = append(args, string(q.Sex))
	}
	if q.CommunityCode != "" {
		b.WriteString(` AND p.community_id = (SELECT id FROM places WHERE code = ? AND kind = 'community')`)
		args = append(args, strings.ToUpper(q.CommunityCode))
	} else if q.DistrictCode != "" {
		b.WriteString(` AND p.community_id IN (SELECT c.id FROM places c JOIN places s ON s.id = c.parent_id
			JOIN places d ON d.id = s.parent_id WHERE d.code = ?)`)
		args = append(args, q.DistrictCode)
	}
	return b.String(), args
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

// loadHits reads the candidates with their community, in chunks.
func (db *DB) loadHits(ctx context.Context, ids []string, matched map[string]int) ([]PersonHit, error) {
	out := make([]PersonHit, 0, len(ids))
	r := db.reader()
	for len(ids) > 0 {
		n := min(len(ids), 500)
		chunk := ids[:n]
		ids = ids[n:]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := r.query(ctx, `SELECT `+personColumns+`, COALESCE(c.code, ''), COALESCE(c.name_th, ''), COALESCE(c.name_en, '')
			FROM people p LEFT JOIN places c ON c.id = p.community_id WHERE p.id IN (?`+strings.Repeat(", ?", n-1)+`)`, args...)
		if err != nil {
			return nil, classify(err)
		}
		for rows.Next() {
			var h PersonHit
			var p people.Person
			var sex, nationality, relation, created, updated string
			if err := rows.Scan(&p.ID, &p.Version, &p.HouseholdID, &p.CommunityID, &p.Title, &p.GivenName, &p.FamilyName, &p.Nickname,
				&p.GivenNameLatin, &p.FamilyNameLatin, &sex, &p.BirthDate, &nationality, &p.Phone, &relation,
				&p.FromPregnancyID, &created, &updated, &h.CommunityCode, &h.CommunityName, &h.CommunityEN); err != nil {
				rows.Close()
				return nil, classify(err)
			}
			p.Sex, p.Nationality, p.Relation = people.Sex(sex), people.Nationality(nationality), people.Relationship(relation)
			p.CreatedAt, p.UpdatedAt = parseTS(created), parseTS(updated)
			h.Person, h.Matched = p, matched[p.ID]
			out = append(out, h)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, classify(err)
		}
	}
	return out, nil
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
