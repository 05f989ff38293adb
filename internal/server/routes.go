package server

import (
	"net/http"

	"termtem/internal/account"
	"termtem/internal/errs"
	"termtem/internal/httpx"
)

// Route is one entry of the route table.
type Route struct {
	Method  string
	Pattern string
	Handler http.Handler
}

type hf = http.HandlerFunc

// routes lists every route Termtem serves. The OpenAPI test reads the
// /api/v1 entries of this table.
func (s *Server) routes() []Route {
	w, a := s.web, s.api
	rs := []Route{
		{"GET", "/healthz", hf(s.healthz)},
		{"GET", "/readyz", hf(s.readyz)},
		{"GET", "/static/", w.Static()},
		{"GET", "/sw.js", hf(w.ServiceWorker)},
		{"GET", "/offline", hf(w.Offline)},
		{"GET", "/visits", hf(w.VisitsShow)},
		{"POST", "/visits", hf(w.VisitsPrepare)},
		{"GET", "/visits/offline", hf(w.VisitsOffline)},
		{"GET", "/visits/kits/{id}/key", hf(w.KitKey)},
		{"GET", "/visits/kits/{id}/data", hf(w.KitData)},
		{"POST", "/visits/kits/{id}/sync", hf(w.KitSync)},
		{"POST", "/visits/kits/{id}/revoke", hf(w.KitRevoke)},
		{"GET", "/visits/conflicts", hf(w.ConflictsList)},
		{"GET", "/visits/conflicts/{id}", hf(w.ConflictShow)},
		{"POST", "/visits/conflicts/{id}", hf(w.ConflictResolve)},

		{"GET", "/{$}", hf(w.Home)},
		{"GET", "/login", hf(w.LoginShow)},
		{"POST", "/login", hf(w.LoginSubmit)},
		{"GET", "/login/mfa", hf(w.LoginMFAShow)},
		{"POST", "/login/mfa", hf(w.LoginMFASubmit)},
		{"POST", "/logout", hf(w.Logout)},
		{"POST", "/lang", hf(w.LangSwitch)},

		{"GET", "/places", hf(w.PlacesList)},
		{"GET", "/places/new", hf(w.PlaceNew)},
		{"POST", "/places", hf(w.PlaceSave)},
		{"GET", "/places/{id}", hf(w.PlacesShow)},
		{"GET", "/places/{id}/edit", hf(w.PlaceEdit)},
		{"POST", "/places/{id}", hf(w.PlaceSave)},

		{"GET", "/organisations", hf(w.OrganisationsList)},
		{"GET", "/organisations/new", hf(w.OrganisationNew)},
		{"POST", "/organisations", hf(w.OrganisationSave)},
		{"GET", "/organisations/{id}/edit", hf(w.OrganisationEdit)},
		{"POST", "/organisations/{id}", hf(w.OrganisationSave)},

		{"GET", "/users", hf(w.UsersList)},
		{"GET", "/users/new", hf(w.UserNew)},
		{"POST", "/users", hf(w.UserSave)},
		{"GET", "/users/{id}/edit", hf(w.UserEdit)},
		{"POST", "/users/{id}", hf(w.UserSave)},
		{"GET", "/service-accounts", hf(w.ServiceAccountsList)},
		{"GET", "/service-accounts/new", hf(w.ServiceAccountNew)},
		{"POST", "/service-accounts", hf(w.ServiceAccountCreate)},
		{"GET", "/service-accounts/{id}", hf(w.ServiceAccountShow)},
		{"POST", "/service-accounts/{id}/tokens", hf(w.ServiceTokenIssue)},
		{"POST", "/service-accounts/{id}/tokens/{token_id}/rotate", hf(w.ServiceTokenRotate)},
		{"GET", "/service-accounts/{id}/tokens/{token_id}/revoke", hf(w.ServiceTokenRevokeConfirm)},
		{"POST", "/service-accounts/{id}/tokens/{token_id}/revoke", hf(w.ServiceTokenRevoke)},
		{"GET", "/service-accounts/{id}/disable", hf(w.ServiceAccountDisableConfirm)},
		{"POST", "/service-accounts/{id}/disable", hf(w.ServiceAccountDisable)},

		{"GET", "/roles", hf(w.RolesList)},

		{"GET", "/people", hf(w.PeopleSearchForm)},
		{"POST", "/people/search", hf(w.PeopleSearch)},
		{"GET", "/people/new", hf(w.PersonNew)},
		{"POST", "/people", hf(w.PersonSave)},
		{"GET", "/people/{id}", hf(w.PersonShow)},
		{"GET", "/people/{id}/edit", hf(w.PersonEdit)},
		{"POST", "/people/{id}", hf(w.PersonSave)},
		{"POST", "/people/{id}/pregnancies", hf(w.PregnancyCreate)},
		{"POST", "/people/{id}/pregnancies/{pregnancy}/birth", hf(w.PregnancyBirth)},
		{"GET", "/people/{id}/records/new", hf(w.RecordNew)},
		{"POST", "/people/{id}/records", hf(w.RecordSave)},
		{"GET", "/people/{id}/assess", hf(w.AssessChildForm)},
		{"POST", "/people/{id}/assess", hf(w.AssessChildSave)},
		{"GET", "/households/{id}/assess", hf(w.AssessHouseholdForm)},
		{"POST", "/households/{id}/assess", hf(w.AssessHouseholdSave)},
		{"GET", "/households/{id}/deprivation", hf(w.Deprivation)},
		{"GET", "/instruments", hf(w.InstrumentsList)},
		{"POST", "/instruments", hf(w.InstrumentPublish)},
		{"GET", "/people/{id}/break-glass", hf(w.GlassShow)},
		{"POST", "/people/{id}/break-glass", hf(w.GlassSubmit)},
		{"GET", "/people/{id}/consents", hf(w.ConsentsShow)},
		{"POST", "/people/{id}/consents", hf(w.ConsentSave)},
		{"POST", "/consents/{id}/withdraw", hf(w.ConsentWithdraw)},
		{"GET", "/consents/{id}/receipt", hf(w.ConsentReceipt)},
		{"GET", "/people/{id}/rights", hf(w.RightsShow)},
		{"GET", "/people/{id}/export", hf(w.PersonExportPage)},
		{"GET", "/people/{id}/export.json", hf(w.PersonExportJSON)},
		{"POST", "/people/{id}/rectifications", hf(w.RectificationCreate)},
		{"POST", "/rectifications/{id}/resolve", hf(w.RectificationResolve)},
		{"POST", "/people/{id}/restriction", hf(w.RestrictionSave)},
		{"POST", "/people/{id}/erase", hf(w.PersonErase)},
		{"GET", "/privacy", hf(w.PrivacyHome)},
		{"GET", "/privacy/glass", hf(w.PrivacyGlass)},
		{"GET", "/privacy/people/{id}/access", hf(w.PrivacyAccess)},
		{"GET", "/privacy/chain", hf(w.PrivacyChain)},
		{"GET", "/map", hf(w.MapShow)},
		{"GET", "/reports/committee", hf(w.ReportShow)},
		{"GET", "/reports/committee.pdf", hf(w.ReportPDF)},
		{"GET", "/dashboards", hf(w.DashboardsHome)},
		{"GET", "/dashboards/{code}", hf(w.DashboardShow)},
		{"GET", "/dashboards/{code}/names", hf(w.DashboardNames)},
		{"GET", "/dashboards/{code}/export.xlsx", hf(w.DashboardExport)},
		{"GET", "/households/new", hf(w.HouseholdNew)},
		{"POST", "/households", hf(w.HouseholdSave)},
		{"GET", "/households/{id}", hf(w.HouseholdShow)},
		{"GET", "/households/{id}/edit", hf(w.HouseholdEdit)},
		{"POST", "/households/{id}", hf(w.HouseholdSave)},
		{"GET", "/households/{id}/self-code", hf(w.SelfCodeShow)},
		{"POST", "/households/{id}/self-code", hf(w.SelfCodeCreate)},

		// The family self-assessment: public, the code is the key.
		{"GET", "/self", hf(w.SelfShow)},
		{"POST", "/self", hf(w.SelfClaim)},
		{"GET", "/self/form", hf(w.SelfFormShow)},
		{"POST", "/self/form", hf(w.SelfSubmit)},
		{"GET", "/self/result", hf(w.SelfResult)},
		{"GET", "/my-plan", hf(w.MyPlanShow)},
		{"POST", "/my-plan/{case}", hf(w.MyPlanReport)},

		{"GET", "/alerts", hf(w.AlertsList)},
		{"POST", "/alerts/{id}/acknowledge", hf(w.AlertAcknowledge)},
		{"POST", "/alerts/{id}/resolve", hf(w.AlertResolve)},

		{"GET", "/inbox", hf(w.Inbox)},
		{"GET", "/cases", hf(w.CasesList)},
		{"POST", "/cases", hf(w.CaseOpen)},
		{"GET", "/cases/{id}", hf(w.CaseShow)},
		{"GET", "/cases/{id}/family-plan", hf(w.FamilyPlan)},
		{"POST", "/cases/{id}/status", hf(w.CaseStatus)},
		{"POST", "/cases/{id}/risk", hf(w.CaseRisk)},
		{"POST", "/cases/{id}/review", hf(w.CaseReview)},
		{"POST", "/cases/{id}/self-report", hf(w.CaseSelfReport)},
		{"POST", "/cases/{id}/members", hf(w.CaseMemberAdd)},
		{"POST", "/cases/{id}/members/{member}/remove", hf(w.CaseMemberRemove)},
		{"POST", "/cases/{id}/legal", hf(w.CaseLegal)},
		{"POST", "/cases/{id}/conferences", hf(w.CaseConference)},
		{"POST", "/cases/{id}/goals", hf(w.PlanGoalAdd)},
		{"POST", "/cases/{id}/steps", hf(w.PlanStepAdd)},
		{"POST", "/cases/{id}/steps/{step}/move", hf(w.PlanStepMove)},
		{"GET", "/referrals", hf(w.ReferralsList)},
		{"GET", "/referrals/new", hf(w.ReferralNew)},
		{"POST", "/referrals", hf(w.ReferralSend)},
		{"GET", "/referrals/{id}", hf(w.ReferralShow)},
		{"POST", "/referrals/{id}/move", hf(w.ReferralMove)},
		{"GET", "/services", hf(w.ServicesList)},
		{"GET", "/services/new", hf(w.ServiceNew)},
		{"POST", "/services", hf(w.ServiceSave)},
		{"GET", "/services/hsds.json", hf(w.ServicesExport)},
		{"GET", "/services/hsds.zip", hf(w.ServicesExportTabular)},
		{"GET", "/services/import", hf(w.ServicesImportForm)},
		{"POST", "/services/import", hf(w.ServicesImport)},
		{"GET", "/services/{id}", hf(w.ServiceShow)},
		{"GET", "/services/{id}/edit", hf(w.ServiceEdit)},
		{"POST", "/services/{id}", hf(w.ServiceSave)},
		{"POST", "/services/{id}/confirm", hf(w.ServiceConfirm)},
		{"GET", "/guides", hf(w.GuidesList)},
		{"GET", "/guides/{indicator}/{level}", hf(w.GuideShow)},
		{"POST", "/guides/{indicator}/{level}", hf(w.GuideWrite)},
		{"GET", "/lessons", hf(w.LessonsList)},
		{"GET", "/lessons/new", hf(w.LessonNew)},
		{"POST", "/lessons", hf(w.LessonSave)},
		{"GET", "/meetings", hf(w.MeetingsList)},
		{"GET", "/meetings/new", hf(w.MeetingNew)},
		{"POST", "/meetings", hf(w.MeetingCreate)},
		{"GET", "/meetings/{id}", hf(w.MeetingShow)},
		{"POST", "/meetings/{id}", hf(w.MeetingSave)},
		{"POST", "/meetings/{id}/resolutions", hf(w.ResolutionAdd)},
		{"POST", "/resolutions/{id}", hf(w.ResolutionFollowUp)},
		{"GET", "/constraints", hf(w.ConstraintsList)},
		{"GET", "/constraints/new", hf(w.ConstraintNew)},
		{"POST", "/constraints", hf(w.ConstraintCreate)},
		{"GET", "/constraints/{id}", hf(w.ConstraintShow)},
		{"POST", "/constraints/{id}/answer", hf(w.ConstraintAnswer)},
		{"POST", "/constraints/{id}/escalate", hf(w.ConstraintEscalate)},
		{"GET", "/handoffs", hf(w.HandoffsList)},
		{"POST", "/handoffs/{id}/acknowledge", hf(w.HandoffAcknowledge)},

		{"GET", "/imports", hf(w.ImportsList)},
		{"POST", "/imports", hf(w.ImportUpload)},
		{"GET", "/imports/{id}", hf(w.ImportShow)},
		{"GET", "/imports/{id}/mapping", hf(w.ImportMappingForm)},
		{"POST", "/imports/{id}/start", hf(w.ImportStart)},
		{"GET", "/imports/{id}/report.csv", hf(w.ImportReport)},
		{"POST", "/imports/{id}/resume", hf(w.ImportResume)},
		{"GET", "/exports", hf(w.ExportsForm)},
		{"POST", "/exports", hf(w.ExportDownload)},
		{"GET", "/linkage", hf(w.LinkageQueue)},
		{"GET", "/linkage/pairs/{id}", hf(w.LinkagePair)},
		{"POST", "/linkage/pairs/{id}/link", hf(w.LinkagePairLink)},
		{"POST", "/linkage/pairs/{id}/separate", hf(w.LinkagePairSeparate)},
		{"POST", "/linkage/pairs/{id}/unmerge", hf(w.LinkagePairUnmerge)},

		{"GET", "/profile", hf(w.ProfileShow)},
		{"POST", "/profile/password", hf(w.ProfilePassword)},
		{"GET", "/profile/mfa", hf(w.ProfileMFA)},
		{"POST", "/profile/mfa/start", hf(w.ProfileMFAStart)},
		{"POST", "/profile/mfa/confirm", hf(w.ProfileMFAConfirm)},
		{"POST", "/profile/mfa/remove", hf(w.ProfileMFARemove)},
		{"POST", "/profile/push", hf(w.PushSubscribe)},
		{"POST", "/profile/push/unsubscribe", hf(w.PushUnsubscribe)},
		{"POST", "/profile/push/{id}/delete", hf(w.PushRevoke)},

		{"GET", "/notifications", hf(w.NotificationsList)},
		{"POST", "/notifications/read", hf(w.NotificationRead)},
		{"POST", "/notifications/{id}/read", hf(w.NotificationRead)},
		{"POST", "/notifications/{id}/open", hf(w.NotificationOpen)},
		{"GET", "/notifications/failed", hf(w.NotificationsFailed)},

		{"GET", "/api/v1/openapi.json", hf(a.OpenAPI)},
		{"GET", "/api/v1/me", hf(a.GetMe)},
		{"GET", "/api/v1/service-accounts", hf(a.ListServiceAccounts)},
		{"POST", "/api/v1/service-accounts", hf(a.CreateServiceAccount)},
		{"POST", "/api/v1/service-accounts/{id}/disable", hf(a.DisableServiceAccount)},
		{"POST", "/api/v1/service-accounts/{id}/tokens", hf(a.IssueServiceToken)},
		{"POST", "/api/v1/service-accounts/{id}/tokens/{token_id}/rotate", hf(a.RotateServiceToken)},
		{"DELETE", "/api/v1/service-accounts/{id}/tokens/{token_id}", hf(a.RevokeServiceToken)},
		{"POST", "/api/v1/bulk/people", hf(a.BulkPeople)},
		{"POST", "/api/v1/bulk/records", hf(a.BulkRecords)},
		{"GET", "/api/v1/bulk/jobs/{id}", hf(a.GetBulkJob)},
		{"GET", "/api/v1/places", hf(a.ListPlaces)},
		{"GET", "/api/v1/places/{id}", hf(a.GetPlace)},
		{"GET", "/api/v1/dashboards/{code}", hf(a.GetDashboard)},
		{"GET", "/api/v1/organisations", hf(a.ListOrganisations)},
		{"GET", "/api/v1/organisations/{id}", hf(a.GetOrganisation)},
		{"POST", "/api/v1/people", hf(a.CreatePerson)},
		{"POST", "/api/v1/people/search", hf(a.SearchPeople)},
		{"POST", "/api/v1/people/lookup", hf(a.LookupPerson)},
		{"POST", "/api/v1/people/{id}/break-glass", hf(a.BreakGlass)},
		{"GET", "/api/v1/people/{id}", hf(a.GetPerson)},
		{"PATCH", "/api/v1/people/{id}", hf(a.PatchPerson)},
		{"POST", "/api/v1/people/{id}/records", hf(a.AddRecord)},
		{"GET", "/api/v1/people/{id}/timeline", hf(a.Timeline)},
		{"POST", "/api/v1/households", hf(a.CreateHousehold)},
		{"GET", "/api/v1/households/{id}", hf(a.GetHousehold)},
		{"POST", "/api/v1/exports", hf(a.Export)},
		{"GET", "/api/v1/instruments", hf(a.ListInstruments)},
		{"POST", "/api/v1/instruments", hf(a.PublishInstrument)},
		{"GET", "/api/v1/instruments/{code}/{version}", hf(a.GetInstrument)},
		{"POST", "/api/v1/assessments", hf(a.CreateAssessment)},
		{"GET", "/api/v1/people/{id}/assessments", hf(a.PersonAssessments)},
		{"GET", "/api/v1/households/{id}/assessments", hf(a.HouseholdAssessments)},
		{"GET", "/api/v1/people/{id}/flower.svg", hf(a.PersonFlower)},
		{"GET", "/api/v1/households/{id}/flower.svg", hf(a.HouseholdFlower)},
		{"POST", "/api/v1/households/{id}/self-assessment-codes", hf(a.CreateSelfAssessmentCode)},
		{"GET", "/api/v1/alerts", hf(a.ListAlerts)},
		{"POST", "/api/v1/alerts/{id}/acknowledge", hf(a.AcknowledgeAlert)},
		{"POST", "/api/v1/alerts/{id}/resolve", hf(a.ResolveAlert)},
		{"GET", "/api/v1/cases", hf(a.ListCases)},
		{"POST", "/api/v1/cases", hf(a.CreateCase)},
		{"GET", "/api/v1/cases/{id}", hf(a.GetCase)},
		{"PATCH", "/api/v1/cases/{id}", hf(a.PatchCase)},
		{"GET", "/api/v1/cases/{id}/team", hf(a.CaseTeam)},
		{"POST", "/api/v1/cases/{id}/team", hf(a.AddCaseMember)},
		{"DELETE", "/api/v1/cases/{id}/team/{member_id}", hf(a.RemoveCaseMember)},
		{"POST", "/api/v1/cases/{id}/legal", hf(a.AddCaseLegal)},
		{"POST", "/api/v1/cases/{id}/conferences", hf(a.AddConference)},
		{"GET", "/api/v1/cases/{id}/plan", hf(a.CasePlan)},
		{"POST", "/api/v1/cases/{id}/plan/goals", hf(a.AddGoal)},
		{"POST", "/api/v1/cases/{id}/plan/steps", hf(a.AddStep)},
		{"POST", "/api/v1/plan-steps/{id}/status", hf(a.MoveStep)},
		{"GET", "/api/v1/referrals", hf(a.ListReferrals)},
		{"POST", "/api/v1/referrals", hf(a.CreateReferral)},
		{"GET", "/api/v1/referrals/{id}", hf(a.GetReferral)},
		{"POST", "/api/v1/referrals/{id}/accept", hf(a.AcceptReferral)},
		{"POST", "/api/v1/referrals/{id}/decline", hf(a.DeclineReferral)},
		{"POST", "/api/v1/referrals/{id}/complete", hf(a.CompleteReferral)},
		{"POST", "/api/v1/referrals/{id}/revoke", hf(a.RevokeReferral)},
		{"GET", "/api/v1/handoffs", hf(a.ListHandoffs)},
		{"POST", "/api/v1/handoffs", hf(a.CreateHandoff)},
		{"POST", "/api/v1/handoffs/{id}/acknowledge", hf(a.AcknowledgeHandoff)},
		{"GET", "/api/v1/linkage/pairs", hf(a.ListPairs)},
		{"GET", "/api/v1/linkage/pairs/{id}", hf(a.GetPair)},
		{"POST", "/api/v1/linkage/pairs/{id}/link", hf(a.LinkPair)},
		{"POST", "/api/v1/linkage/pairs/{id}/separate", hf(a.SeparatePair)},
		{"POST", "/api/v1/linkage/merges/{id}/undo", hf(a.UnmergePair)},
		{"GET", "/api/v1/inbox", hf(a.Inbox)},
		{"GET", "/api/v1/services", hf(a.ListServices)},
		{"POST", "/api/v1/services", hf(a.CreateService)},
		{"GET", "/api/v1/services/hsds", hf(a.ExportServices)},
		{"POST", "/api/v1/services/hsds", hf(a.ImportServices)},
		{"GET", "/api/v1/services/hsds/tabular", hf(a.ExportServicesTabular)},
		{"POST", "/api/v1/services/hsds/tabular", hf(a.ImportServices)},
		{"GET", "/api/v1/services/{id}", hf(a.GetService)},
		{"PUT", "/api/v1/services/{id}", hf(a.UpdateService)},
		{"GET", "/api/v1/people/{id}/service-matches", hf(a.PersonServiceMatches)},
		{"GET", "/api/v1/guides", hf(a.ListGuides)},
		{"GET", "/api/v1/guides/{indicator}/{level}", hf(a.GuideVersions)},
		{"POST", "/api/v1/guides/{indicator}/{level}", hf(a.WriteGuide)},
		{"GET", "/api/v1/lessons", hf(a.ListLessons)},
		{"POST", "/api/v1/lessons", hf(a.CreateLesson)},
		{"GET", "/api/v1/cases/{id}/self-report", hf(a.GetSelfReport)},
		{"PUT", "/api/v1/cases/{id}/self-report", hf(a.PutSelfReport)},
		{"GET", "/api/v1/meetings", hf(a.ListMeetings)},
		{"POST", "/api/v1/meetings", hf(a.CreateMeeting)},
		{"GET", "/api/v1/meetings/{id}", hf(a.GetMeeting)},
		{"POST", "/api/v1/meetings/{id}/resolutions", hf(a.CreateResolution)},
		{"PATCH", "/api/v1/resolutions/{id}", hf(a.PatchResolution)},
		{"GET", "/api/v1/constraints", hf(a.ListConstraints)},
		{"POST", "/api/v1/constraints", hf(a.CreateConstraint)},
		{"GET", "/api/v1/constraints/{id}", hf(a.GetConstraint)},
		{"POST", "/api/v1/constraints/{id}/answer", hf(a.AnswerConstraint)},
		{"POST", "/api/v1/constraints/{id}/escalate", hf(a.EscalateConstraint)},
		{"GET", "/api/", hf(s.apiNotFound)},
	}
	if !s.SeparateMetrics {
		rs = append(rs, Route{"GET", "/metrics", hf(s.metrics)})
	}
	return rs
}

// Routes returns the route table (tests).
func (s *Server) Routes() []Route { return s.routes() }

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.DB.Ping(r.Context()); err != nil {
		httpx.LogError(s.Log, r, errs.Wrap(errs.Unavailable, "error.database_unreachable", err))
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database unreachable\n"))
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}

// metrics on the main address needs a token or session with metrics:read,
// so that figures about the service are not public.
func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	p := httpx.Principal(r.Context())
	if p == nil {
		if h := r.Header.Get("Authorization"); h != "" {
			var err error
			if p, err = s.Auth.Bearer(r.Context(), h, httpx.RequestID(r.Context())); err != nil {
				s.api.Fail(w, r, err)
				return
			}
		}
	}
	if !p.Can(account.MetricsRead) {
		status := http.StatusForbidden
		if p == nil {
			status = http.StatusUnauthorized
			w.Header().Set("WWW-Authenticate", `Bearer realm="termtem"`)
		}
		http.Error(w, http.StatusText(status), status)
		return
	}
	s.MetricsHandler().ServeHTTP(w, r)
}

func (s *Server) apiNotFound(w http.ResponseWriter, r *http.Request) {
	s.api.Fail(w, r, errs.New(errs.NotFound, "error.not_found"))
}
