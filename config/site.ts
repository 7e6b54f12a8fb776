// Site-wide data: the name, the description used in metadata, and the navigation links.

export const siteConfig = {
  name: "InkWell",
  description: "A calm place to write, and to publish what you write.",
  tagline: "Write in Markdown. Publish when it reads right.",
} as const;

export interface NavItem {
  title: string;
  href: string;
}

/** The dashboard's tabs. */
export const dashboardNav: NavItem[] = [
  { title: "Posts", href: "/dashboard" },
  { title: "Settings", href: "/dashboard/settings" },
];
