import { it } from "vitest";

it("leaves an interval running", () => {
  setInterval(() => {}, 1000);
});
