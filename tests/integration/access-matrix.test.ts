import { describe, expect, it } from "vitest";
import { appRouter } from "@/server/api/root";
import { storeOriginal } from "@/server/media/upload";
import { transparentPng } from "../fixtures/images";
import { anonymous, eventually, newWriter, PASSWORD, startWorkerForFile } from "./helpers";

// Every procedure, called as anonymous, as the owner of the object it touches, and as another writer.
// A new procedure fails the completeness check until it is added here with its expected answers.

type Caller = ReturnType<typeof anonymous>;
type Fixture = { postId: string; version: number; username: string; slug: string; imageId: string };
type Expect = "ok" | "UNAUTHORIZED" | "NOT_FOUND" | "BAD_REQUEST";
interface Row {
  call: (api: Caller, f: Fixture) => Promise<unknown>;
  anonymous: Expect;
  owner: Expect;
  other: Expect;
}

const future = () => new Date(Date.now() + 3_600_000);
const publicRead = { anonymous: "ok", owner: "ok", other: "ok" } as const;
const ownerOnly = { anonymous: "UNAUTHORIZED", owner: "ok", other: "NOT_FOUND" } as const;
// A mailed link's token is the credential: without a valid one everybody is refused alike.
const tokenGated = { anonymous: "BAD_REQUEST", owner: "BAD_REQUEST", other: "BAD_REQUEST" } as const;
const selfOnly = { anonymous: "UNAUTHORIZED", owner: "ok", other: "ok" } as const; // acts on the caller's own account

const matrix: Record<string, Row> = {
  "portability.imports": { call: (api) => api.portability.imports(), ...selfOnly },
  "portability.importStatus": { call: (api) => api.portability.importStatus({ id: crypto.randomUUID() }), anonymous: "UNAUTHORIZED", owner: "NOT_FOUND", other: "NOT_FOUND" },
  "portability.startImport": { call: (api) => api.portability.startImport({ id: crypto.randomUUID() }), anonymous: "UNAUTHORIZED", owner: "NOT_FOUND", other: "NOT_FOUND" },
  "portability.requestExport": { call: (api) => api.portability.requestExport(), ...selfOnly },
  "portability.exports": { call: (api) => api.portability.exports(), ...selfOnly },
  "portability.deleteAccount": { call: (api) => api.portability.deleteAccount({ password: "not the password", confirmation: "nobody" }), anonymous: "UNAUTHORIZED", owner: "BAD_REQUEST", other: "BAD_REQUEST" },
  "users.register": { call: (api) => api.users.register({ email: `m-${crypto.randomUUID()}@example.com`, username: `m_${crypto.randomUUID().slice(0, 8)}`, displayName: "M", password: PASSWORD }), ...publicRead },
  "users.requestPasswordReset": { call: (api, f) => api.users.requestPasswordReset({ email: `${f.username}-${crypto.randomUUID().slice(0, 8)}@example.com` }), ...publicRead },
  "users.resetPassword": { call: (api) => api.users.resetPassword({ token: `forged-${crypto.randomUUID()}`, password: `${PASSWORD} reset` }), ...tokenGated },
  "users.confirmEmailChange": { call: (api) => api.users.confirmEmailChange({ token: `forged-${crypto.randomUUID()}` }), ...tokenGated },
  "users.me": { call: (api) => api.users.me(), ...selfOnly },
  "users.updateProfile": { call: (api) => api.users.updateProfile({ bio: "matrix" }), ...selfOnly },
  "users.changePassword": { call: (api) => api.users.changePassword({ currentPassword: PASSWORD, newPassword: `${PASSWORD} again` }), ...selfOnly },
  "users.changeEmail": { call: (api) => api.users.changeEmail({ currentPassword: PASSWORD, email: `c-${crypto.randomUUID()}@example.com` }), ...selfOnly },
  "users.signOutEverywhere": { call: (api) => api.users.signOutEverywhere(), ...selfOnly },
  "users.byUsername": { call: (api, f) => api.users.byUsername({ username: f.username }), ...publicRead },
  "posts.create": { call: (api) => api.posts.create({ title: "Matrix", markdown: "m" }), ...selfOnly },
  "posts.update": { call: (api, f) => api.posts.update({ id: f.postId, version: f.version, title: "Matrix edit" }), ...ownerOnly },
  "posts.delete": { call: (api, f) => api.posts.delete({ id: f.postId }), ...ownerOnly },
  "posts.byId": { call: (api, f) => api.posts.byId({ id: f.postId }), ...ownerOnly },
  "posts.list": { call: (api) => api.posts.list({}), ...selfOnly },
  "posts.publish": { call: (api, f) => api.posts.publish({ id: f.postId }), ...ownerOnly },
  "posts.discardChanges": { call: (api, f) => api.posts.discardChanges({ id: f.postId, version: f.version }), ...ownerOnly },
  "posts.unpublish": { call: (api, f) => api.posts.unpublish({ id: f.postId }), ...ownerOnly },
  // The fixture's post is published: this schedules an update of it.
  "posts.schedule": { call: (api, f) => api.posts.schedule({ id: f.postId, publishAt: future() }), ...ownerOnly },
  "posts.unschedule": { call: (api, f) => api.posts.unschedule({ id: f.postId }), ...ownerOnly },
  "posts.revisions": { call: (api, f) => api.posts.revisions({ id: f.postId }), ...ownerOnly },
  "posts.revision": { call: (api, f) => api.posts.revision({ id: f.postId, version: 1 }), ...ownerOnly },
  "posts.restoreRevision": { call: (api, f) => api.posts.restoreRevision({ id: f.postId, revision: 1, version: f.version }), ...ownerOnly },
  "posts.retry": { call: (api, f) => api.posts.retry({ id: f.postId }), ...ownerOnly },
  "posts.latest": { call: (api) => api.posts.latest({}), ...publicRead },
  "posts.byAuthor": { call: (api, f) => api.posts.byAuthor({ username: f.username }), ...publicRead },
  "posts.published": { call: (api, f) => api.posts.published({ username: f.username }), ...publicRead },
  "posts.search": { call: (api) => api.posts.search({ q: "matrix" }), ...publicRead },
  "posts.tags": { call: (api) => api.posts.tags(), ...publicRead },
  "posts.bySlug": { call: (api, f) => api.posts.bySlug({ username: f.username, slug: f.slug }), ...publicRead },
  "posts.preview": { call: (api) => api.posts.preview({ markdown: "# m" }), ...selfOnly },
  "newsletter.summary": { call: (api) => api.newsletter.summary(), ...selfOnly },
  "newsletter.activeCount": { call: (api) => api.newsletter.activeCount(), ...selfOnly },
  "newsletter.list": { call: (api) => api.newsletter.list({}), ...selfOnly },
  // Someone else's subscriber is as unknown as a missing one.
  "newsletter.remove": { call: (api) => api.newsletter.remove({ id: crypto.randomUUID() }), anonymous: "UNAUTHORIZED", owner: "NOT_FOUND", other: "NOT_FOUND" },
  "newsletter.importCsv": { call: (api) => api.newsletter.importCsv({ csv: `m-${crypto.randomUUID()}@example.com`, consentStatement: "They asked in person." }), ...selfOnly },
  "newsletter.confirmImported": { call: (api) => api.newsletter.confirmImported({ consent: true }), ...selfOnly },
  "newsletter.send": { call: (api, f) => api.newsletter.send({ postId: f.postId }), ...ownerOnly },
  "newsletter.testSend": { call: (api, f) => api.newsletter.testSend({ postId: f.postId }), ...ownerOnly },
  // Answers only about the caller's own sends (another writer's post has none: null).
  "newsletter.sendStatus": { call: (api, f) => api.newsletter.sendStatus({ postId: f.postId }), ...selfOnly },
  "newsletter.history": { call: (api) => api.newsletter.history(), ...selfOnly },
  "newsletter.subscribeMe": { call: (api, f) => api.newsletter.subscribeMe({ writer: f.username }), ...selfOnly },
  "newsletter.amISubscribed": { call: (api, f) => api.newsletter.amISubscribed({ writer: f.username }), ...selfOnly },
  "newsletter.onSendProgress": {
    call: async (api) => {
      const stream = (await api.newsletter.onSendProgress()) as AsyncIterable<unknown> & AsyncIterator<unknown>;
      await stream.return?.();
    },
    ...selfOnly,
  },
  "media.list": { call: (api) => api.media.list(), ...selfOnly },
  "media.byId": { call: (api, f) => api.media.byId({ id: f.imageId }), ...ownerOnly },
  "media.retry": { call: (api, f) => api.media.retry({ id: f.imageId }), ...ownerOnly },
  "media.delete": { call: (api, f) => api.media.delete({ id: f.imageId, force: true }), ...ownerOnly },
  "media.copyRemote": { call: (api) => api.media.copyRemote({ url: "https://example.com/picture.png" }), ...selfOnly },
  "media.onStatusChange": {
    call: async (api) => {
      const stream = (await api.media.onStatusChange()) as AsyncIterable<unknown> & AsyncIterator<unknown>;
      await stream.return?.();
    },
    ...selfOnly,
  },
  "posts.onStatusChange": {
    // A subscription: calling it returns the event stream, which we close at once.
    call: async (api) => {
      const stream = (await api.posts.onStatusChange()) as AsyncIterable<unknown> & AsyncIterator<unknown>;
      await stream.return?.();
    },
    ...selfOnly,
  },
};

startWorkerForFile();

/** A fresh owner with one published post (with a revision) per call, so destructive rows stay independent. */
async function fixture() {
  const owner = await newWriter("Owner");
  const post = await owner.api.posts.create({ title: "Owned", markdown: "owned" });
  await owner.api.posts.publish({ id: post.id });
  const ready = await eventually(() => owner.api.posts.byId({ id: post.id }), (p) => p.publishedVersion === 1);
  // An image of the owner's (its processing is not needed here: no media worker runs in this file).
  const image = await storeOriginal(owner.profile.id, await transparentPng(10 + Math.floor(Math.random() * 500), 10));
  return { owner, f: { postId: post.id, version: ready.version, username: owner.profile.username, slug: ready.slug, imageId: image.id } };
}

async function outcome(call: Promise<unknown>): Promise<Expect | string> {
  try {
    await call;
    return "ok";
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}

describe("the access matrix", () => {
  it("covers every procedure of the API", () => {
    expect(Object.keys(appRouter._def.procedures).sort()).toEqual(Object.keys(matrix).sort());
  });

  for (const [name, row] of Object.entries(matrix)) {
    it(`${name}: anonymous → ${row.anonymous}, owner → ${row.owner}, another writer → ${row.other}`, async () => {
      const { owner, f } = await fixture();
      const other = await newWriter("Other");
      expect(await outcome(row.call(anonymous(), f))).toBe(row.anonymous);
      expect(await outcome(row.call(other.api, f))).toBe(row.other);
      // The owner goes last: their call may change or delete the object.
      expect(await outcome(row.call(owner.api, f))).toBe(row.owner);
    });
  }
});
