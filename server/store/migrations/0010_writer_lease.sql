CREATE TABLE "writer_lease" (
	"id" integer PRIMARY KEY NOT NULL,
	"epoch" bigint NOT NULL,
	"holder" text NOT NULL,
	"acquired_at" timestamp (3) with time zone NOT NULL,
	"renewed_at" timestamp (3) with time zone NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "writer_lease_single_row_check" CHECK ("writer_lease"."id" = 1),
	CONSTRAINT "writer_lease_epoch_check" CHECK ("writer_lease"."epoch" > 0)
);
--> statement-breakpoint
-- Fencing: a write transaction calls ha_fence(its epoch) first. FOR SHARE makes a takeover (an UPDATE of
-- the lease row) wait for every write transaction that has passed the fence, and every fence after
-- the takeover sees the new epoch: no row of an old epoch can commit after a newer epoch exists.
CREATE FUNCTION "ha_fence"(writer_epoch bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  current_epoch bigint;
BEGIN
  SELECT "epoch" INTO current_epoch FROM "writer_lease" WHERE "id" = 1 FOR SHARE;
  IF current_epoch IS DISTINCT FROM writer_epoch THEN
    RAISE EXCEPTION 'fenced: this writer holds epoch %, the lease is at epoch %', writer_epoch, coalesce(current_epoch::text, 'none') USING ERRCODE = 'HAF01';
  END IF;
END
$$;
