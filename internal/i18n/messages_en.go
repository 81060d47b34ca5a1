package i18n

var english = map[string]string{}
