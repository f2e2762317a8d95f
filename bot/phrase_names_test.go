package bot

// kindName names a command's kind in the phrasing table.
func kindName(c Command) string {
	switch c.Kind {
	case KindNone:
		return "none"
	case KindUnknown:
		return "unknown"
	case KindCheckIn:
		return "checkin"
	case KindReport:
		return "report"
	case KindStatus:
		return "status"
	case KindHelp:
		return "help"
	case KindLeave:
		return "leave"
	case KindReturn:
		return "return"
	case KindAck:
		return "ack"
	case KindRoster:
		return "roster"
	case KindAsk:
		return "ask:" + c.Arg
	}
	return "other"
}

// recordNote is the note column of the phrasing table: the plan of a
// check-in, the argument of the other kinds.
func recordNote(c Command) string {
	if c.Kind == KindCheckIn {
		return c.Plan
	}
	if c.Kind == KindAsk {
		return ""
	}
	return c.Arg
}
