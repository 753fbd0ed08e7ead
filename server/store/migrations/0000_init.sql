CREATE TABLE "events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"source" text NOT NULL,
	"target_id" text NOT NULL,
	"type" text NOT NULL,
	"message" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitor_heartbeats" (
	"instance_id" text NOT NULL,
	"started_at" timestamp (3) with time zone NOT NULL,
	"last_seen_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "monitor_heartbeats_pk" PRIMARY KEY("instance_id","started_at"),
	CONSTRAINT "monitor_heartbeats_order_check" CHECK ("monitor_heartbeats"."last_seen_at" >= "monitor_heartbeats"."started_at")
);
--> statement-breakpoint
CREATE TABLE "rollup_state" (
	"name" text PRIMARY KEY NOT NULL,
	"done_until" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "samples_1h" (
	"subject" text NOT NULL,
	"metric" text NOT NULL,
	"bucket" timestamp (3) with time zone NOT NULL,
	"avg" double precision NOT NULL,
	"min" double precision NOT NULL,
	"max" double precision NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "samples_1h_pk" PRIMARY KEY("subject","metric","bucket"),
	CONSTRAINT "samples_1h_count_check" CHECK ("samples_1h"."count" > 0)
);
--> statement-breakpoint
CREATE TABLE "samples_1m" (
	"subject" text NOT NULL,
	"metric" text NOT NULL,
	"bucket" timestamp (3) with time zone NOT NULL,
	"avg" double precision NOT NULL,
	"min" double precision NOT NULL,
	"max" double precision NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "samples_1m_pk" PRIMARY KEY("subject","metric","bucket"),
	CONSTRAINT "samples_1m_count_check" CHECK ("samples_1m"."count" > 0)
);
--> statement-breakpoint
CREATE TABLE "samples_raw" (
	"subject" text NOT NULL,
	"metric" text NOT NULL,
	"ts" timestamp (3) with time zone NOT NULL,
	"value" double precision NOT NULL,
	CONSTRAINT "samples_raw_pk" PRIMARY KEY("subject","metric","ts")
);
--> statement-breakpoint
CREATE TABLE "transitions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"subject" text NOT NULL,
	"from_status" text NOT NULL,
	"to_status" text NOT NULL,
	"reason" text,
	"instance_id" text NOT NULL,
	CONSTRAINT "transitions_from_status_check" CHECK ("transitions"."from_status" in ('UP', 'DOWN', 'DEGRADED', 'STALE', 'NO_DATA', 'HEALTHY', 'CRITICAL')),
	CONSTRAINT "transitions_to_status_check" CHECK ("transitions"."to_status" in ('UP', 'DOWN', 'DEGRADED', 'STALE', 'NO_DATA', 'HEALTHY', 'CRITICAL'))
);
--> statement-breakpoint
CREATE INDEX "events_at_idx" ON "events" USING btree ("at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "monitor_heartbeats_last_seen_idx" ON "monitor_heartbeats" USING btree ("last_seen_at");--> statement-breakpoint
CREATE INDEX "samples_1h_bucket_idx" ON "samples_1h" USING btree ("bucket");--> statement-breakpoint
CREATE INDEX "samples_1m_bucket_idx" ON "samples_1m" USING btree ("bucket");--> statement-breakpoint
CREATE INDEX "samples_raw_ts_idx" ON "samples_raw" USING btree ("ts");--> statement-breakpoint
CREATE INDEX "transitions_subject_at_idx" ON "transitions" USING btree ("subject","at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "transitions_at_idx" ON "transitions" USING btree ("at" DESC NULLS LAST,"id" DESC NULLS LAST);