CREATE TABLE "action_requests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"target_id" text NOT NULL,
	"lock_key" text NOT NULL,
	"node" text,
	"expected_leader" text,
	"scheduled_at" timestamp (3) with time zone,
	"reason" text NOT NULL,
	"client_request_id" text NOT NULL,
	"requester_id" text NOT NULL,
	"requester_name" text NOT NULL,
	"requester_role" text NOT NULL,
	"requester_ip" text,
	"state" text NOT NULL,
	"preflight" jsonb,
	"requested_at" timestamp (3) with time zone NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"approver_id" text,
	"approver_name" text,
	"approved_at" timestamp (3) with time zone,
	"decided_by_id" text,
	"decided_by_name" text,
	"decision_reason" text,
	"executing_at" timestamp (3) with time zone,
	"verifying_at" timestamp (3) with time zone,
	"finished_at" timestamp (3) with time zone,
	"outcome" text,
	"new_timeline" integer,
	"owner_instance" text,
	"updated_at" timestamp (3) with time zone NOT NULL,
	"version" bigint DEFAULT 1 NOT NULL,
	CONSTRAINT "action_requests_kind_check" CHECK ("action_requests"."kind" in ('patroni_switchover', 'patroni_failover', 'sentinel_failover', 'vrrp_drain', 'vrrp_undrain')),
	CONSTRAINT "action_requests_state_check" CHECK ("action_requests"."state" in ('requested', 'approved', 'executing', 'verifying', 'succeeded', 'failed', 'unknown', 'refused', 'expired', 'rejected', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"actor_id" text NOT NULL,
	"actor_name" text NOT NULL,
	"actor_role" text NOT NULL,
	"actor_ip" text,
	"event" text NOT NULL,
	"request_id" bigint,
	"kind" text,
	"target_id" text,
	"reason" text,
	"detail" text,
	"timeline" integer,
	CONSTRAINT "audit_log_event_check" CHECK ("audit_log"."event" in ('request', 'refuse', 'approve', 'reject', 'cancel', 'expire', 'execute', 'verify', 'outcome'))
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_request_id_action_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."action_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "action_requests_one_in_flight_idx" ON "action_requests" USING btree ("lock_key") WHERE "action_requests"."state" in ('requested', 'approved', 'executing', 'verifying');--> statement-breakpoint
CREATE UNIQUE INDEX "action_requests_client_request_idx" ON "action_requests" USING btree ("requester_id","client_request_id");--> statement-breakpoint
CREATE INDEX "action_requests_requested_at_idx" ON "action_requests" USING btree ("requested_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "action_requests_target_idx" ON "action_requests" USING btree ("lock_key","finished_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_log_request_idx" ON "audit_log" USING btree ("request_id","id");