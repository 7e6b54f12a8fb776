import type { Metadata } from "next";
import { requireSession } from "@/app/_lib/require-session";
import { Editor } from "@/components/editor";

export const metadata: Metadata = { title: "New post" };

export default async function NewPostPage() {
  const session = await requireSession("/editor/new");
  return <Editor initialPost={null} username={session.user.username} />;
}
