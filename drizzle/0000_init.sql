CREATE SCHEMA "users";
--> statement-breakpoint
CREATE SCHEMA "posts";
--> statement-breakpoint
CREATE TYPE "posts"."post_status" AS ENUM('queued', 'processing', 'ready', 'failed');--> statement-breakpoint
CREATE TYPE "posts"."post_visibility" AS ENUM('draft', 'scheduled', 'published');--> statement-breakpoint
CREATE TABLE "users"."users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"bio" text DEFAULT '' NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "posts"."posts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"author_id" uuid NOT NULL,
	"title" text NOT NULL,
	"slug" text NOT NULL,
	"markdown" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"visibility" "posts"."post_visibility" DEFAULT 'draft' NOT NULL,
	"status" "posts"."post_status" DEFAULT 'queued' NOT NULL,
	"error" text,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_version" integer,
	"html" text,
	"excerpt" text,
	"word_count" integer DEFAULT 0 NOT NULL,
	"reading_time_minutes" integer DEFAULT 0 NOT NULL,
	"published_version" integer,
	"published_title" text,
	"published_html" text,
	"published_excerpt" text,
	"published_word_count" integer,
	"published_reading_time_minutes" integer,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "posts_version_positive" CHECK ("posts"."posts"."version" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users"."users" USING btree ("email");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_key" ON "users"."users" USING btree ("username");--> statement-breakpoint
CREATE UNIQUE INDEX "posts_author_slug_key" ON "posts"."posts" USING btree ("author_id","slug");--> statement-breakpoint
CREATE INDEX "posts_author_updated_idx" ON "posts"."posts" USING btree ("author_id","updated_at" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "posts_public_feed_idx" ON "posts"."posts" USING btree ("published_at" DESC NULLS LAST,"id") WHERE "posts"."posts"."published_html" is not null;--> statement-breakpoint
CREATE INDEX "posts_queued_idx" ON "posts"."posts" USING btree ("queued_at") WHERE "posts"."posts"."status" = 'queued';