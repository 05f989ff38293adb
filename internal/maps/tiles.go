package maps

import (
	"embed"
	"encoding/csv"
	"fmt"
	"strconv"
	"sync"
)

// The district geometry: a tile cartogram drawn for the project (see
// data/README.md for why it is a schematic and not boundaries).
//
//go:embed data/bangkok-tiles.csv
var tilesFS embed.FS

// Tile is a district's square on the grid: row 0 north, column 0 west.
type Tile struct {
	Code     string
	Row, Col int
}

var (
	tilesOnce sync.Once
	tiles     map[string]Tile
	tilesErr  error
)

// Tiles returns the districts' squares by district code.
func Tiles() (map[string]Tile, error) {
	tilesOnce.Do(func() { tiles, tilesErr = readTiles() })
	return tiles, tilesErr
}

func readTiles() (map[string]Tile, error) {
	f, err := tilesFS.Open("data/bangkok-tiles.csv")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	out := map[string]Tile{}
	taken := map[[2]int]string{}
	for i, r := range rows {
		if i == 0 {
			continue // header
		}
		if len(r) != 3 {
			return nil, fmt.Errorf("bangkok-tiles.csv line %d: %d fields, want 3", i+1, len(r))
		}
		row, err1 := strconv.Atoi(r[1])
		col, err2 := strconv.Atoi(r[2])
		if err1 != nil || err2 != nil || row < 0 || col < 0 {
			return nil, fmt.Errorf("bangkok-tiles.csv line %d: bad row or column", i+1)
		}
		at := [2]int{row, col}
		if other, ok := taken[at]; ok {
			return nil, fmt.Errorf("bangkok-tiles.csv line %d: %s on the square of %s", i+1, r[0], other)
		}
		if _, ok := out[r[0]]; ok {
			return nil, fmt.Errorf("bangkok-tiles.csv line %d: %s twice", i+1, r[0])
		}
		taken[at] = r[0]
		out[r[0]] = Tile{Code: r[0], Row: row, Col: col}
	}
	return out, nil
}
