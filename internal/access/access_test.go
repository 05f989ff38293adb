package access_test

import (
	"testing"
	"time"

	"termtem/internal/access"
	"termtem/internal/account"
	"termtem/internal/errs"
)

func principal(perms ...account.Permission) *account.Principal {
	p := &account.Principal{Permissions: map[account.Permission]bool{}}
	for _, x := range perms {
		p.Permissions[x] = true
	}
	return p
}

func TestDecide(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	worker := principal(account.PeopleRead)
	committee := principal(account.ReportsAggregate)
	for _, c := range []struct {
		name string
		p    *account.Principal
		f    access.Facts
		want access.Level
	}{
		{"in area", worker, access.Facts{InArea: true}, access.Full},
		{"out of area, in the zone", worker, access.Facts{InSearchArea: true}, access.Listed},
		{"far away", worker, access.Facts{}, access.None},
		{"far away but on the case team", worker, access.Facts{OnCaseTeam: true}, access.Full},
		{"an open referral to my unit", worker, access.Facts{OpenReferral: true}, access.Full},
		{"my unit served the child", worker, access.Facts{ServedBy: true}, access.Full},
		{"a glass grant in force", worker, access.Facts{InSearchArea: true, GlassUntil: now.Add(time.Hour)}, access.Full},
		{"a glass grant expired", worker, access.Facts{InSearchArea: true, GlassUntil: now.Add(-time.Minute)}, access.Listed},
		{"restricted, in area", worker, access.Facts{InArea: true, Restricted: true}, access.None},
		{"restricted, on the team", worker, access.Facts{InArea: true, Restricted: true, OnCaseTeam: true}, access.Full},
		{"committee: aggregates only", committee, access.Facts{InArea: true, OnCaseTeam: true}, access.None},
		{"nobody", nil, access.Facts{InArea: true}, access.None},
		{"disabled user", &account.Principal{User: account.User{Disabled: true}, Permissions: map[account.Permission]bool{account.PeopleRead: true}},
			access.Facts{InArea: true}, access.None},
	} {
		if got := access.Decide(c.p, c.f, now); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestCheckGlass(t *testing.T) {
	worker := principal(account.PeopleRead)
	if err := access.CheckGlass(worker, access.Facts{InSearchArea: true}, "เด็กถูกส่งตัวมาที่ศูนย์ฉุกเฉินกลางดึก"); err != nil {
		t.Fatal(err)
	}
	if err := access.CheckGlass(worker, access.Facts{InSearchArea: true}, "ดู"); errs.As(err).Field != "reason" {
		t.Fatalf("a one-word reason: %v", err)
	}
	if err := access.CheckGlass(worker, access.Facts{}, "เด็กถูกส่งตัวมาที่ศูนย์ฉุกเฉินกลางดึก"); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("out of the search area: %v", err)
	}
	if err := access.CheckGlass(principal(account.ReportsAggregate), access.Facts{InSearchArea: true}, "เด็กถูกส่งตัวมาที่ศูนย์ฉุกเฉินกลางดึก"); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("a committee member: %v", err)
	}
}

// Decide must be monotone in the relating facts (see its comment): for
// every combination, setting one more of them never lowers the level.
func TestDecideIsMonotone(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	p := principal(account.PeopleRead)
	facts := func(bits int, restricted bool) access.Facts {
		f := access.Facts{Restricted: restricted, InArea: bits&1 != 0, InSearchArea: bits&2 != 0, OnCaseTeam: bits&4 != 0,
			OpenReferral: bits&8 != 0, Handoff: bits&16 != 0, ServedBy: bits&32 != 0}
		if bits&64 != 0 {
			f.GlassUntil = now.Add(time.Hour)
		}
		return f
	}
	checked := 0
	for _, restricted := range []bool{false, true} {
		for bits := range 128 {
			base := access.Decide(p, facts(bits, restricted), now)
			for one := 1; one < 128; one <<= 1 {
				if bits&one != 0 {
					continue
				}
				if more := access.Decide(p, facts(bits|one, restricted), now); more < base {
					t.Errorf("restricted=%v facts %07b → %v, adding %07b → %v", restricted, bits, base, one, more)
				}
				checked++
			}
		}
	}
	if checked != 2*64*7 {
		t.Fatalf("checked %d pairs", checked)
	}
}
