package store

import "context"

// AggregateArea returns the districts (place IDs) whose aggregates the
// request may see: those its organisations serve. all is true for the
// platform's own work and for users serving the whole city. The map uses
// it to offer areas; the dashboards' own check (requireDashboard) still
// refuses each place outside the area.
func (db *DB) AggregateArea(ctx context.Context) (districts []string, all bool, err error) {
	req, v, err := db.requestViewer(ctx)
	if err != nil {
		return nil, false, err
	}
	if req == nil || req.Principal.Global() {
		return nil, true, nil
	}
	var n int
	if err := db.reader().queryRow(ctx, `SELECT COUNT(*) FROM places WHERE kind = 'district'`).Scan(&n); err != nil {
		return nil, false, classify(err)
	}
	return v.districts, n > 0 && len(v.districts) >= n, nil
}
