package storetest_test

import (
	"context"
	"testing"

	"termtem/internal/audit"
	"termtem/internal/organisations"
	"termtem/internal/store"
)

func orgIn(t *testing.T, db *store.DB) organisations.Organisation {
	t.Helper()
	p, err := db.GetPlaceByCode(context.Background(), "1011")
	if err != nil {
		t.Fatal(err)
	}
	return organisations.Organisation{Code: "HC-1", Kind: organisations.HealthCentre, NameTH: "ศูนย์", PlaceID: p.ID, Active: true}
}

func auditEvent() audit.Event { return audit.Event{ActorID: "storetest"} }
