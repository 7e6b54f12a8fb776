-- Millisecond precision, as JavaScript's Date has (see server/posts/schema.ts). One ALTER TABLE, so
-- the table is rewritten once; existing times are rounded to the millisecond.
ALTER TABLE "posts"."posts"
  ALTER COLUMN "scheduled_at" SET DATA TYPE timestamp (3) with time zone,
  ALTER COLUMN "queued_at" SET DATA TYPE timestamp (3) with time zone,
  ALTER COLUMN "published_at" SET DATA TYPE timestamp (3) with time zone,
  ALTER COLUMN "created_at" SET DATA TYPE timestamp (3) with time zone,
  ALTER COLUMN "updated_at" SET DATA TYPE timestamp (3) with time zone;
