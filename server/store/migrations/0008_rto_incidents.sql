CREATE TABLE "incident_classes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"component_id" text NOT NULL,
	"suspected_at" timestamp (3) with time zone NOT NULL,
	"mode" text NOT NULL,
	"note" text NOT NULL,
	"corrected_at" timestamp (3) with time zone NOT NULL,
	"corrected_by" text NOT NULL,
	CONSTRAINT "incident_classes_mode_check" CHECK ("incident_classes"."mode" in ('server-hardware', 'network-partition', 'software-crash', 'database', 'data-centre'))
);
--> statement-breakpoint
ALTER TABLE "audit_log" DROP CONSTRAINT "audit_log_event_check";--> statement-breakpoint
ALTER TABLE "transitions" ADD COLUMN "confirmed_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "incident_classes_incident_idx" ON "incident_classes" USING btree ("component_id","suspected_at","id");--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_event_check" CHECK ("audit_log"."event" in ('request', 'refuse', 'approve', 'reject', 'cancel', 'expire', 'execute', 'verify', 'outcome', 'kiosk_create', 'kiosk_revoke', 'role_change', 'password_change', 'user_create', 'user_disable', 'user_enable', 'sessions_end', 'password_reset', 'role_mapped', 'sso_refused', 'local_signin_refused', 'oidc_sync', 'incident_class'));