CREATE SCHEMA "portability";
--> statement-breakpoint
CREATE TYPE "portability"."export_state" AS ENUM('building', 'ready', 'failed');--> statement-breakpoint
CREATE TYPE "portability"."import_source" AS ENUM('ghost', 'wordpress', 'medium', 'substack');--> statement-breakpoint
CREATE TYPE "portability"."import_state" AS ENUM('analysing', 'analysed', 'importing', 'done', 'failed');--> statement-breakpoint
CREATE TABLE "users"."username_holds" (
	"username" text PRIMARY KEY NOT NULL,
	"held_until" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "portability"."exports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"state" "portability"."export_state" DEFAULT 'building' NOT NULL,
	"storage_key" text NOT NULL,
	"token_hash" text,
	"expires_at" timestamp with time zone,
	"posts" integer DEFAULT 0 NOT NULL,
	"bytes" integer,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "portability"."imported_posts" (
	"user_id" uuid NOT NULL,
	"import_key" text NOT NULL,
	"post_id" uuid NOT NULL,
	"import_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "imported_posts_user_id_import_key_pk" PRIMARY KEY("user_id","import_key")
);
--> statement-breakpoint
CREATE TABLE "portability"."imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"storage_key" text NOT NULL,
	"source" "portability"."import_source",
	"state" "portability"."import_state" DEFAULT 'analysing' NOT NULL,
	"summary" jsonb,
	"processed" integer DEFAULT 0 NOT NULL,
	"imported" integer DEFAULT 0 NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "portability"."exports" ADD CONSTRAINT "exports_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portability"."imported_posts" ADD CONSTRAINT "imported_posts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portability"."imported_posts" ADD CONSTRAINT "imported_posts_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "portability"."imports"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portability"."imports" ADD CONSTRAINT "imports_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "exports_user_idx" ON "portability"."exports" USING btree ("user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "imports_user_idx" ON "portability"."imports" USING btree ("user_id","created_at" DESC NULLS LAST);