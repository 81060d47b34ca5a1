package csvexport_test

import (
	"encoding/csv"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/csvexport"
)

func TestNeutralise(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Marc Auteur", "Marc Auteur"},
		{"VIR 2026-04", "VIR 2026-04"},
		{"a=1+1", "a=1+1"},
		{"'déjà", "'déjà"},
		{"=1+1", "'=1+1"},
		{`=HYPERLINK("http://evil.example";"x")`, `'=HYPERLINK("http://evil.example";"x")`},
		{"+33 6 12", "'+33 6 12"},
		{"-2+3", "'-2+3"},
		{"-12,50", "'-12,50"}, // typed by someone: text, not the platform's number
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"\n=1", "'\n=1"},
		{"  =1", "'  =1"},
		{"\u00a0=1", "'\u00a0=1"},
		{"\uff1d1+1", "'\uff1d1+1"},
		{"   ", "   "},
	}
	for _, tt := range tests {
		if got := csvexport.Neutralise(tt.in); got != tt.want {
			t.Errorf("Neutralise(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWriter(t *testing.T) {
	day := time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC)
	row := []csvexport.Cell{
		csvexport.Text("=1+1"), csvexport.Text("Léa; \"la\" porteuse"), csvexport.Amount(-1250), csvexport.Amount(5),
		csvexport.Amount(-5), csvexport.Amount(123456), csvexport.Amount(0), csvexport.Int(-42), csvexport.Int(7),
		csvexport.Decimal(125, 2), csvexport.Decimal(200, 2), csvexport.Decimal(-50, 2), csvexport.Date(day), csvexport.Date(time.Time{}),
		csvexport.Amount(math.MinInt64),
	}
	for _, tt := range []struct {
		name string
		f    csvexport.Format
		want string
	}{
		{"french", csvexport.Format{CRLF: true},
			"\ufeffa;b\r\n'=1+1;\"Léa; \"\"la\"\" porteuse\";-12,50;0,05;-0,05;1234,56;0,00;-42;7;1,25;2;-0,5;02/04/2026;;-92233720368547758,08\r\n"},
		{"points", csvexport.Format{Comma: ',', DecimalPoint: true, DateLayout: time.DateOnly},
			"\ufeffa,b\n'=1+1,\"Léa; \"\"la\"\" porteuse\",-12.50,0.05,-0.05,1234.56,0.00,-42,7,1.25,2,-0.5,2026-04-02,,-92233720368547758.08\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			w := csvexport.NewWriter(&b, tt.f)
			w.Header("a", "b")
			w.Row(row...)
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("got\n%q\nwant\n%q", b.String(), tt.want)
			}
			// A spreadsheet reading it back gets the numbers as written.
			cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), "\ufeff")))
			cr.Comma, cr.FieldsPerRecord = ';', -1
			if tt.f.Comma != 0 {
				cr.Comma = tt.f.Comma
			}
			if _, err := cr.ReadAll(); err != nil {
				t.Errorf("read back: %v", err)
			}
		})
	}
}
