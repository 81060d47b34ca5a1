package pages

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// The map of /tiers-lieux: the 18 regions drawn by the server as SVG, each filled by its
// count of tiers-lieux and linking to the list of that region. No tiles, no JavaScript.
//
// The outlines are hand-simplified from the regions' real borders, a few dozen points in
// longitude and latitude each: recognisable, not precise. Mainland borders are written
// once, as arcs that two regions (or a region and the sea or a neighbouring country)
// share, so neighbours meet without gaps or overlaps. The five overseas regions are
// insets in a row under the mainland, each at a scale of its own.

// mapWidth and mapHeight are the SVG's viewBox: the mainland (and Corsica) above, the
// insets below. The SVG is 100% wide, so it fits a 360 px screen as a 1280 px one.
const (
	mapWidth  = 520
	mapHeight = 610
)

// Mainland projection: equirectangular, longitudes shortened by the cosine of 46.5° N so
// that France keeps its shape.
const (
	mapScale  = 50.0 // viewBox units per degree of latitude
	mapWest   = -5.0 // longitude of x = 0
	mapNorth  = 51.3 // latitude of y = 0
	mapCosLat = 0.688
)

type lonLat [2]float64

// mapArcs are the mainland's borders, each from one junction to the next.
var mapArcs = map[string][]lonLat{
	// Coasts and borders with neighbouring countries.
	"hdf-coast":   {{1.38, 50.07}, {1.62, 50.22}, {1.57, 50.4}, {1.6, 50.73}, {1.58, 50.87}, {1.85, 50.96}, {2.2, 51.02}, {2.55, 51.09}},
	"hdf-belgium": {{2.55, 51.09}, {2.63, 50.9}, {2.9, 50.7}, {3.15, 50.78}, {3.3, 50.52}, {3.65, 50.45}, {4.05, 50.35}, {4.2, 50.1}, {4.2, 49.97}},
	"ge-north": {{4.2, 49.97}, {4.5, 49.95}, {4.85, 50.15}, {4.8, 49.95}, {5.0, 49.8}, {5.4, 49.62}, {5.8, 49.55}, {6.1, 49.47},
		{6.4, 49.47}, {6.55, 49.4}, {7.0, 49.18}, {7.35, 49.17}, {7.6, 49.08}, {8.2, 48.97}},
	"ge-rhine":   {{8.2, 48.97}, {7.83, 48.6}, {7.58, 48.1}, {7.55, 47.6}, {7.45, 47.47}, {7.1, 47.5}},
	"bfc-swiss":  {{7.1, 47.5}, {6.95, 47.33}, {6.5, 47.0}, {6.15, 46.6}, {6.12, 46.4}},
	"ara-border": {{6.12, 46.4}, {5.98, 46.15}, {6.3, 46.25}, {6.8, 46.42}, {6.8, 46.1}, {7.05, 45.93}, {6.85, 45.68}, {7.18, 45.45}, {6.95, 45.2}, {6.63, 45.12}},
	"paca-italy": {{6.63, 45.12}, {6.75, 44.95}, {7.05, 44.7}, {6.87, 44.42}, {7.2, 44.2}, {7.7, 44.15}, {7.53, 43.78}},
	"paca-coast": {{7.53, 43.78}, {7.27, 43.69}, {7.1, 43.57}, {6.93, 43.43}, {6.65, 43.25}, {6.35, 43.1}, {5.93, 43.08},
		{5.55, 43.2}, {5.35, 43.3}, {5.0, 43.35}, {4.8, 43.38}, {4.6, 43.35}, {4.4, 43.45}, {4.23, 43.46}},
	"occ-coast": {{4.23, 43.46}, {3.9, 43.52}, {3.6, 43.35}, {3.25, 43.22}, {3.05, 43.05}, {3.02, 42.75}, {3.17, 42.43}},
	"occ-spain": {{3.17, 42.43}, {2.7, 42.35}, {2.2, 42.42}, {1.72, 42.5}, {1.45, 42.6}, {1.0, 42.75}, {0.65, 42.8}, {0.25, 42.7}, {-0.3, 42.82}},
	"naq-spain": {{-0.3, 42.82}, {-0.75, 42.95}, {-1.35, 43.05}, {-1.47, 43.25}, {-1.78, 43.37}},
	"naq-coast": {{-1.78, 43.37}, {-1.5, 43.55}, {-1.3, 44.2}, {-1.25, 44.65}, {-1.2, 45.2}, {-1.06, 45.57}, {-1.2, 45.8}, {-1.1, 46.0}, {-1.2, 46.15}, {-1.12, 46.31}},
	"pdl-coast": {{-1.12, 46.31}, {-1.55, 46.42}, {-1.85, 46.6}, {-2.15, 46.92}, {-2.05, 47.1}, {-2.25, 47.25}, {-2.55, 47.33}, {-2.45, 47.5}},
	"bre-coast": {{-2.45, 47.5}, {-2.95, 47.55}, {-3.13, 47.48}, {-3.45, 47.7}, {-3.95, 47.85}, {-4.37, 47.8}, {-4.73, 48.04},
		{-4.3, 48.12}, {-4.62, 48.28}, {-4.78, 48.38}, {-4.75, 48.55}, {-4.3, 48.67}, {-3.9, 48.73}, {-3.5, 48.84},
		{-3.0, 48.8}, {-2.75, 48.55}, {-2.3, 48.68}, {-2.0, 48.65}, {-1.5, 48.63}},
	"nor-coast": {{-1.5, 48.63}, {-1.58, 48.9}, {-1.62, 49.22}, {-1.85, 49.55}, {-1.95, 49.72}, {-1.6, 49.65}, {-1.25, 49.7},
		{-1.3, 49.45}, {-1.1, 49.36}, {-0.5, 49.34}, {-0.1, 49.3}, {0.3, 49.45}, {0.1, 49.5}, {0.2, 49.72}, {0.65, 49.86},
		{1.08, 49.93}, {1.38, 50.07}},
	// Borders between regions.
	"nor-hdf":  {{1.38, 50.07}, {1.75, 49.75}, {1.7, 49.45}, {1.72, 49.23}},
	"nor-idf":  {{1.72, 49.23}, {1.6, 49.08}, {1.48, 48.77}},
	"nor-cvl":  {{1.48, 48.77}, {1.0, 48.68}, {0.82, 48.38}},
	"nor-pdl":  {{0.82, 48.38}, {0.4, 48.48}, {-0.3, 48.55}, {-0.85, 48.5}, {-1.07, 48.52}},
	"nor-bre":  {{-1.07, 48.52}, {-1.3, 48.55}, {-1.5, 48.63}},
	"bre-pdl":  {{-1.07, 48.52}, {-1.05, 48.05}, {-1.4, 47.78}, {-2.05, 47.62}, {-2.45, 47.5}},
	"pdl-naq":  {{-1.12, 46.31}, {-0.75, 46.33}, {-0.6, 46.65}, {-0.15, 46.95}, {0.05, 47.12}},
	"pdl-cvl":  {{0.05, 47.12}, {0.22, 47.45}, {0.55, 47.72}, {0.85, 48.05}, {0.82, 48.38}},
	"cvl-naq":  {{0.05, 47.12}, {0.7, 46.97}, {1.15, 46.72}, {1.75, 46.45}, {2.28, 46.42}},
	"cvl-ara":  {{2.28, 46.42}, {2.6, 46.6}, {3.03, 46.8}},
	"cvl-bfc":  {{3.03, 46.8}, {2.95, 47.2}, {2.9, 47.55}, {3.1, 47.75}, {3.05, 48.27}},
	"cvl-idf":  {{3.05, 48.27}, {2.55, 48.13}, {1.95, 48.3}, {1.65, 48.55}, {1.48, 48.77}},
	"idf-hdf":  {{1.72, 49.23}, {2.3, 49.17}, {2.6, 49.1}, {3.05, 49.1}, {3.45, 48.9}},
	"idf-ge":   {{3.45, 48.9}, {3.5, 48.6}, {3.41, 48.37}},
	"idf-bfc":  {{3.41, 48.37}, {3.05, 48.27}},
	"hdf-ge":   {{4.2, 49.97}, {4.05, 49.65}, {4.0, 49.35}, {3.7, 49.05}, {3.45, 48.9}},
	"ge-bfc":   {{3.41, 48.37}, {3.9, 48.0}, {4.6, 47.95}, {5.35, 47.6}, {5.9, 47.9}, {6.84, 47.82}, {7.1, 47.5}},
	"bfc-ara":  {{3.03, 46.8}, {3.6, 46.55}, {4.0, 46.2}, {4.8, 46.25}, {5.45, 46.3}, {6.12, 46.4}},
	"naq-ara":  {{2.28, 46.42}, {2.45, 46.0}, {2.5, 45.6}, {2.3, 45.3}, {2.06, 44.95}},
	"naq-occ":  {{2.06, 44.95}, {1.45, 45.0}, {1.05, 44.55}, {0.75, 44.1}, {0.05, 43.9}, {-0.1, 43.4}, {-0.3, 42.82}},
	"ara-occ":  {{2.06, 44.95}, {2.55, 44.7}, {3.2, 44.9}, {3.9, 44.55}, {4.35, 44.35}, {4.65, 44.3}},
	"ara-paca": {{4.65, 44.3}, {5.3, 44.3}, {5.75, 44.65}, {6.2, 45.0}, {6.63, 45.12}},
	"occ-paca": {{4.65, 44.3}, {4.72, 43.95}, {4.55, 43.7}, {4.23, 43.46}},
}

// mainlandRegion is a region of the mainland: the arcs around it, in order ("-" walks an
// arc backwards), or an island's own outline, and where its count is written.
type mainlandRegion struct {
	Name   string
	Arcs   []string
	Island []lonLat
	Label  lonLat
}

var mainlandRegions = []mainlandRegion{
	{Name: "Hauts-de-France", Arcs: []string{"hdf-coast", "hdf-belgium", "hdf-ge", "-idf-hdf", "-nor-hdf"}, Label: lonLat{2.75, 49.95}},
	{Name: "Normandie", Arcs: []string{"nor-hdf", "nor-idf", "nor-cvl", "nor-pdl", "nor-bre", "nor-coast"}, Label: lonLat{0.1, 49.05}},
	{Name: "Bretagne", Arcs: []string{"-nor-bre", "bre-pdl", "bre-coast"}, Label: lonLat{-2.95, 48.15}},
	{Name: "Pays de la Loire", Arcs: []string{"-bre-pdl", "-nor-pdl", "-pdl-cvl", "-pdl-naq", "pdl-coast"}, Label: lonLat{-0.85, 47.45}},
	{Name: "Centre-Val de Loire", Arcs: []string{"nor-cvl", "-pdl-cvl", "cvl-naq", "cvl-ara", "cvl-bfc", "cvl-idf"}, Label: lonLat{1.65, 47.45}},
	{Name: "Île-de-France", Arcs: []string{"idf-hdf", "idf-ge", "idf-bfc", "cvl-idf", "-nor-idf"}, Label: lonLat{2.5, 48.7}},
	{Name: "Grand Est", Arcs: []string{"ge-north", "ge-rhine", "-ge-bfc", "-idf-ge", "-hdf-ge"}, Label: lonLat{5.6, 48.65}},
	{Name: "Bourgogne-Franche-Comté", Arcs: []string{"ge-bfc", "bfc-swiss", "-bfc-ara", "cvl-bfc", "-idf-bfc"}, Label: lonLat{4.7, 47.2}},
	{Name: "Nouvelle-Aquitaine", Arcs: []string{"pdl-naq", "cvl-naq", "naq-ara", "naq-occ", "naq-spain", "naq-coast"}, Label: lonLat{0.4, 45.4}},
	{Name: "Auvergne-Rhône-Alpes", Arcs: []string{"cvl-ara", "bfc-ara", "ara-border", "-ara-paca", "-ara-occ", "-naq-ara"}, Label: lonLat{4.4, 45.5}},
	{Name: "Occitanie", Arcs: []string{"ara-occ", "occ-paca", "occ-coast", "occ-spain", "-naq-occ"}, Label: lonLat{2.3, 43.75}},
	{Name: "Provence-Alpes-Côte d’Azur", Arcs: []string{"ara-paca", "paca-italy", "paca-coast", "-occ-paca"}, Label: lonLat{6.15, 43.9}},
	{Name: "Corse", Island: []lonLat{{9.35, 43.02}, {9.47, 42.75}, {9.55, 42.25}, {9.4, 41.7}, {9.22, 41.37}, {8.88, 41.5},
		{8.7, 41.78}, {8.6, 42.1}, {8.6, 42.4}, {8.8, 42.6}, {9.12, 42.72}, {9.28, 42.68}}, Label: lonLat{9.05, 42.1}},
}

// overseasRegion is an overseas region, drawn in an inset of its own: its islands (or
// its outline), in longitude and latitude.
type overseasRegion struct {
	Name  string
	Rings [][]lonLat
}

var overseasRegions = []overseasRegion{
	{Name: "Guadeloupe", Rings: [][]lonLat{
		{{-61.78, 16.33}, {-61.6, 16.35}, {-61.56, 16.2}, {-61.58, 15.98}, {-61.7, 15.95}, {-61.8, 16.1}},                      // Basse-Terre
		{{-61.53, 16.24}, {-61.55, 16.37}, {-61.46, 16.51}, {-61.38, 16.45}, {-61.3, 16.33}, {-61.18, 16.25}, {-61.38, 16.22}}, // Grande-Terre
		{{-61.33, 15.96}, {-61.25, 16.01}, {-61.18, 15.93}, {-61.27, 15.86}},                                                   // Marie-Galante
	}},
	{Name: "Martinique", Rings: [][]lonLat{
		{{-61.2, 14.88}, {-61.23, 14.8}, {-61.18, 14.72}, {-61.07, 14.62}, {-61.1, 14.53}, {-61.0, 14.45}, {-60.84, 14.4},
			{-60.82, 14.5}, {-60.88, 14.6}, {-60.82, 14.75}, {-60.93, 14.78}, {-61.05, 14.86}},
	}},
	{Name: "Guyane", Rings: [][]lonLat{
		{{-53.98, 5.75}, {-54.2, 5.0}, {-54.45, 4.0}, {-54.2, 3.2}, {-54.6, 2.3}, {-53.8, 2.1}, {-52.9, 2.2}, {-52.55, 2.55},
			{-52.2, 3.2}, {-51.65, 4.1}, {-51.8, 4.6}, {-52.3, 4.95}, {-52.95, 5.45}, {-53.6, 5.65}},
	}},
	{Name: "La Réunion", Rings: [][]lonLat{
		{{55.45, -20.88}, {55.65, -20.92}, {55.8, -21.05}, {55.84, -21.2}, {55.77, -21.36}, {55.6, -21.39}, {55.4, -21.3},
			{55.28, -21.18}, {55.22, -21.05}, {55.3, -20.93}},
	}},
	{Name: "Mayotte", Rings: [][]lonLat{
		{{45.1, -12.66}, {45.2, -12.72}, {45.2, -12.85}, {45.25, -12.95}, {45.15, -13.0}, {45.1, -12.93}, {45.05, -12.8}, {45.05, -12.7}}, // Grande-Terre
		{{45.27, -12.76}, {45.3, -12.78}, {45.28, -12.81}, {45.26, -12.79}},                                                               // Petite-Terre
	}},
}

// Insets: a row of boxes under the mainland, the region's name under each.
const (
	insetTop    = 515.0
	insetHeight = 64.0
	insetGap    = 8.0
	insetMargin = 8.0
	insetPad    = 6.0
)

// regionShape is a region as the map draws it, in viewBox units.
type regionShape struct {
	Name           string
	D              string  // the SVG path
	LabelX, LabelY float64 // where its count is written
	// Box is the frame of an overseas region's inset, with its name under the shape;
	// zero for the mainland.
	Box          [4]float64 // x, y, width, height
	NameX, NameY float64
}

// Overseas reports whether the region is drawn in an inset.
func (r regionShape) Overseas() bool { return r.Box[2] > 0 }

// franceShapes are the 18 regions, mainland first, computed once.
var franceShapes = buildFranceShapes()

func buildFranceShapes() []regionShape {
	project := func(p lonLat) (float64, float64) {
		return (p[0] - mapWest) * mapCosLat * mapScale, (mapNorth - p[1]) * mapScale
	}
	var out []regionShape
	for _, r := range mainlandRegions {
		ring := r.Island
		if ring == nil {
			ring = joinArcs(r.Name, r.Arcs)
		}
		var b strings.Builder
		writeRing(&b, ring, project)
		x, y := project(r.Label)
		out = append(out, regionShape{Name: r.Name, D: b.String(), LabelX: x, LabelY: y})
	}
	width := (mapWidth - 2*insetMargin - float64(len(overseasRegions)-1)*insetGap) / float64(len(overseasRegions))
	for i, r := range overseasRegions {
		box := [4]float64{insetMargin + float64(i)*(width+insetGap), insetTop, width, insetHeight}
		// The shape fits the box above the name's line, centred, at its own scale.
		minLon, maxLon, minLat, maxLat := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
		for _, ring := range r.Rings {
			for _, p := range ring {
				minLon, maxLon = min(minLon, p[0]), max(maxLon, p[0])
				minLat, maxLat = min(minLat, p[1]), max(maxLat, p[1])
			}
		}
		cos := math.Cos((minLat + maxLat) / 2 * math.Pi / 180)
		fitW, fitH := box[2]-2*insetPad, box[3]-2*insetPad
		scale := min(fitW/((maxLon-minLon)*cos), fitH/(maxLat-minLat))
		offX := box[0] + insetPad + (fitW-(maxLon-minLon)*cos*scale)/2
		offY := box[1] + insetPad + (fitH-(maxLat-minLat)*scale)/2
		project := func(p lonLat) (float64, float64) {
			return offX + (p[0]-minLon)*cos*scale, offY + (maxLat-p[1])*scale
		}
		var b strings.Builder
		for _, ring := range r.Rings {
			writeRing(&b, ring, project)
		}
		out = append(out, regionShape{Name: r.Name, D: b.String(), Box: box,
			LabelX: box[0] + box[2]/2, LabelY: box[1] + box[3]/2,
			NameX: box[0] + box[2]/2, NameY: box[1] + box[3] + 15})
	}
	return out
}

// joinArcs chains a region's arcs into one ring; a border that does not close is a
// mistake in the data above, caught when the package loads.
func joinArcs(region string, arcs []string) []lonLat {
	var ring []lonLat
	for _, name := range arcs {
		arc, ok := mapArcs[strings.TrimPrefix(name, "-")]
		if !ok {
			panic(fmt.Sprintf("pages: map of %s: no arc %q", region, name))
		}
		arc = append([]lonLat(nil), arc...)
		if strings.HasPrefix(name, "-") {
			for i, j := 0, len(arc)-1; i < j; i, j = i+1, j-1 {
				arc[i], arc[j] = arc[j], arc[i]
			}
		}
		if len(ring) > 0 {
			if ring[len(ring)-1] != arc[0] {
				panic(fmt.Sprintf("pages: map of %s: arc %q does not start where the previous one ends", region, name))
			}
			arc = arc[1:]
		}
		ring = append(ring, arc...)
	}
	if ring[0] != ring[len(ring)-1] {
		panic(fmt.Sprintf("pages: map of %s: the border does not close", region))
	}
	return ring[:len(ring)-1]
}

// writeRing writes a closed SVG subpath, to one decimal.
func writeRing(b *strings.Builder, ring []lonLat, project func(lonLat) (float64, float64)) {
	for i, p := range ring {
		x, y := project(p)
		if i == 0 {
			b.WriteString("M")
		} else {
			b.WriteString("L")
		}
		b.WriteString(strconv.FormatFloat(x, 'f', 1, 64) + " " + strconv.FormatFloat(y, 'f', 1, 64))
	}
	b.WriteString("Z")
}

// mapShade is the fill class of a region with n tiers-lieux: a few shades, from none to
// ten or more (mapLegend says which).
func mapShade(n int) string {
	switch {
	case n <= 0:
		return "shade-0"
	case n == 1:
		return "shade-1"
	case n <= 4:
		return "shade-2"
	case n <= 9:
		return "shade-3"
	}
	return "shade-4"
}

// mapLegend are the shades in order, each with the French words of its counts.
var mapLegend = []struct{ Class, Label string }{
	{"shade-0", "aucun"},
	{"shade-1", "1"},
	{"shade-2", "2 à 4"},
	{"shade-3", "5 à 9"},
	{"shade-4", "10 et plus"},
}

// mapRegion is a region of the map with its count.
type mapRegion struct {
	regionShape
	Count    int
	Selected bool // the list is filtered on it
}

// mapRegions returns the regions with their counts, the selected one last so that its
// outline is drawn over its neighbours'.
func mapRegions(counts map[string]int, selected string) []mapRegion {
	out := make([]mapRegion, 0, len(franceShapes))
	var last *mapRegion
	for _, s := range franceShapes {
		r := mapRegion{regionShape: s, Count: counts[s.Name], Selected: s.Name == selected}
		if r.Selected {
			last = &r
			continue
		}
		out = append(out, r)
	}
	if last != nil {
		out = append(out, *last)
	}
	return out
}

// regionTable is the map's alternative: every region in the order of fabrique.Regions.
func regionTable(counts map[string]int) []mapRegion {
	out := make([]mapRegion, len(fabrique.Regions))
	for i, name := range fabrique.Regions {
		out[i] = mapRegion{regionShape: regionShape{Name: name}, Count: counts[name]}
	}
	return out
}

// regionListHref is the list of the tiers-lieux of a region.
func regionListHref(region string) templ.SafeURL {
	return templ.SafeURL("/tiers-lieux?region=" + url.QueryEscape(region))
}

// coord writes a viewBox coordinate.
func coord(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// currentPage marks the link to the page shown (the region the list is filtered on).
func currentPage(current bool) templ.Attributes {
	if current {
		return templ.Attributes{"aria-current": "page"}
	}
	return nil
}
