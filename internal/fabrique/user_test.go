package fabrique_test

import (
	"strings"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// checkFields fails the test unless err is EINVALID with exactly the fields in want,
// or nil when want is empty.
func checkFields(tb testing.TB, err error, want ...string) {
	tb.Helper()
	if len(want) == 0 {
		if err != nil {
			tb.Errorf("got error %v, want nil", err)
		}
		return
	}
	if code := fabrique.ErrorCode(err); code != fabrique.EINVALID {
		tb.Fatalf("got code %q (%v), want %q", code, err, fabrique.EINVALID)
	}
	fields := fabrique.ErrorFields(err)
	for _, f := range want {
		if fields[f] == "" {
			tb.Errorf("field %q: got no message, want one (fields %v)", f, fields)
		}
	}
	if len(fields) != len(want) {
		tb.Errorf("got fields %v, want exactly %v", fields, want)
	}
}

func TestSignUpValidate(t *testing.T) {
	t.Parallel()
	valid := fabrique.SignUp{DisplayName: "Alice Martin", Email: "alice@example.org", Password: "motdepasse-solide"}
	tests := []struct {
		name   string
		edit   func(s *fabrique.SignUp)
		fields []string
	}{
		{"valid", func(s *fabrique.SignUp) {}, nil},
		{"empty form", func(s *fabrique.SignUp) { *s = fabrique.SignUp{} }, []string{"display_name", "email", "password"}},
		{"no name", func(s *fabrique.SignUp) { s.DisplayName = "" }, []string{"display_name"}},
		{"name of 80 accented letters", func(s *fabrique.SignUp) { s.DisplayName = strings.Repeat("é", 80) }, nil},
		{"name of 81 letters", func(s *fabrique.SignUp) { s.DisplayName = strings.Repeat("é", 81) }, []string{"display_name"}},
		{"no email", func(s *fabrique.SignUp) { s.Email = "" }, []string{"email"}},
		{"bad email", func(s *fabrique.SignUp) { s.Email = "alice" }, []string{"email"}},
		{"short password", func(s *fabrique.SignUp) { s.Password = "123456789" }, []string{"password"}},
		{"password of 10 accented letters", func(s *fabrique.SignUp) { s.Password = strings.Repeat("é", 10) }, nil},
		{"password of 9 accented letters, 18 bytes", func(s *fabrique.SignUp) { s.Password = strings.Repeat("é", 9) }, []string{"password"}},
		{"password of 256 bytes", func(s *fabrique.SignUp) { s.Password = strings.Repeat("a", 256) }, nil},
		{"password of 257 bytes", func(s *fabrique.SignUp) { s.Password = strings.Repeat("a", 257) }, []string{"password"}},
		{"name and password", func(s *fabrique.SignUp) { s.DisplayName, s.Password = "", "court" }, []string{"display_name", "password"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := valid
			tt.edit(&s)
			checkFields(t, s.Validate(), tt.fields...)
		})
	}
}

func TestSignUpNormalize(t *testing.T) {
	t.Parallel()
	s := fabrique.SignUp{DisplayName: "  Alice \t Martin ", Email: " alice@example.org\n", Password: " espace "}
	s.Normalize()
	want := fabrique.SignUp{DisplayName: "Alice Martin", Email: "alice@example.org", Password: " espace "}
	if s != want {
		t.Errorf("got %+v, want %+v", s, want)
	}
}

func TestValidateEmail(t *testing.T) {
	t.Parallel()
	tests := []struct {
		email string
		valid bool
	}{
		{"alice@example.org", true},
		{"alice.martin+fabrique@tiers-lieux.fr", true},
		{"élodie@exemple.fr", true},
		{"a@b.co", true},
		{strings.Repeat("a", 64) + "@" + strings.Repeat("b", 180) + ".fr", true},  // 248 bytes
		{strings.Repeat("a", 64) + "@" + strings.Repeat("b", 187) + ".fr", false}, // 255 bytes
		{"", false},
		{"alice", false},
		{"alice@", false},
		{"@example.org", false},
		{"alice@localhost", false},
		{"alice@example.", false},
		{"alice@@example.org", false},
		{"alice @example.org", false},
		{" alice@example.org", false},
		{"Alice <alice@example.org>", false},
		{"alice@example.org, bob@example.org", false},
		{"alice@exa mple.org", false},
	}
	for _, tt := range tests {
		got := fabrique.ValidateEmail(tt.email)
		if (got == "") != tt.valid {
			t.Errorf("ValidateEmail(%q): got %q, want valid=%v", tt.email, got, tt.valid)
		}
	}
}

func TestValidRole(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		role string
		want bool
	}{
		{fabrique.RoleContributor, true},
		{fabrique.RoleCoordinator, true},
		{"admin", false},
		{"", false},
	} {
		if got := fabrique.ValidRole(tt.role); got != tt.want {
			t.Errorf("ValidRole(%q): got %v, want %v", tt.role, got, tt.want)
		}
	}
}

func TestUserIsCoordinator(t *testing.T) {
	t.Parallel()
	var anonymous *fabrique.User
	for _, tt := range []struct {
		name string
		u    *fabrique.User
		want bool
	}{
		{"anonymous", anonymous, false},
		{"contributor", &fabrique.User{Role: fabrique.RoleContributor}, false},
		{"coordinator", &fabrique.User{Role: fabrique.RoleCoordinator}, true},
	} {
		if got := tt.u.IsCoordinator(); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestCheckCoordinator walks every role × task only the coordination does: a coordinator
// may, anyone else gets the EFORBIDDEN refusal naming the task.
func TestCheckCoordinator(t *testing.T) {
	t.Parallel()
	for _, refusal := range []*fabrique.Error{
		fabrique.ErrCallLaunchCoordinationOnly, fabrique.ErrCallComposeCoordinationOnly,
		fabrique.ErrCallCloseCoordinationOnly, fabrique.ErrSeedFundCoordinationOnly,
		fabrique.ErrSeedDecisionCoordinationOnly, fabrique.ErrPlaceVerifyCoordinationOnly,
	} {
		if refusal.Code != fabrique.EFORBIDDEN || refusal.Message == "" {
			t.Errorf("%v: got code %q, want %q with a sentence", refusal, refusal.Code, fabrique.EFORBIDDEN)
		}
		for _, tt := range []struct {
			name string
			u    *fabrique.User
			may  bool
		}{
			{"visitor", nil, false},
			{"contributor", &fabrique.User{ID: 7, Role: fabrique.RoleContributor}, false},
			{"coordinator", &fabrique.User{ID: 9, Role: fabrique.RoleCoordinator}, true},
		} {
			var want error = refusal
			if tt.may {
				want = nil
			}
			if got := fabrique.CheckCoordinator(tt.u, refusal); got != want {
				t.Errorf("%s, %q: got %v, want %v", tt.name, refusal.Message, got, want)
			}
		}
	}
}
