import type { ReactNode } from "react";
import { Card, CardContent } from "@/components/ui/card";

export function AuthCard({ title, description, children, footer }: { title: string; description: ReactNode; children: ReactNode; footer: ReactNode }) {
  return (
    <>
      <div className="mb-8 text-center">
        <h1 className="font-serif text-3xl font-semibold tracking-tight text-stone-900">{title}</h1>
        <p className="mt-2 text-stone-600">{description}</p>
      </div>
      <Card>
        <CardContent className="p-6 sm:p-8">{children}</CardContent>
      </Card>
      <p className="mt-6 text-center text-sm text-stone-600">{footer}</p>
    </>
  );
}
