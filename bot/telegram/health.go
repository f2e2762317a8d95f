package telegram

import "context"

// observe reports one Bot API call's outcome to Options.OnCall. A call cut
// short by ctx (shutting down) is not reported.
func (a *Adapter) observe(ctx context.Context, method string, err error) {
	if a.opts.OnCall == nil || (err != nil && ctx.Err() != nil) {
		return
	}
	if err != nil {
		err = a.redact(err)
	}
	a.opts.OnCall(method, err)
}
