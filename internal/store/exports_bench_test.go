package store_test

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"testing"

	"termtem/internal/demo"
	"termtem/internal/exports"
	"termtem/internal/people"
	"termtem/internal/places"
	"termtem/internal/store"
	"termtem/internal/store/storetest"
)

// BenchmarkExportDistrict exports a whole district (TERMTEM_BENCH_EXPORT
// people, default 20,000, in 20 communities of Lat Krabang) as CSV and
// as XLSX, reporting people a second and the peak heap while exporting:
// the heap should stay near the size of the ID list, not of the file.
func BenchmarkExportDistrict(b *testing.B) {
	n := 20000
	if s := os.Getenv("TERMTEM_BENCH_EXPORT"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	db := storetest.Open(b)
	d, err := db.GetPlaceByCode(ctx, "1011")
	if err != nil {
		b.Fatal(err)
	}
	subs, err := db.ListPlaces(ctx, store.PlaceFilter{ParentID: d.ID})
	if err != nil || len(subs) == 0 {
		b.Fatal(err)
	}
	var communities []string
	for i := range 20 {
		c, err := db.SavePlace(ctx, places.Place{Kind: places.Community, Code: fmt.Sprintf("%s-B%02d", subs[0].Code, i), NameTH: "ชุมชน " + strconv.Itoa(i),
			ParentID: subs[0].ID}, actor())
		if err != nil {
			b.Fatal(err)
		}
		communities = append(communities, c.ID)
	}
	g := demo.NewGenerator(3, db.Now())
	var hs []people.Household
	var ps []people.Person
	for h, members := range g.Households(communities, n/4) {
		hs = append(hs, h)
		ps = append(ps, members...)
		if len(ps) >= n {
			break
		}
	}
	if err := db.InsertHouseholds(ctx, hs, ps); err != nil {
		b.Fatal(err)
	}
	fields := []string{"person_id", "national_id", "title", "given_name", "family_name", "sex", "birth_date", "age_years", "community", "address"}
	for _, format := range []exports.Format{exports.CSV, exports.XLSX} {
		b.Run(string(format), func(b *testing.B) {
			req := exports.Request{AreaID: d.ID, Format: format, Fields: fields}
			var peak uint64
			var ms runtime.MemStats
			count := 0
			for b.Loop() {
				runtime.GC()
				file := &exports.Lazy{Open: func() (*exports.File, error) { return exports.Open(io.Discard, req, db.Now(), fields) }}
				i := 0
				got, err := db.Export(ctx, req, "", actor(), func(r *exports.Row) error {
					if i++; i%2000 == 0 {
						runtime.ReadMemStats(&ms)
						peak = max(peak, ms.HeapInuse)
					}
					return file.Write(r)
				})
				if err == nil {
					err = file.Finish()
				}
				if err != nil {
					b.Fatal(err)
				}
				count = got
			}
			b.ReportMetric(float64(count)*float64(b.N)/b.Elapsed().Seconds(), "people/s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(count), "people")
		})
	}
}
