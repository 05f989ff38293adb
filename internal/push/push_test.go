package push

import (
	"crypto/ecdh"
	"encoding/base64"
	"testing"
)

// RFC 8291 §5 and Appendix A: with the example's keys and salt, the body
// must be the RFC's to the byte.
func TestEncryptRFC8291Example(t *testing.T) {
	b64 := func(s string) []byte {
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	as, err := ecdh.P256().NewPrivateKey(b64("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"))
	if err != nil {
		t.Fatal(err)
	}
	body, err := encrypt([]byte("When I grow up, I want to be a watermelon"),
		b64("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"),
		b64("BTBZMqHH6r4Tts7J_aSIgg"), as, b64("DGv6ra1nlYgDCS1FRnbzlw"))
	if err != nil {
		t.Fatal(err)
	}
	const want = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"
	if got := base64.RawURLEncoding.EncodeToString(body); got != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
}

func TestEncryptRefusesBadKeys(t *testing.T) {
	for _, c := range []struct{ p256dh, auth string }{
		{"AA", "BTBZMqHH6r4Tts7J_aSIgg"},
		{"BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4", "AAAA"},
		{"!!", "BTBZMqHH6r4Tts7J_aSIgg"},
	} {
		if _, err := Encrypt([]byte("x"), c.p256dh, c.auth); err == nil {
			t.Errorf("Encrypt(%q, %q) accepted", c.p256dh, c.auth)
		}
	}
}
