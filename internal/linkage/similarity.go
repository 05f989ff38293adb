package linkage

// similarity is the Jaro–Winkler similarity of two strings, by runes (a
// Thai letter is one rune): 1 for equal strings, 0 for nothing in common.
// It forgives a transposed pair and weighs a shared beginning, which is
// how names are mistyped.
func similarity(a, b string) float64 {
	if a == b {
		return 1
	}
	var ba, bb [48]rune
	ra, rb := appendRunes(ba[:0], a), appendRunes(bb[:0], b)
	la, lb := len(ra), len(rb)
	if la == 0 || lb == 0 {
		return 0
	}
	window := max(la, lb)/2 - 1
	if window < 0 {
		window = 0
	}
	var fa, fb [48]bool
	ma, mb := fa[:0], fb[:0]
	if la > len(fa) || lb > len(fb) {
		ma, mb = make([]bool, 0, la), make([]bool, 0, lb)
	}
	ma, mb = ma[:la], mb[:lb]
	clear(ma)
	clear(mb)
	matches := 0
	for i := 0; i < la; i++ {
		lo, hi := max(0, i-window), min(lb, i+window+1)
		for j := lo; j < hi; j++ {
			if !mb[j] && ra[i] == rb[j] {
				ma[i], mb[j] = true, true
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	half, j := 0, 0
	for i := 0; i < la; i++ {
		if !ma[i] {
			continue
		}
		for !mb[j] {
			j++
		}
		if ra[i] != rb[j] {
			half++
		}
		j++
	}
	m := float64(matches)
	jaro := (m/float64(la) + m/float64(lb) + (m-float64(half/2))/m) / 3
	prefix := 0
	for prefix < min(4, la, lb) && ra[prefix] == rb[prefix] {
		prefix++
	}
	return jaro + float64(prefix)*0.1*(1-jaro)
}

func appendRunes(dst []rune, s string) []rune {
	for _, r := range s {
		dst = append(dst, r)
	}
	return dst
}
