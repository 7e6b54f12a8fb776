CREATE TABLE "newsletter"."send_batches" (
	"post_id" uuid NOT NULL,
	"batch" integer NOT NULL,
	"sent" integer NOT NULL,
	"failed" integer NOT NULL,
	CONSTRAINT "send_batches_post_id_batch_pk" PRIMARY KEY("post_id","batch")
);
--> statement-breakpoint
ALTER TABLE "newsletter"."send_batches" ADD CONSTRAINT "send_batches_post_id_post_sends_post_id_fk" FOREIGN KEY ("post_id") REFERENCES "newsletter"."post_sends"("post_id") ON DELETE cascade ON UPDATE no action;