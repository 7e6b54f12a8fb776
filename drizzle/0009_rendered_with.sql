-- Which render engine made a row's stored renderings; existing rows were made by the first one
-- (remark/rehype), and the worker's rerender-posts job renders them again with the current one.
-- A constant default: PostgreSQL adds the column without rewriting the table.
ALTER TABLE "posts"."posts" ADD COLUMN "rendered_with" smallint DEFAULT 1 NOT NULL;
