CREATE TABLE "alert_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"fingerprint" text NOT NULL,
	"status" text NOT NULL,
	"source" text NOT NULL,
	"labels" jsonb NOT NULL,
	"annotations" jsonb NOT NULL,
	"path" text NOT NULL,
	"starts_at" timestamp (3) with time zone NOT NULL,
	"ends_at" timestamp (3) with time zone,
	CONSTRAINT "alert_events_status_check" CHECK ("alert_events"."status" in ('firing', 'resolved')),
	CONSTRAINT "alert_events_source_check" CHECK ("alert_events"."source" in ('status', 'finding', 'burn', 'action', 'self', 'watchdog', 'test'))
);
--> statement-breakpoint
CREATE TABLE "alert_groups" (
	"receiver" text NOT NULL,
	"group_key" text NOT NULL,
	"group_labels" jsonb NOT NULL,
	"alerts" jsonb NOT NULL,
	"dirty" boolean NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"last_notified_at" timestamp (3) with time zone,
	"updated_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "alert_groups_receiver_group_key_pk" PRIMARY KEY("receiver","group_key")
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"fingerprint" text PRIMARY KEY NOT NULL,
	"alertname" text NOT NULL,
	"severity" text NOT NULL,
	"source" text NOT NULL,
	"labels" jsonb NOT NULL,
	"annotations" jsonb NOT NULL,
	"path" text NOT NULL,
	"starts_at" timestamp (3) with time zone NOT NULL,
	"expires_at" timestamp (3) with time zone,
	"resolved_at" timestamp (3) with time zone,
	"updated_at" timestamp (3) with time zone NOT NULL,
	"last_event_id" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"webhook_id" text NOT NULL,
	"receiver" text NOT NULL,
	"group_key" text NOT NULL,
	"state" text NOT NULL,
	"body" text NOT NULL,
	"title" text NOT NULL,
	"alert_count" integer NOT NULL,
	"fingerprints" text[] NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"next_attempt_at" timestamp (3) with time zone,
	"claimed_until" timestamp (3) with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_code" integer,
	"last_error" text,
	"last_latency_ms" integer,
	"delivered_at" timestamp (3) with time zone,
	"note" text,
	"log" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "notifications_webhook_id_unique" UNIQUE("webhook_id"),
	CONSTRAINT "notifications_state_check" CHECK ("notifications"."state" in ('pending', 'delivered', 'dead', 'silenced'))
);
--> statement-breakpoint
CREATE TABLE "receiver_cursors" (
	"receiver" text PRIMARY KEY NOT NULL,
	"last_event_id" bigint NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_log" DROP CONSTRAINT "audit_log_event_check";--> statement-breakpoint
CREATE INDEX "alert_events_at_idx" ON "alert_events" USING btree ("at");--> statement-breakpoint
CREATE INDEX "alerts_resolved_at_idx" ON "alerts" USING btree ("resolved_at");--> statement-breakpoint
CREATE INDEX "notifications_due_idx" ON "notifications" USING btree ("state","next_attempt_at");--> statement-breakpoint
CREATE INDEX "notifications_receiver_idx" ON "notifications" USING btree ("receiver","created_at" DESC NULLS LAST);--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_event_check" CHECK ("audit_log"."event" in ('request', 'refuse', 'approve', 'reject', 'cancel', 'expire', 'execute', 'verify', 'outcome', 'kiosk_create', 'kiosk_revoke', 'role_change', 'password_change', 'user_create', 'user_disable', 'user_enable', 'sessions_end', 'password_reset', 'role_mapped', 'sso_refused', 'local_signin_refused', 'oidc_sync', 'incident_class', 'alert_test'));