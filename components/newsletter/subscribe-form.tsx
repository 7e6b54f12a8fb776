import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { AccountSubscribe } from "./account-subscribe";

/**
 * Email-only subscribe form, a plain HTML form that works without JavaScript (it posts to
 * /subscribe/request, which answers with a page). Signed-in readers also get a one-click button.
 */
export function SubscribeForm({ writer, writerName, email = "", problem, className }: { writer: string; writerName: string; email?: string; problem?: string; className?: string }) {
  const id = `subscribe-${writer}`;
  return (
    <section aria-labelledby={`${id}-title`} className={className}>
      <h2 id={`${id}-title`} className="font-serif text-xl font-semibold text-stone-900">
        Get {writerName}’s posts by email
      </h2>
      <form method="post" action="/subscribe/request" className="mt-3 flex flex-col gap-2 sm:flex-row sm:items-end" noValidate>
        <input type="hidden" name="writer" value={writer} />
        <div className="flex-1">
          <Label htmlFor={`${id}-email`}>Email address</Label>
          <Input
            id={`${id}-email`}
            name="email"
            type="email"
            autoComplete="email"
            required
            maxLength={254}
            defaultValue={email}
            className="mt-1"
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${id}-problem` : undefined}
          />
        </div>
        <Button type="submit">Subscribe</Button>
      </form>
      {problem ? (
        <p id={`${id}-problem`} className="mt-2 text-sm text-red-700">
          {problem}
        </p>
      ) : (
        <p className="mt-2 text-sm text-stone-600">We mail you a link to confirm. Unsubscribe from any email with one click.</p>
      )}
      <AccountSubscribe writer={writer} writerName={writerName} />
    </section>
  );
}
