DROP INDEX "posts"."posts_queued_idx";--> statement-breakpoint
CREATE INDEX "posts_queued_idx" ON "posts"."posts" USING btree ("queued_at") WHERE "posts"."posts"."status" in ('queued', 'processing');