package audit

// Actions of the second factor and login hardening.
const (
	MFAEnrolStarted  = "mfa.enrol_started"
	MFAEnabled       = "mfa.enabled"
	MFARemoved       = "mfa.removed"
	MFAFailed        = "mfa.failed"
	MFAReplay        = "mfa.replay"
	MFARecoveryUsed  = "mfa.recovery_used"
	SessionsRevoked  = "user.sessions_revoked"
	LoginIPThrottled = "login.ip_throttled"
	ReauthFailed     = "reauth.failed"
)
