import type { Metadata } from "next";
import { requireSession } from "@/app/_lib/require-session";
import { PageHeader } from "@/components/page-header";
import { SubscribersDashboard } from "./_components/subscribers-dashboard";

export const metadata: Metadata = { title: "Subscribers" };

export default async function SubscribersPage() {
  await requireSession("/dashboard/subscribers");
  return (
    <>
      <PageHeader title="Subscribers" description="Readers who receive your posts by email, and what each send did." />
      <SubscribersDashboard />
    </>
  );
}
