package mailtest_test

import (
	"strings"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/mailtest"
)

// TestParseNestedBase64: the parts are found inside nested multiparts and decoded from
// base64 and quoted-printable, the subject from RFC 2047, line ends made "\n".
func TestParseNestedBase64(t *testing.T) {
	t.Parallel()
	raw := strings.ReplaceAll(`From: a@example.org
To: b@example.org
Subject: =?utf-8?q?D=C3=A9fi_=C2=AB_R=C3=A9emploi_=C2=BB?=
Message-ID: <x@example.org>
Content-Type: multipart/mixed; boundary="out"

--out
Content-Type: multipart/alternative; boundary="in"

--in
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

RMOpZmkgcHLDqnQK
--in
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<p>D=C3=A9fi <a href=3D"https://x.example/a?b=3D1&amp;c=3D2">pr=C3=AAt</a></p>
--in--
--out--
`, "\n", "\r\n")
	got, err := mailtest.Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if got.Subject != "Défi « Réemploi »" {
		t.Errorf("subject %q", got.Subject)
	}
	if got.Text != "Défi prêt\n" {
		t.Errorf("text %q", got.Text)
	}
	if got.HTML != `<p>Défi <a href="https://x.example/a?b=1&amp;c=2">prêt</a></p>` {
		t.Errorf("html %q", got.HTML)
	}
	if l := got.Links(); len(l) != 1 || l[0] != "https://x.example/a?b=1&c=2" {
		t.Errorf("links %q", l)
	}
	if _, err := mailtest.Parse([]byte("no header\r\n")); err == nil {
		t.Error("parsed a message without headers")
	}
}
