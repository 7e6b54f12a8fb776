/**
 * An archive InkWell will not import, with the sentence the writer sees. Thrown while reading or
 * analysing, before any post is created, so a refused archive leaves nothing half-imported.
 */
export class ArchiveRefused extends Error {
  override name = "ArchiveRefused";
}
