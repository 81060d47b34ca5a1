package fabrique_test

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// invalidFields returns the sorted names of the fields err complains about.
func invalidFields(err error) []string {
	var out []string
	for f := range fabrique.ErrorFields(err) {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

func TestNewPlaceValidate(t *testing.T) {
	t.Parallel()
	valid := fabrique.NewPlace{Name: "La Grange Partagée", City: "Aubusson", Region: "Nouvelle-Aquitaine", Website: "https://grange.example"}
	tests := []struct {
		name   string
		edit   func(p *fabrique.NewPlace)
		fields []string
	}{
		{"valid", func(p *fabrique.NewPlace) {}, nil},
		{"no website", func(p *fabrique.NewPlace) { p.Website = "" }, nil},
		{"http website", func(p *fabrique.NewPlace) { p.Website = "http://grange.example/lieu?x=1" }, nil},
		{"empty form", func(p *fabrique.NewPlace) { *p = fabrique.NewPlace{} }, []string{"city", "name", "region"}},
		{"name of 121 letters", func(p *fabrique.NewPlace) { p.Name = strings.Repeat("é", 121) }, []string{"name"}},
		{"name of 120 letters", func(p *fabrique.NewPlace) { p.Name = strings.Repeat("é", 120) }, nil},
		{"name without letter", func(p *fabrique.NewPlace) { p.Name = "!!!" }, []string{"name"}},
		{"unknown region", func(p *fabrique.NewPlace) { p.Region = "Atlantide" }, []string{"region"}},
		{"javascript website", func(p *fabrique.NewPlace) { p.Website = "javascript:alert(1)" }, []string{"website"}},
		{"data website", func(p *fabrique.NewPlace) { p.Website = "data:text/html,<script>" }, []string{"website"}},
		{"website without scheme", func(p *fabrique.NewPlace) { p.Website = "grange.example" }, []string{"website"}},
		{"ftp website", func(p *fabrique.NewPlace) { p.Website = "ftp://grange.example" }, []string{"website"}},
		{"website without host", func(p *fabrique.NewPlace) { p.Website = "https://" }, []string{"website"}},
		{"website with credentials", func(p *fabrique.NewPlace) { p.Website = "https://a:b@grange.example" }, []string{"website"}},
		{"website with a space", func(p *fabrique.NewPlace) { p.Website = "https://grange.example/a b" }, []string{"website"}},
		{"website too long", func(p *fabrique.NewPlace) { p.Website = "https://grange.example/" + strings.Repeat("a", 500) }, []string{"website"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := valid
			tt.edit(&p)
			p.Normalize()
			err := p.Validate()
			if got := invalidFields(err); !slices.Equal(got, tt.fields) {
				t.Errorf("invalid fields: got %v, want %v (%v)", got, tt.fields, err)
			}
			if tt.fields == nil && err != nil {
				t.Errorf("got %v, want nil", err)
			}
		})
	}
}

func TestNewPlaceNormalize(t *testing.T) {
	t.Parallel()
	p := fabrique.NewPlace{Name: "  La   Grange\tPartagée ", City: " Aubusson ", Region: " Bretagne ", Website: " https://x.example "}
	p.Normalize()
	want := fabrique.NewPlace{Name: "La Grange Partagée", City: "Aubusson", Region: "Bretagne", Website: "https://x.example"}
	if p != want {
		t.Errorf("got %+v, want %+v", p, want)
	}
}

func TestCommonsFormValidate(t *testing.T) {
	t.Parallel()
	valid := fabrique.CommonsForm{Name: "Dokos", Kind: "logiciel", Summary: "Un ERP pour les tiers-lieux.",
		Licence: "GPL-3.0", Website: "https://dokos.io", SourceURL: "https://gitlab.com/dokos/dokos", MovilabURL: "https://movilab.org/wiki/Dokos"}
	tests := []struct {
		name   string
		edit   func(f *fabrique.CommonsForm)
		fields []string
	}{
		{"valid", func(f *fabrique.CommonsForm) {}, nil},
		{"no links nor licence", func(f *fabrique.CommonsForm) { f.Website, f.SourceURL, f.MovilabURL, f.Licence = "", "", "", "" }, nil},
		{"empty form", func(f *fabrique.CommonsForm) { *f = fabrique.CommonsForm{} }, []string{"kind", "name", "summary"}},
		{"unknown kind", func(f *fabrique.CommonsForm) { f.Kind = "Logiciel" }, []string{"kind"}},
		{"every kind", func(f *fabrique.CommonsForm) { f.Kind = "materiel" }, nil},
		{"summary too long", func(f *fabrique.CommonsForm) { f.Summary = strings.Repeat("a", 501) }, []string{"summary"}},
		{"description too long", func(f *fabrique.CommonsForm) { f.Description = strings.Repeat("a", 20001) }, []string{"description"}},
		{"licence too long", func(f *fabrique.CommonsForm) { f.Licence = strings.Repeat("a", 101) }, []string{"licence"}},
		{"bad links", func(f *fabrique.CommonsForm) {
			f.Website, f.SourceURL, f.MovilabURL = "dokos.io", "javascript:x", "//movilab.org"
		},
			[]string{"movilab_url", "source_url", "website"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := valid
			tt.edit(&f)
			f.Normalize()
			if got := invalidFields(f.Validate()); !slices.Equal(got, tt.fields) {
				t.Errorf("invalid fields: got %v, want %v", got, tt.fields)
			}
		})
	}
}

func TestCommonsLabels(t *testing.T) {
	t.Parallel()
	want := map[string]string{"logiciel": "Logiciel", "methode": "Méthode", "documentation": "Documentation",
		"donnees": "Données", "materiel": "Matériel", "autre": "Autre"}
	if len(fabrique.CommonsKinds) != len(want) {
		t.Errorf("kinds: got %v, want the %d of the schema", fabrique.CommonsKinds, len(want))
	}
	for _, k := range fabrique.CommonsKinds {
		if got := fabrique.CommonsKindLabel(k); got != want[k] {
			t.Errorf("CommonsKindLabel(%q): got %q, want %q", k, got, want[k])
		}
		if !fabrique.ValidCommonsKind(k) {
			t.Errorf("ValidCommonsKind(%q): got false, want true", k)
		}
	}
	if fabrique.ValidCommonsKind("") || fabrique.ValidCommonsKind("Logiciel") {
		t.Error("ValidCommonsKind accepts an unknown kind")
	}
	if got := fabrique.RelationLabel(fabrique.RelationOrigin); got != "Commun issu du défi" {
		t.Errorf("origin label: got %q", got)
	}
	if got := fabrique.RelationLabel(fabrique.RelationSolution); got != "Solution existante" {
		t.Errorf("solution label: got %q", got)
	}
}

func TestPlacePledgeMatchable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind             string
		verified, member bool
		want             bool
	}{
		{"tiers-lieu", true, true, true},
		{"tiers-lieu", true, false, false},  // a stranger pledging in a verified place's name
		{"tiers-lieu", false, true, false},  // a member of a place nobody verified
		{"tiers-lieu", false, false, false}, // both
		{"collectivite", false, false, true},
		{"fondation", false, false, true},
		{"entreprise", false, false, true},
		{"particulier", false, false, true},
	}
	for _, tt := range tests {
		if got := fabrique.PlacePledgeMatchable(tt.kind, tt.verified, tt.member); got != tt.want {
			t.Errorf("PlacePledgeMatchable(%q, verified %v, member %v) = %v, want %v", tt.kind, tt.verified, tt.member, got, tt.want)
		}
	}
}

func TestMatchSkipsUnmatchablePledges(t *testing.T) {
	t.Parallel()
	rule := fabrique.MatchRule{Percent: 100, Kinds: []string{"tiers-lieu"}, Pool: 1_000_00}
	pledges := []fabrique.MatchPledge{
		{CommonsID: 1, StepID: 1, Kind: "tiers-lieu", Amount: 100_00, State: fabrique.PledgeConfirmed},
		{CommonsID: 1, StepID: 1, Kind: "tiers-lieu", Amount: 300_00, State: fabrique.PledgeConfirmed, Unmatchable: true},
	}
	if got := fabrique.Match(rule, pledges, true).Total; got != 100_00 {
		t.Errorf("Match total = %d, want %d (the unmatchable pledge left out)", got, 100_00)
	}
}

// TestCheckPlaceDecision walks every role × request state × accept or refuse: members of
// the place and coordinators decide; deciding again what was decided is a no-op, the
// contrary decision a conflict.
func TestCheckPlaceDecision(t *testing.T) {
	t.Parallel()
	roles := []struct {
		name   string
		u      *fabrique.User
		member bool
	}{
		{"visitor", nil, false},
		{"contributor outside the place", &fabrique.User{ID: 7, Role: fabrique.RoleContributor}, false},
		{"member of the place", &fabrique.User{ID: 1, Role: fabrique.RoleContributor}, true},
		{"coordinator", &fabrique.User{ID: 9, Role: fabrique.RoleCoordinator}, false},
		{"coordinator and member", &fabrique.User{ID: 9, Role: fabrique.RoleCoordinator}, true},
	}
	type answer struct {
		code    string
		already bool
	}
	// For those who may decide, by state then accept (true) / refuse (false).
	deciders := map[string]map[bool]answer{
		"":                            {true: {fabrique.ENOTFOUND, false}, false: {fabrique.ENOTFOUND, false}},
		fabrique.PlaceRequestPending:  {true: {"", false}, false: {"", false}},
		fabrique.PlaceRequestAccepted: {true: {"", true}, false: {fabrique.ECONFLICT, false}},
		fabrique.PlaceRequestRefused:  {true: {fabrique.ECONFLICT, false}, false: {"", true}},
	}
	for _, r := range roles {
		for state, byAccept := range deciders {
			for accept, want := range byAccept {
				if !r.member && !r.u.IsCoordinator() {
					want = answer{fabrique.EFORBIDDEN, false}
				}
				already, err := fabrique.CheckPlaceDecision(r.u, accept, fabrique.PlaceRequestFacts{Member: r.member, State: state})
				if got := (answer{fabrique.ErrorCode(err), already}); got != want {
					t.Errorf("%s, state %q, accept %v: got %+v (%v), want %+v", r.name, state, accept, got, err, want)
				}
				if err != nil && fabrique.ErrorMessage(err) == "" {
					t.Errorf("%s, state %q: refused without a sentence", r.name, state)
				}
			}
		}
	}
}
