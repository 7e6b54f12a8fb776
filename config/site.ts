// Site-wide data: the name, the description used in metadata, and the navigation links.

export const siteConfig = {
  name: "InkWell",
  description: "A calm place to write, and to publish what you write.",
  tagline: "Write in Markdown. Publish when it reads right.",
} as const;

/** The site-wide RSS feed, as pages advertise it (`alternates.types` in their metadata). */
export const siteFeedAlternates = {
  "application/rss+xml": [{ url: "/feed.xml", title: `${siteConfig.name}: latest posts` }],
};

export interface NavItem {
  title: string;
  href: string;
}

/** The dashboard's tabs. */
export const dashboardNav: NavItem[] = [
  { title: "Posts", href: "/dashboard" },
  { title: "Subscribers", href: "/dashboard/subscribers" },
  { title: "Images", href: "/dashboard/media" },
  { title: "Settings", href: "/dashboard/settings" },
];
