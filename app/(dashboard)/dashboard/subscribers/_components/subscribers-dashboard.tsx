"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useDeferredValue, useId, useState, type FormEvent } from "react";
import { errorMessage } from "@/components/trpc-errors";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { MAX_IMPORT_BYTES } from "@/lib/validations/newsletter";
import { useTRPC } from "@/trpc/react";
import { GrowthChart } from "./growth-chart";

/** The writer's audience: counts and growth, the list (search, remove), CSV in and out, send history. */
export function SubscribersDashboard() {
  const trpc = useTRPC();
  const summary = useQuery(trpc.newsletter.summary.queryOptions());
  const counts = summary.data?.counts;
  return (
    <div className="mt-8 space-y-12">
      <section aria-labelledby="audience-title">
        <h2 id="audience-title" className="text-xl font-semibold text-stone-900">
          Audience
        </h2>
        <dl className="mt-4 grid grid-cols-2 gap-4 sm:grid-cols-4">
          {(
            [
              ["Active", counts?.active],
              ["Awaiting confirmation", counts?.pending],
              ["Imported, awaiting consent", counts?.imported],
              ["Unsubscribed or bouncing", counts ? counts.unsubscribed + counts.bouncing : undefined],
            ] as const
          ).map(([label, value]) => (
            <div key={label} className="rounded-lg border border-stone-200 bg-white p-4">
              <dt className="text-sm text-stone-600">{label}</dt>
              <dd className="mt-1 text-2xl font-semibold text-stone-900 tabular-nums">{value?.toLocaleString("en") ?? "…"}</dd>
            </div>
          ))}
        </dl>
        {summary.data ? <GrowthChart growth={summary.data.growth} className="mt-6" /> : null}
      </section>
      <SubscriberList />
      <ImportForm awaitingConsent={counts?.imported ?? 0} />
      <SendHistory />
    </div>
  );
}

function SubscriberList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [search, setSearch] = useState("");
  const deferred = useDeferredValue(search.trim().slice(0, 254));
  const list = useQuery(trpc.newsletter.list.queryOptions({ search: deferred, limit: 50 }));
  const remove = useMutation(
    trpc.newsletter.remove.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries(trpc.newsletter.list.pathFilter());
        void queryClient.invalidateQueries(trpc.newsletter.summary.pathFilter());
      },
    }),
  );
  return (
    <section aria-labelledby={`${id}-title`}>
      <div className="flex flex-wrap items-end justify-between gap-4">
        <h2 id={`${id}-title`} className="text-xl font-semibold text-stone-900">
          Subscribers
        </h2>
        <a href="/dashboard/subscribers/export" className={buttonClasses({ variant: "secondary", size: "sm" })} download>
          Export CSV
        </a>
      </div>
      <div className="mt-4 max-w-sm">
        <Label htmlFor={`${id}-search`}>Search by address</Label>
        <Input id={`${id}-search`} type="search" value={search} maxLength={254} onChange={(e) => setSearch(e.target.value)} className="mt-1" />
      </div>
      {remove.error ? (
        <Alert tone="error" className="mt-4">
          {errorMessage(remove.error, "Could not remove that subscriber. Please try again.")}
        </Alert>
      ) : null}
      {list.data && list.data.items.length === 0 ? (
        <p className="mt-4 text-stone-600">{deferred ? "No subscriber matches that search." : "No subscribers yet. Your public page and posts show a subscribe form."}</p>
      ) : (
        <table className="mt-4 w-full text-left text-sm">
          <caption className="sr-only">Your subscribers{deferred ? ` matching “${deferred}”` : ""}</caption>
          <thead className="border-b border-stone-200 text-stone-600">
            <tr>
              <th scope="col" className="py-2 pr-4 font-medium">
                Address
              </th>
              <th scope="col" className="py-2 pr-4 font-medium">
                State
              </th>
              <th scope="col" className="py-2 pr-4 font-medium">
                Since
              </th>
              <th scope="col" className="py-2 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-stone-100">
            {list.data?.items.map((s) => (
              <tr key={s.id}>
                <td className="py-2 pr-4 break-all text-stone-900">{s.email}</td>
                <td className="py-2 pr-4 text-stone-700">{s.status}</td>
                <td className="py-2 pr-4 text-stone-700">{new Date(s.confirmedAt ?? s.createdAt).toISOString().slice(0, 10)}</td>
                <td className="py-2 text-right">
                  <Button variant="ghost" size="sm" aria-label={`Remove ${s.email}`} pending={remove.isPending && remove.variables?.id === s.id} onClick={() => remove.mutate({ id: s.id })}>
                    Remove
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data?.nextCursor ? <p className="mt-2 text-sm text-stone-600">Showing the first 50; search to find others.</p> : null}
    </section>
  );
}

function ImportForm({ awaitingConsent }: { awaitingConsent: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [statement, setStatement] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [consent, setConsent] = useState(false);
  const refresh = () => {
    void queryClient.invalidateQueries(trpc.newsletter.list.pathFilter());
    void queryClient.invalidateQueries(trpc.newsletter.summary.pathFilter());
    void queryClient.invalidateQueries(trpc.newsletter.activeCount.pathFilter());
  };
  const importCsv = useMutation(trpc.newsletter.importCsv.mutationOptions({ onSuccess: refresh }));
  const confirm = useMutation(trpc.newsletter.confirmImported.mutationOptions({ onSuccess: refresh }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    if (!file) return setProblem("Choose a CSV file with one address a line.");
    if (file.size > MAX_IMPORT_BYTES) return setProblem("The file is too large (8 MB at most).");
    importCsv.mutate({ csv: await file.text(), consentStatement: statement });
  }

  return (
    <section aria-labelledby={`${id}-title`} className="max-w-2xl">
      <h2 id={`${id}-title`} className="text-xl font-semibold text-stone-900">
        Import a list
      </h2>
      <p className="mt-1 text-sm text-stone-600">
        A CSV with one address a line (or a column named “email”). Imported readers receive nothing until you confirm that they agreed to.
      </p>
      <form onSubmit={(e) => void submit(e)} className="mt-4 space-y-4">
        <div>
          <Label htmlFor={`${id}-file`}>CSV file</Label>
          <input id={`${id}-file`} type="file" accept=".csv,text/csv,text/plain" className="mt-1 block text-sm" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </div>
        <div>
          <Label htmlFor={`${id}-statement`}>How did these readers agree to receive your posts?</Label>
          <Textarea id={`${id}-statement`} rows={3} maxLength={1000} value={statement} onChange={(e) => setStatement(e.target.value)} className="mt-1" />
        </div>
        <Button type="submit" pending={importCsv.isPending}>
          Import
        </Button>
        {problem || importCsv.error ? (
          <p role="alert" className="text-sm text-red-700">
            {problem ?? errorMessage(importCsv.error, "The import failed. Please try again.")}
          </p>
        ) : null}
        {importCsv.data ? (
          <p role="status" className="text-sm text-emerald-800">
            Imported {importCsv.data.imported.toLocaleString("en")}; {importCsv.data.alreadyListed.toLocaleString("en")} already on your list,{" "}
            {importCsv.data.duplicates.toLocaleString("en")} repeated in the file.
          </p>
        ) : null}
      </form>
      {awaitingConsent > 0 ? (
        <form
          className="mt-6 space-y-3 rounded-lg border border-amber-200 bg-amber-50 p-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (consent) confirm.mutate({ consent: true });
          }}
        >
          <label className="flex items-start gap-2 text-sm text-amber-950">
            <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} className="mt-0.5 size-4" />
            The {awaitingConsent.toLocaleString("en")} imported readers agreed to receive my posts by email.
          </label>
          <Button type="submit" variant="secondary" disabled={!consent} pending={confirm.isPending}>
            Start emailing them
          </Button>
          {confirm.error ? <p role="alert" className="text-sm text-red-700">{errorMessage(confirm.error, "That did not work. Please try again.")}</p> : null}
        </form>
      ) : null}
    </section>
  );
}

function SendHistory() {
  const trpc = useTRPC();
  const history = useQuery(trpc.newsletter.history.queryOptions());
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title" className="text-xl font-semibold text-stone-900">
        Sends
      </h2>
      {history.data && history.data.length === 0 ? <p className="mt-4 text-stone-600">No post has been emailed yet.</p> : null}
      {history.data && history.data.length > 0 ? (
        <table className="mt-4 w-full text-left text-sm">
          <caption className="sr-only">Each emailed post: recipients, sent, failed, and unsubscribes it caused</caption>
          <thead className="border-b border-stone-200 text-stone-600">
            <tr>
              {["Asked", "State", "Recipients", "Sent", "Failed", "Unsubscribes"].map((h) => (
                <th key={h} scope="col" className="py-2 pr-4 font-medium">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-stone-100 tabular-nums">
            {history.data.map((s) => (
              <tr key={s.postId}>
                <td className="py-2 pr-4">
                  <a href={`/editor/${s.postId}`} className="text-accent-700 underline-offset-4 hover:underline">
                    {new Date(s.requestedAt).toISOString().slice(0, 16).replace("T", " ")}
                  </a>
                </td>
                <td className="py-2 pr-4">{s.status}</td>
                <td className="py-2 pr-4">{s.total}</td>
                <td className="py-2 pr-4">{s.sent}</td>
                <td className="py-2 pr-4">{s.failed}</td>
                <td className="py-2 pr-4">{s.unsubscribes}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
