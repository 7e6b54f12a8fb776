-- A published post's live version gets its own copy of the metadata readers see (address, tags, cover,
-- canonical URL, excerpt override, "updated" time) and its Markdown, so the writer's working copy can be
-- edited privately until Update (see server/posts/schema.ts). The cover image gains an alt text.
DROP INDEX "posts"."posts_tags_idx";
--> statement-breakpoint
DROP INDEX "posts"."posts_scheduled_idx";
--> statement-breakpoint
ALTER TABLE "posts"."posts" ADD COLUMN "cover_image_alt" text;
--> statement-breakpoint
ALTER TABLE "posts"."posts" ADD COLUMN "going_live_version" integer;
--> statement-breakpoint
ALTER TABLE "posts"."posts" ADD COLUMN "going_live_at" timestamp (3) with time zone;
--> statement-breakpoint
ALTER TABLE "posts"."posts" ADD COLUMN "published_slug" text;
--> statement-breakpoint
ALTER TABLE "posts"."posts" ADD COLUMN "published_markdown" text;
--> statement-breakpoint
ALTER TABLE "posts"."posts" ADD COLUMN "published_tags" text[];
--> statement-breakpoint
ALTER TABLE "posts"."posts" ADD COLUMN "published_cover_image_url" text;
--> statement-breakpoint
ALTER TABLE "posts"."posts" ADD COLUMN "published_cover_image_alt" text;
--> statement-breakpoint
ALTER TABLE "posts"."posts" ADD COLUMN "published_canonical_url" text;
--> statement-breakpoint
ALTER TABLE "posts"."posts" ADD COLUMN "published_excerpt_override" text;
--> statement-breakpoint
ALTER TABLE "posts"."posts" ADD COLUMN "published_updated_at" timestamp (3) with time zone;
--> statement-breakpoint
-- Posts readers can see now: their live metadata is what readers were shown until this migration (the
-- row's own columns), and their live Markdown that of the published revision where it is kept.
UPDATE "posts"."posts" AS p SET
  "published_slug" = p."slug",
  "published_markdown" = coalesce((SELECT r."markdown" FROM "posts"."revisions" r WHERE r."post_id" = p."id" AND r."version" = p."published_version"), p."markdown"),
  "published_tags" = p."tags",
  "published_cover_image_url" = p."cover_image_url",
  "published_canonical_url" = p."canonical_url",
  "published_excerpt_override" = p."excerpt_override",
  "published_updated_at" = p."updated_at"
WHERE p."published_html" IS NOT NULL;
--> statement-breakpoint
-- Published posts still waiting for their first rendering: the worker makes their current version live.
UPDATE "posts"."posts" SET "going_live_version" = "version", "going_live_at" = now()
WHERE "visibility" = 'published' AND "published_html" IS NULL;
--> statement-breakpoint
CREATE UNIQUE INDEX "posts_author_published_slug_key" ON "posts"."posts" USING btree ("author_id","published_slug") WHERE "posts"."posts"."published_slug" is not null;
--> statement-breakpoint
CREATE INDEX "posts_published_tags_idx" ON "posts"."posts" USING gin ("published_tags");
--> statement-breakpoint
CREATE INDEX "posts_scheduled_idx" ON "posts"."posts" USING btree ("scheduled_at") WHERE "posts"."posts"."scheduled_at" is not null;
