import { z } from "zod";
import { env } from "../../env.js";
import { authorSchema, errorSchema, listQuerySchema, postPageSchema, postSchema, searchPageSchema, searchQuerySchema } from "./v1";

// The OpenAPI 3.1 document of /api/v1, generated from the same zod schemas the handlers use.

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "output", unrepresentable: "any" });

function queryParameters(schema: z.ZodObject) {
  const inputSchema = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(inputSchema.properties ?? {}).map(([name, property]) => ({
    name,
    in: "query",
    required: inputSchema.required?.includes(name) ?? false,
    schema: property,
  }));
}

const pathParameter = (name: string, description: string) => ({ name, in: "path", required: true, description, schema: { type: "string" } });
const ok = (ref: string, description: string) => ({ description, content: { "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } } });
const failure = (description: string) => ok("Error", description);

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: { title: "InkWell public API", version: "1.0.0", description: "Read-only access to published posts and writers." },
    servers: [{ url: new URL("/api/v1", env.APP_URL).toString() }],
    paths: {
      "/posts": {
        get: {
          summary: "Published posts, newest first",
          parameters: queryParameters(listQuerySchema),
          responses: { 200: ok("PostPage", "A page of posts; pass nextCursor as cursor for the next."), 400: failure("Invalid query"), 404: failure("Unknown author") },
        },
      },
      "/posts/{username}/{slug}": {
        get: {
          summary: "One published post with its HTML",
          parameters: [pathParameter("username", "The writer's username"), pathParameter("slug", "The post's slug")],
          responses: { 200: ok("Post", "The post"), 404: failure("No such published post") },
        },
      },
      "/authors/{username}": {
        get: {
          summary: "A writer's public profile",
          parameters: [pathParameter("username", "The writer's username")],
          responses: { 200: ok("Author", "The writer"), 404: failure("No such writer") },
        },
      },
      "/search": {
        get: {
          summary: "Full-text search over published posts",
          parameters: queryParameters(searchQuerySchema),
          responses: { 200: ok("SearchPage", "Best matches first"), 400: failure("Invalid query") },
        },
      },
    },
    components: {
      schemas: {
        Post: json(postSchema),
        PostPage: json(postPageSchema),
        SearchPage: json(searchPageSchema),
        Author: json(authorSchema),
        Error: json(errorSchema),
      },
    },
  };
}
