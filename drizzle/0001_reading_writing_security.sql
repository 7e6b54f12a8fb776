CREATE TABLE "posts"."revisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"post_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"title" text NOT NULL,
	"markdown" text NOT NULL,
	"html" text NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "posts"."slug_redirects" (
	"author_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"post_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users"."users" ADD COLUMN "session_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "posts"."posts" ADD COLUMN "tags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "posts"."posts" ADD COLUMN "cover_image_url" text;--> statement-breakpoint
ALTER TABLE "posts"."posts" ADD COLUMN "canonical_url" text;--> statement-breakpoint
ALTER TABLE "posts"."posts" ADD COLUMN "excerpt_override" text;--> statement-breakpoint
ALTER TABLE "posts"."posts" ADD COLUMN "scheduled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "posts"."posts" ADD COLUMN "published_text" text;--> statement-breakpoint
ALTER TABLE "posts"."posts" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english', coalesce(published_title, '')), 'A') || setweight(to_tsvector('english', coalesce(published_text, '')), 'B')) STORED;--> statement-breakpoint
ALTER TABLE "posts"."revisions" ADD CONSTRAINT "revisions_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "posts"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts"."slug_redirects" ADD CONSTRAINT "slug_redirects_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "posts"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "revisions_post_version_key" ON "posts"."revisions" USING btree ("post_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "slug_redirects_author_slug_key" ON "posts"."slug_redirects" USING btree ("author_id","slug");--> statement-breakpoint
CREATE INDEX "posts_search_idx" ON "posts"."posts" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "posts_tags_idx" ON "posts"."posts" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "posts_scheduled_idx" ON "posts"."posts" USING btree ("scheduled_at") WHERE "posts"."posts"."visibility" = 'scheduled';--> statement-breakpoint
ALTER TABLE "posts"."posts" ADD CONSTRAINT "posts_tags_max" CHECK (cardinality("posts"."posts"."tags") <= 5);