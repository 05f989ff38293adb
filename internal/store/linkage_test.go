package store_test

import (
	"testing"

	"termtem/internal/errs"
	"termtem/internal/imports"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

const linkageHeader = "เลขประจำตัวนักเรียน,เลขประจำตัวประชาชน,คำนำหน้า,ชื่อ,นามสกุล,เพศ,วันเกิด,ชั้น,วันที่เข้าเรียน\n"

// TestLinkageImportQueueMergeUnmerge: a second agency's file without
// national IDs links a sure match, queues an unsure one and creates a
// stranger; the same file again changes nothing; a data officer links the
// queued pair (the person's records move to the one already known), undoes
// it (they move back and the pair is pending again), and separates it.
func TestLinkageImportQueueMergeUnmerge(t *testing.T) {
	db := storetest.Open(t)
	school := newOrg(t, db, "SCH-L")
	first := linkageHeader +
		"S1," + testCID(1) + ",ด.ช.,ธนกฤต,ใจดีมีสุข,ชาย,12/05/2559,ป.1,16/05/2568\n" +
		"S2," + testCID(2) + ",ด.ญ.,พิมพ์ชนก,ทองคำสายทอง,หญิง,03/07/2560,อ.3,16/05/2568\n"
	mustImport(t, db, school.ID, "school-l", imports.CSV, writeFile(t, "a.csv", first), rosterMapping())
	// The welfare list: the boy with a title spelt out and no ID; the girl
	// under a new family name with day and month swapped; a stranger.
	second := linkageHeader +
		"W1,,เด็กชาย,ธนกฤต,ใจดีมีสุข,ชาย,12/05/2559,ป.1,01/06/2568\n" +
		"W2,,ด.ญ.,พิมพ์ชนก,แสงจันทร์,หญิง,07/03/2560,อ.3,01/06/2568\n" +
		"W3,,ด.ช.,กวิน,บุญมา,ชาย,01/01/2555,ป.5,01/06/2568\n"
	j := mustImport(t, db, school.ID, "welfare-l", imports.CSV, writeFile(t, "b.csv", second), rosterMapping())
	if j.Counts.Linked != 1 || j.Counts.Created != 2 {
		t.Fatalf("welfare list: %+v, want 1 linked and 2 created", j.Counts)
	}
	boy := personByCID(t, db, testCID(1))
	if n := auditCount(t, db, store.ActionLinkageAutoLinked, boy.ID); n != 1 {
		t.Fatalf("auto link audited %d times", n)
	}
	pairs, total, err := db.ListPairs(ctx, nil, store.PairPending, 0, 0, actor())
	if err != nil || total != 1 || len(pairs) != 1 {
		t.Fatalf("queue: %d %+v %v", total, pairs, err)
	}
	// Another organisation's data officer sees none of it.
	if _, total, _ := db.ListPairs(ctx, []string{"other-org"}, store.PairPending, 0, 0, actor()); total != 0 {
		t.Fatalf("another organisation's queue holds %d pairs", total)
	}
	_, err = db.GetPair(ctx, []string{"other-org"}, pairs[0].ID, actor())
	wantErr(t, err, errs.NotFound, "", "linkage.pair_not_found")
	if pp, total, _ := db.ListPairs(ctx, []string{school.ID}, store.PairPending, 0, 0, actor()); total != 1 || len(pp) != 1 {
		t.Fatalf("the school's queue: %d", total)
	}
	girl := personByCID(t, db, testCID(2))
	pr := pairs[0]
	if pr.CandidateID != girl.ID || pr.Candidate.GivenName != "พิมพ์ชนก" || pr.Person.FamilyName != "แสงจันทร์" || len(pr.Evidence) == 0 {
		t.Fatalf("pair: %+v", pr)
	}
	// The same file again: nothing new, nothing queued twice.
	j2 := mustImport(t, db, school.ID, "welfare-l", imports.CSV, writeFile(t, "b.csv", second), rosterMapping())
	if j2.Counts.Unchanged != 3 {
		t.Fatalf("again: %+v", j2.Counts)
	}
	if _, total, _ := db.ListPairs(ctx, nil, store.PairPending, 0, 0, actor()); total != 1 {
		t.Fatalf("queue after the same file again: %d", total)
	}

	full, err := db.GetPair(ctx, nil, pr.ID, actor())
	if err != nil || full.Person.ID != pr.PersonID || full.Candidate.NationalID != testCID(2) {
		t.Fatalf("get pair: %+v %v", full, err)
	}
	if _, err := db.LinkPair(ctx, nil, pr.ID, pr.Version+1, actor()); err == nil {
		t.Fatal("a stale version linked")
	}
	mergeID, err := db.LinkPair(ctx, nil, pr.ID, pr.Version, actor())
	if err != nil {
		t.Fatal(err)
	}
	tl, err := db.Timeline(ctx, girl.ID, store.TimelineFilter{}, actor())
	if err != nil || len(tl) != 2 {
		t.Fatalf("survivor's timeline after the merge: %d records %v", len(tl), err)
	}
	if _, err := db.LinkPair(ctx, nil, pr.ID, pr.Version+1, actor()); err == nil {
		t.Fatal("a decided pair linked again")
	}
	// The merged person is no longer found by name; the known girl is,
	// by either family name.
	found := func(q string) map[string]bool {
		hits, _, err := db.SearchPeople(ctx, store.PersonQuery{Text: q}, actor())
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		for _, h := range hits {
			ids[h.Person.ID] = true
		}
		return ids
	}
	if ids := found("พิมพ์ชนก แสงจันทร์"); ids[pr.PersonID] || !ids[girl.ID] {
		t.Fatalf("search after the merge: %v (merged %s, survivor %s)", ids, pr.PersonID, girl.ID)
	}
	if n := auditCount(t, db, store.ActionLinkageMerged, pr.PersonID); n != 1 {
		t.Fatalf("merge audited %d times on the merged person", n)
	}

	if err := db.Unmerge(ctx, nil, mergeID, actor()); err != nil {
		t.Fatal(err)
	}
	if tl, _ := db.Timeline(ctx, girl.ID, store.TimelineFilter{}, actor()); len(tl) != 1 {
		t.Fatalf("survivor's timeline after the undo: %d records", len(tl))
	}
	if tl, _ := db.Timeline(ctx, pr.PersonID, store.TimelineFilter{}, actor()); len(tl) != 1 {
		t.Fatalf("merged person's timeline after the undo: %d records", len(tl))
	}
	if ids := found("พิมพ์ชนก แสงจันทร์"); !ids[pr.PersonID] {
		t.Fatalf("the unmerged person is not found again: %v", ids)
	}
	err = db.Unmerge(ctx, nil, mergeID, actor())
	wantErr(t, err, errs.Conflict, "", "linkage.merge_undone")
	back, err := db.GetPair(ctx, nil, pr.ID, actor())
	if err != nil || back.Status != store.PairPending || !back.MergeUndone && back.MergeID != "" {
		t.Fatalf("pair after the undo: %+v %v", back, err)
	}
	if err := db.SeparatePair(ctx, nil, pr.ID, back.Version, actor()); err != nil {
		t.Fatal(err)
	}
	if _, total, _ := db.ListPairs(ctx, nil, store.PairSeparate, 0, 0, actor()); total != 1 {
		t.Fatalf("separate pairs: %d", total)
	}
	if n := auditCount(t, db, store.ActionLinkageSeparated, pr.ID); n != 1 {
		t.Fatalf("separation audited %d times", n)
	}
}
