package i18n

func init() { register(unreadEnglish) }

// unreadEnglish covers the unread count of the header and the notification centre's pages.
var unreadEnglish = map[string]string{
	"Notifications non lues": "Unread notifications",
}
