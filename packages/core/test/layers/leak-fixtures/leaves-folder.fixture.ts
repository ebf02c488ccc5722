import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "vitest";

it("leaves an elsehu-* folder in the temporary folder", () => {
  mkdtempSync(join(tmpdir(), "elsehu-fixture-"));
});
