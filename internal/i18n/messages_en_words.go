package i18n

func init() { register(wordsEnglish) }

// wordsEnglish covers the sentences written for issue 12's words: English pages without
// French spacing, French content marked as such.
var wordsEnglish = map[string]string{
	"%s :":       "%s:",
	"porteur·se": "lead",
}
