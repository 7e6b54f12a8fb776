import type { MetadataRoute } from "next";
import { connection } from "next/server";
import { absoluteUrl } from "@/server/urls";

/** Crawlers may read everything public; the writing side and the APIs are not for them. */
export default async function robots(): Promise<MetadataRoute.Robots> {
  await connection(); // APP_URL of the running server, not of the build
  return {
    rules: [{ userAgent: "*", allow: "/", disallow: ["/dashboard", "/editor", "/api/", "/internal/", "/search"] }],
    sitemap: absoluteUrl("/sitemap.xml"),
  };
}
