package demo

import "strings"

// NameLists are the generator's name lists, for other synthetic data (the
// record-linkage test files) to draw the same kind of names from.
type NameLists struct {
	Male, Female, Family []string
	MaleNick, FemaleNick []string
	MothersGiven         []string
}

// Names returns copies of the name lists: children's given names and
// nicknames of the newer fashion, family names, and older women's given
// names for mothers.
func Names() NameLists {
	c := func(l ...[]string) []string {
		var out []string
		for _, x := range l {
			out = append(out, x...)
		}
		return out
	}
	return NameLists{
		Male: c(maleNamesNewer, maleNamesOlder), Female: c(femaleNamesNewer, femaleNamesOlder), Family: c(familyNames),
		MaleNick: c(maleNicknamesNewer, maleNicknamesOlder), FemaleNick: c(femaleNicknamesNewer, femaleNicknamesOlder),
		MothersGiven: c(femaleNamesOlder),
	}
}

// LatinSpellings returns a name's RTGS romanisation and the other
// spellings people write, if the lists know the name.
func LatinSpellings(name string) (rtgs string, others []string) {
	s, ok := latinSpellings[name]
	if !ok {
		return "", nil
	}
	rtgs, alts, _ := strings.Cut(s, "|")
	if alts != "" {
		others = strings.Split(alts, "|")
	}
	return rtgs, others
}
