package httpx

import (
	"testing"
	"time"
)

// A fake clock: the limiter's arithmetic, with no timing in the test.
func TestRateLimiterBuckets(t *testing.T) {
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	l := NewRateLimiter(2, 5)
	l.now = func() time.Time { return now }
	for i := range 5 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, wait := l.Allow("a")
	if ok || wait != 500*time.Millisecond {
		t.Fatalf("sixth request: %v, wait %s; want refused, 500ms", ok, wait)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatal("another client refused: buckets are per client")
	}
	now = now.Add(500 * time.Millisecond) // one token back at 2 a second
	if ok, _ := l.Allow("a"); !ok {
		t.Fatal("refused after a token came back")
	}
	if ok, _ := l.Allow("a"); ok {
		t.Fatal("allowed with no token left")
	}
	now = now.Add(time.Hour) // refills to the burst, not beyond
	for i := range 5 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("after an hour, request %d refused", i+1)
		}
	}
	if ok, _ := l.Allow("a"); ok {
		t.Fatal("an idle hour saved more than the burst")
	}
}

// Made-up clients cannot grow the map without bound: full buckets are
// forgotten first, then everyone.
func TestRateLimiterForgets(t *testing.T) {
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	l := NewRateLimiter(1, 2)
	l.now = func() time.Time { return now }
	l.maxClients = 3
	l.Allow("busy")
	l.Allow("busy")
	l.Allow("idle")
	now = now.Add(10 * time.Second) // idle is full again; busy too
	l.Allow("c")
	l.Allow("d") // the map is at its bound: the full buckets go
	if n := l.Clients(); n > 3 {
		t.Fatalf("%d clients kept, bound 3", n)
	}
	for _, c := range []string{"e", "f", "g", "h", "i"} {
		l.Allow(c)
		l.Allow(c)
		if n := l.Clients(); n > 3 {
			t.Fatalf("%d clients kept after %s, bound 3", n, c)
		}
	}
}
