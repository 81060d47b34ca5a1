package i18n

// Conflicts exposes to the tests the keys two files translate differently.
func Conflicts() []string { return conflicts }
