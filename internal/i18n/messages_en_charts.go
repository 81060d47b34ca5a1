package i18n

func init() { register(chartsEnglish) }

// chartsEnglish covers the charts drawn on the server (web/components/chart.templ and
// their callers).
var chartsEnglish = map[string]string{
	"Jours payés par mois en %d": "Days paid per month in %d",
	"Le fonds, ce qui en est accordé aux défis, ce qui reste : %s, %s, %s.": "The fund, what was granted from it to challenges, what is left: %s, %s, %s.",
	"Le nombre de jours de travail payés chaque mois de %d.":                "The number of work days paid each month of %d.",
}
