"use client";

import { diffLines, diffWordsWithSpace, type Change } from "diff";
import { useMemo, type ReactNode } from "react";
import { cn } from "../ui/cn";

// The difference between two texts, for writers: unchanged stretches folded to a little context,
// changed passages shown word by word (removed struck through in red, added in green), with the words
// "removed"/"added" for screen readers, since colour alone says nothing to them.

const CONTEXT_LINES = 2;

type Block =
  | { kind: "same"; lines: string[]; position: "start" | "middle" | "end" | "only" }
  | { kind: "change"; removed: string; added: string };

function toBlocks(changes: Change[]): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i]!;
    if (!change.added && !change.removed) {
      blocks.push({ kind: "same", lines: change.value.replace(/\n$/, "").split("\n"), position: "middle" });
      continue;
    }
    let removed = "";
    let added = "";
    while (i < changes.length && (changes[i]!.added || changes[i]!.removed)) {
      if (changes[i]!.added) added += changes[i]!.value;
      else removed += changes[i]!.value;
      i++;
    }
    i--;
    blocks.push({ kind: "change", removed, added });
  }
  blocks.forEach((block, index) => {
    if (block.kind !== "same") return;
    const first = index === 0;
    const last = index === blocks.length - 1;
    block.position = first && last ? "only" : first ? "start" : last ? "end" : "middle";
  });
  return blocks;
}

function Unchanged({ lines, position }: { lines: string[]; position: "start" | "middle" | "end" | "only" }) {
  const keepStart = position === "middle" || position === "end" ? CONTEXT_LINES : 0;
  const keepEnd = position === "middle" || position === "start" ? CONTEXT_LINES : 0;
  if (position === "only" || lines.length <= keepStart + keepEnd + 1) {
    return <div className="text-stone-600">{lines.join("\n")}</div>;
  }
  const hidden = lines.length - keepStart - keepEnd;
  return (
    <div className="text-stone-600">
      {keepStart > 0 ? <div>{lines.slice(0, keepStart).join("\n")}</div> : null}
      <div className="my-1 rounded bg-stone-100 px-2 py-0.5 font-sans text-xs text-stone-600 select-none">
        {hidden.toLocaleString("en")} unchanged {hidden === 1 ? "line" : "lines"}
      </div>
      {keepEnd > 0 ? <div>{lines.slice(-keepEnd).join("\n")}</div> : null}
    </div>
  );
}

function Removed({ children }: { children: ReactNode }) {
  return (
    <del className="rounded-sm bg-red-100 text-red-900 decoration-red-400">
      <span className="sr-only">[removed: </span>
      {children}
      <span className="sr-only">]</span>
    </del>
  );
}

function Added({ children }: { children: ReactNode }) {
  return (
    <ins className="rounded-sm bg-emerald-100 text-emerald-900 no-underline">
      <span className="sr-only">[added: </span>
      {children}
      <span className="sr-only">]</span>
    </ins>
  );
}

function Changed({ removed, added }: { removed: string; added: string }) {
  const words = removed && added && removed.length + added.length < 20_000 ? diffWordsWithSpace(removed, added) : null;
  return (
    <div className="my-0.5 border-l-2 border-amber-400 pl-2">
      {words ? (
        words.map((part, i) =>
          part.added ? <Added key={i}>{part.value}</Added> : part.removed ? <Removed key={i}>{part.value}</Removed> : <span key={i}>{part.value}</span>,
        )
      ) : (
        <>
          {removed ? (
            <div>
              <Removed>{removed.replace(/\n$/, "")}</Removed>
            </div>
          ) : null}
          {added ? (
            <div>
              <Added>{added.replace(/\n$/, "")}</Added>
            </div>
          ) : null}
        </>
      )}
    </div>
  );
}

export interface TextDiffProps {
  before: string;
  after: string;
  /** What the two texts are, e.g. "Version 3" and "Current text". */
  beforeLabel: string;
  afterLabel: string;
  className?: string;
}

export function TextDiff({ before, after, beforeLabel, afterLabel, className }: TextDiffProps) {
  const changes = useMemo(() => diffLines(before.endsWith("\n") ? before : `${before}\n`, after.endsWith("\n") ? after : `${after}\n`, { timeout: 1_500 }), [before, after]);
  const blocks = useMemo(() => (changes ? toBlocks(changes) : null), [changes]);
  const added = changes?.filter((c) => c.added).reduce((n, c) => n + c.count, 0) ?? 0;
  const removed = changes?.filter((c) => c.removed).reduce((n, c) => n + c.count, 0) ?? 0;

  return (
    <figure className={cn("space-y-2", className)}>
      <figcaption className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-stone-600">
        <span className="inline-flex items-center gap-1.5">
          <span aria-hidden="true" className="inline-block size-3 rounded-sm bg-red-100 ring-1 ring-red-300" />
          Only in {beforeLabel}
        </span>
        <span className="inline-flex items-center gap-1.5">
          <span aria-hidden="true" className="inline-block size-3 rounded-sm bg-emerald-100 ring-1 ring-emerald-300" />
          Only in {afterLabel}
        </span>
        {blocks ? (
          <span className="ml-auto tabular-nums">
            {added === 0 && removed === 0
              ? "No differences in the text"
              : `${added.toLocaleString("en")} ${added === 1 ? "line" : "lines"} added, ${removed.toLocaleString("en")} removed`}
          </span>
        ) : null}
      </figcaption>
      <div
        role="group"
        aria-label={`Differences between ${beforeLabel} and ${afterLabel}`}
        className="max-h-[50vh] overflow-auto rounded-md border border-stone-200 bg-stone-50/60 px-4 py-3 font-mono text-[0.8125rem] leading-6 break-words whitespace-pre-wrap text-stone-800"
      >
        {!blocks ? (
          <p className="font-sans text-stone-600">The texts differ too much to compare here.</p>
        ) : blocks.length === 0 || (added === 0 && removed === 0 && !before.trim()) ? (
          <p className="font-sans text-stone-500">Both are empty.</p>
        ) : (
          blocks.map((block, i) =>
            block.kind === "same" ? <Unchanged key={i} lines={block.lines} position={block.position} /> : <Changed key={i} removed={block.removed} added={block.added} />,
          )
        )}
      </div>
    </figure>
  );
}
