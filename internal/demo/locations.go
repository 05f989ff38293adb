package demo

// communityLocations place the demo's communities for the map's community
// view (WGS 84 degrees). They are approximate — around Rom Klao, the Hua
// Takhe market and Khlong Lam Pla Thio — like the rest of the demo, not
// surveyed points.
var communityLocations = map[string][2]float64{
	subKhlongSamPrawet + "-C01": {13.7468, 100.7468},
	subKhlongSamPrawet + "-C02": {13.7421, 100.7510},
	subKhlongSamPrawet + "-C03": {13.7499, 100.7552},
	subKhlongSamPrawet + "-C04": {13.7389, 100.7431},
	subLatKrabang + "-C01":      {13.7254, 100.7588},
	subLamPlaThio + "-C01":      {13.7880, 100.8270},
}
