import postgres from "postgres";
import { expect, it } from "vitest";

it("leaves a Postgres connection open", async () => {
  const sql = postgres(process.env.LEAK_FIXTURE_DATABASE_URL ?? "", { max: 1 });
  expect(await sql`select 1 as one`).toEqual([{ one: 1 }]);
});
