ALTER TABLE "posts"."posts" ADD COLUMN "text" text;--> statement-breakpoint
ALTER TABLE "posts"."posts" ADD COLUMN "toc" jsonb;--> statement-breakpoint
-- Posts whose processed version is the published one already have its text and table of contents.
UPDATE "posts"."posts" SET "text" = "published_text", "toc" = "published_toc" WHERE "processed_version" = "published_version";
