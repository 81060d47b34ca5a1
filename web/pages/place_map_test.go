package pages

import (
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// TestFranceShapes checks the map's data: one shape for each of the 18 regions, named as
// the app stores them, every point inside the viewBox, each count's label inside its
// region's bounds, and the insets apart from the mainland and from one another.
func TestFranceShapes(t *testing.T) {
	var names []string
	for _, s := range franceShapes {
		names = append(names, s.Name)
	}
	want := slices.Clone(fabrique.Regions)
	slices.Sort(want)
	slices.Sort(names)
	if !slices.Equal(names, want) {
		t.Fatalf("regions of the map: got %v, want %v", names, want)
	}
	number := regexp.MustCompile(`-?[0-9.]+`)
	step := regexp.MustCompile(`^(?:[ML][0-9.]+ [0-9.]+)+Z$`)
	mainlandBottom := 0.0
	for _, s := range franceShapes {
		var minX, minY, maxX, maxY = float64(mapWidth), float64(mapHeight), 0.0, 0.0
		for _, sub := range regexp.MustCompile(`[^Z]+Z`).FindAllString(s.D, -1) {
			if !step.MatchString(sub) {
				t.Errorf("%s: malformed path %q", s.Name, sub)
			}
		}
		nums := number.FindAllString(s.D, -1)
		if len(nums) < 8 || len(nums)%2 != 0 {
			t.Errorf("%s: %d coordinates", s.Name, len(nums))
			continue
		}
		for i := 0; i < len(nums); i += 2 {
			x, _ := strconv.ParseFloat(nums[i], 64)
			y, _ := strconv.ParseFloat(nums[i+1], 64)
			if x < 0 || y < 0 || x > mapWidth || y > mapHeight {
				t.Errorf("%s: point (%v, %v) outside the viewBox", s.Name, x, y)
			}
			minX, minY, maxX, maxY = min(minX, x), min(minY, y), max(maxX, x), max(maxY, y)
		}
		if s.LabelX < minX || s.LabelX > maxX || s.LabelY < minY || s.LabelY > maxY {
			t.Errorf("%s: label (%v, %v) outside its bounds (%v, %v)–(%v, %v)", s.Name, s.LabelX, s.LabelY, minX, minY, maxX, maxY)
		}
		if s.Overseas() {
			b := s.Box
			if minX < b[0] || maxX > b[0]+b[2] || minY < b[1] || maxY > b[1]+b[3] || s.NameY > mapHeight {
				t.Errorf("%s: shape or name outside its inset %v", s.Name, b)
			}
		} else {
			mainlandBottom = max(mainlandBottom, maxY)
		}
	}
	for i, s := range franceShapes {
		if !s.Overseas() {
			continue
		}
		if s.Box[1] <= mainlandBottom {
			t.Errorf("%s: inset at y=%v over the mainland (down to %v)", s.Name, s.Box[1], mainlandBottom)
		}
		if i+1 < len(franceShapes) && s.Box[0]+s.Box[2] > franceShapes[i+1].Box[0] {
			t.Errorf("%s: inset overlaps the next one", s.Name)
		}
	}
}

func TestMapShade(t *testing.T) {
	for n, want := range map[int]string{0: "shade-0", 1: "shade-1", 2: "shade-2", 4: "shade-2", 5: "shade-3", 9: "shade-3", 10: "shade-4", 500: "shade-4"} {
		if got := mapShade(n); got != want {
			t.Errorf("mapShade(%d): got %s, want %s", n, got, want)
		}
	}
}

func TestMapRegionsSelectedLast(t *testing.T) {
	list := mapRegions(map[string]int{"Bretagne": 2}, "Bretagne")
	if len(list) != 18 || list[17].Name != "Bretagne" || !list[17].Selected || list[17].Count != 2 {
		t.Errorf("got %d regions, last %+v; want 18, Bretagne selected last with 2", len(list), list[len(list)-1].Name)
	}
	for _, r := range list[:17] {
		if r.Selected || r.Count != 0 {
			t.Errorf("%s: selected %v, count %d", r.Name, r.Selected, r.Count)
		}
	}
}
