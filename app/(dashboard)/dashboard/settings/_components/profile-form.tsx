"use client";

import { useMutation } from "@tanstack/react-query";
import { useSession } from "next-auth/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { errorMessage, serverFieldErrors, zodFieldErrors, type FieldErrors } from "@/components/trpc-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardFooter } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { useHydrated } from "@/components/use-hydrated";
import { userProfileUpdateSchema } from "@/lib/validations/user";
import { useTRPC } from "@/trpc/react";
import { announceViewerChange } from "@/components/viewer-events";

const BIO_MAX = 500;

interface ProfileValues {
  displayName: string;
  bio: string;
}

export function ProfileForm({ initial, username }: { initial: ProfileValues; username: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const { update: updateSession } = useSession();
  const updateProfile = useMutation(trpc.users.updateProfile.mutationOptions());
  const [values, setValues] = useState(initial);
  const [saved, setSaved] = useState(initial);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [confirmation, setConfirmation] = useState<string | null>(null);
  const hydrated = useHydrated();
  const dirty = values.displayName !== saved.displayName || values.bio !== saved.bio;

  function set(field: keyof ProfileValues, value: string) {
    setValues((prev) => ({ ...prev, [field]: value }));
    setFieldErrors((prev) => ({ ...prev, [field]: undefined }));
    setConfirmation(null);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    setConfirmation(null);
    const parsed = userProfileUpdateSchema.safeParse(values);
    if (!parsed.success) {
      setFieldErrors(zodFieldErrors(parsed.error.issues));
      return;
    }
    setFieldErrors({});
    try {
      const profile = await updateProfile.mutateAsync(parsed.data);
      const next = { displayName: profile.displayName, bio: profile.bio };
      setValues(next);
      setSaved(next);
      // New name into the session cookie, then re-render the server components (the header) with it.
      await updateSession({ name: profile.displayName }).catch(() => null);
      router.refresh();
      announceViewerChange(); // the header's name
      setConfirmation("Profile saved.");
    } catch (error) {
      const fields = serverFieldErrors(error);
      if (Object.keys(fields).length > 0) setFieldErrors(fields);
      else setFormError(errorMessage(error, "We could not save your profile. Please try again."));
    }
  }

  return (
    <form noValidate onSubmit={onSubmit}>
      <Card>
        <CardContent className="space-y-6">
          {formError ? <Alert tone="error">{formError}</Alert> : null}
          <FormField id="displayName" label="Display name" hint="Shown with your posts and on your public page." errors={fieldErrors.displayName}>
            {(control) => (
              <Input {...control} name="displayName" autoComplete="name" required readOnly={!hydrated} value={values.displayName} onChange={(e) => set("displayName", e.target.value)} />
            )}
          </FormField>
          <FormField
            id="bio"
            label="Bio"
            hint="A few words about you, shown on your public page."
            errors={fieldErrors.bio}
            aside={
              <span className={values.bio.length > BIO_MAX ? "text-sm text-red-700" : "text-sm text-stone-500"}>
                {values.bio.length}/{BIO_MAX}
              </span>
            }
          >
            {(control) => <Textarea {...control} name="bio" rows={5} readOnly={!hydrated} value={values.bio} onChange={(e) => set("bio", e.target.value)} />}
          </FormField>
          <p className="text-sm text-stone-500">
            Your address: <span className="font-medium text-stone-800">/@{username}</span>
          </p>
        </CardContent>
        <CardFooter className="flex-wrap">
          <Button type="submit" pending={updateProfile.isPending} disabled={!hydrated}>
            {updateProfile.isPending ? "Saving…" : "Save profile"}
          </Button>
          {dirty ? <span className="text-sm text-amber-800">Unsaved changes</span> : null}
          <p role="status" className="text-sm font-medium text-emerald-800">
            {confirmation ? (
              <>
                <span aria-hidden="true">✓ </span>
                {confirmation}{" "}
                <Link href={`/@${username}`} className="text-accent-700 underline-offset-4 hover:underline">
                  View your public page
                </Link>
              </>
            ) : null}
          </p>
        </CardFooter>
      </Card>
    </form>
  );
}
