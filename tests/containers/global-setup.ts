// Runs once per `npm run test:containers`, before the test file: an engine with Compose v2 and buildx,
// and the base images the Dockerfiles name (official or stand-in). The test process inherits the
// engine's environment (DOCKER_HOST, DOCKER_CONFIG) through process.env.
import { dockerfileBaseImage, ensureBaseImage, gatewayBaseImage } from "./base-image";
import { ensureEngine } from "./engine";
import { say } from "./shell";
import { REPO_ROOT } from "../../scripts/services";

export default async function setup(): Promise<() => Promise<void>> {
  const engine = await ensureEngine();
  try {
    for (const tag of [dockerfileBaseImage(REPO_ROOT), gatewayBaseImage(REPO_ROOT)]) {
      const base = await ensureBaseImage(engine, tag);
      say(`base image ${base.tag}: ${base.standIn ? "the stand-in built on this machine (no registry)" : "the official image"}`);
    }
    Object.assign(process.env, {
      INKWELL_DOCKER_CLI: engine.cli,
      ...Object.fromEntries(["DOCKER_HOST", "DOCKER_CONFIG", "DOCKER_BUILDKIT"].flatMap((k) => (engine.env[k] ? [[k, engine.env[k]]] : []))),
    });
  } catch (error) {
    await engine.stop();
    throw error;
  }
  return () => engine.stop();
}
