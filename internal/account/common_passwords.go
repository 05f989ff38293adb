package account

import "strings"

// commonPasswords are passwords that appear at the top of every published
// breach list, plus Thai keyboard-walk and everyday choices. A short list
// catches most of the guessing risk; a full breached-password check can come
// later behind the same function.
var commonPasswords = map[string]bool{}

func init() {
	for _, p := range strings.Fields(`
		password password1 password123 passw0rd p@ssw0rd p@ssword 12345678 123456789 1234567890
		11111111 00000000 88888888 99999999 12341234 87654321 11223344 12344321 123123123
		qwertyui qwerty123 qwertyuiop asdfghjk asdfasdf zxcvbnm1 1q2w3e4r 1qaz2wsx qazwsxedc
		iloveyou iloveyou1 sunshine princess football baseball superman batman123 trustno1
		welcome1 welcome123 admin123 administrator letmein1 changeme changeme1 abcd1234
		abc12345 abcdefgh aaaaaaaa monkey123 dragon123 master123 shadow123 starwars
		bangkok1 bangkok123 thailand thailand1 krungthep termtem termtem1 termtem123
		kittipong somchai1 25412541 25252525 24682468 13579135`) {
		commonPasswords[p] = true
	}
}

func isCommonPassword(p string) bool {
	return commonPasswords[strings.ToLower(p)]
}
